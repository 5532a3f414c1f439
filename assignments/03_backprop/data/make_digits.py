"""Generate ``digits.npz``: scikit-learn's 8x8 handwritten digits, split once, seeded.

scikit-learn に同梱されている 8x8 の手書き数字 (1797 枚、0〜16 の濃淡) を、乱数の種を
固定して学習用 1437 枚とテスト用 360 枚に分けて保存します。MNIST の代わりに使います。

The data come from ``sklearn.datasets.load_digits`` (bundled with scikit-learn, no
download): 1797 images of 8x8 pixels with values 0..16, and their labels 0..9. A seeded
permutation splits them into 1437 training and 360 test images. The file holds

* ``x_train`` (1437, 64) uint8, ``t_train`` (1437,) int64,
* ``x_test`` (360, 64) uint8, ``t_test`` (360,) int64.

The archive is stored uncompressed with fixed time stamps, so running
``python make_digits.py`` rewrites ``digits.npz`` byte for byte (``np.savez`` would stamp
the current time, and compressed bytes depend on the zlib build).
Only this generator needs scikit-learn; the course's code reads the file with numpy.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np

SEED = 20260403
TEST_SIZE = 360


def generate(seed: int = SEED, test_size: int = TEST_SIZE) -> dict[str, np.ndarray]:
    from sklearn.datasets import load_digits

    digits = load_digits()
    x = digits.data.astype(np.uint8)
    t = digits.target.astype(np.int64)
    order = np.random.default_rng(seed).permutation(len(x))
    test, train = order[:test_size], order[test_size:]
    return {"x_train": x[train], "t_train": t[train], "x_test": x[test], "t_test": t[test]}


def to_npz(arrays: dict[str, np.ndarray]) -> bytes:
    """The arrays as an .npz archive, uncompressed, with fixed time stamps (same bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, array in arrays.items():
            member = io.BytesIO()
            np.lib.format.write_array(member, np.ascontiguousarray(array), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED
            info.external_attr = 0o644 << 16
            archive.writestr(info, member.getvalue())
    return out.getvalue()


if __name__ == "__main__":
    target = Path(__file__).with_name("digits.npz")
    target.write_bytes(to_npz(generate()))
    print(f"wrote {target}")
