"""pytest の設定 (公開テスト用、編集しないでください) / pytest setup, do not edit.

Loaded by the kit's pyproject.toml (``addopts = "-p kit_plugin"``), before any test file:

* ``--lang ja|en|both``: the language of the failure messages (or set ``NN_LANG``);
* ``pytest`` run inside ``scripts/`` (where the slides have you work: ``uv run
  gradient_method.py``) runs the kit's tests, as from the kit's own folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Not resolve(): in the course repository this file is a link into assignments/_kit, and
# the kit is the folder the link sits in.
KIT = Path(os.path.abspath(__file__)).parent.parent


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--lang", choices=["ja", "en", "both"],
                     default=os.environ.get("NN_LANG", "both"),
                     help="language of failure messages (ja, en or both)")


def pytest_configure(config: pytest.Config) -> None:
    """With no test named on the command line, run the kit's tests from anywhere in it."""
    if config.args_source != pytest.Config.ArgsSource.INVOCATION_DIR:
        return
    here = Path(config.invocation_params.dir).resolve()
    if here != KIT.resolve() and KIT.resolve() in here.parents:
        config.args[:] = [str(KIT / "tests")]
