"""4x3 画素の「C」「T」を見分けるニューラルネットワーク (スライド 001 「知の探究」 5. AI・機械学習).

A neural network that tells the 4x3-pixel letters "C" and "T" apart.

TODO の部分を実装してください。 Fill in the parts marked TODO.
実行 / run:  uv run ct_classifier.py   (scripts/ の中で / from scripts/)

ネットワーク / the network (N はデータの数 / N samples):

    x (N, 12) 画素 0/1 ─ 最後に -1 を付ける ─▶ x̃ (N, 13)
    u = x̃ @ W1  (N, 3)        z = sigmoid(u)   隠れ層 3 ユニット / 3 hidden units
    z̃ = z に -1 を付ける (N, 4)
    s = z̃ @ W2  (N, 2)        y = softmax(s)  または / or  y = sigmoid(s)
                                               出力 2 つ: 列 0 = C, 列 1 = T
    E = CTNet.error(y, t)      このネットワークの誤差 / the network's error

出力と誤差は次のどちらの組み合わせでもかまいません (どちらも満点。TASK を参照。
スライド 001 「誤差 error」、「機械学習（誤差逆伝播法backpropagation）」)。
Either pair is accepted (full marks either way; see TASK):

    softmax の出力 + 交差エントロピー誤差   e_p = -Σ_k t_pk log(y_pk + 1e-7)
    softmax outputs + cross-entropy error
    sigmoid の出力 + 2乗誤差               e_p = ½ Σ_k (t_pk - y_pk)^2
    sigmoid outputs + squared error

誤差 E はパターンについての総和 E = Σ_p e_p (スライド 001 「誤差総和 E の最小化」) でも、
平均 E = (1/N) Σ_p e_p でもかまいません。cross_entropy, squared_error, CTNet.error,
CTNet.backward で同じ方を使ってください。
E may be the sum over the patterns (as the slides write it) or their mean; use the same
one in cross_entropy, squared_error, CTNet.error and CTNet.backward.

しきい値 θ は「定数入力 -1 に掛かる重み」として重みに含めます (スライドの書き方):
u_v = Σ_i w_iv x_i - θ_v = Σ_i w_iv x_i + θ_v × (-1)。
W1 の列 v は w_v = (w_1v, ..., w_12v, θ_v)、つまり W1 の最後の行 (W1[12]) が隠れ層の θ、
W2 の最後の行 (W2[3]) が出力層の θ です。パラメータは 13×3 + 4×2 = 47 個。
Thresholds are weights on a constant input -1 appended to x (and to z): the last row
of W1 (13, 3) holds the hidden units' θ, the last row of W2 (4, 2) the outputs' θ.
47 parameters in all.

t は one-hot (N, 2): C = [1, 0], T = [0, 1]。
どの関数も、引数として受け取った配列を書き換えないでください (新しい配列を作る)。
No function may change an array it is given (make new arrays).
"""

from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent.parent / "data"
OUTPUTS = Path(__file__).resolve().parent.parent / "outputs"

PATTERN_C = np.array([[0, 1, 1], [1, 0, 0], [1, 0, 0], [0, 1, 1]], dtype=float)
PATTERN_T = np.array([[1, 1, 1], [0, 1, 0], [0, 1, 0], [0, 1, 0]], dtype=float)
LABELS = ("C", "T")
LEARNING_RATE = 1.0   # step size η (学習率)
EPSILON = 0.02        # E < ε で終了 / stop when E < ε (001 「機械学習のアルゴリズム algorithm」)
MAX_ITERATION = 1000  # 最大の反復回数 / the most iterations


def with_threshold_input(x):
    """各行の *最後* に定数入力 -1 の列を付ける: (N, n) -> (N, n + 1).

    Append a column of -1 (the constant input of the thresholds) as the *last* column.
    例 / e.g. [[1, 0]] -> [[1, 0, -1]]
    """
    # TODO: 実装する / implement
    raise NotImplementedError("with_threshold_input")


def sigmoid(u):
    """シグモイド関数 1 / (1 + exp(-u)) (要素ごと / elementwise)."""
    # TODO: 実装する / implement
    raise NotImplementedError("sigmoid")


def softmax(a):
    """行ごとの softmax: y_nk = exp(a_nk) / Σ_j exp(a_nj)  (a: (N, K) -> (N, K)).

    exp のオーバーフローを防ぐため、各行から行の最大値を引いてから exp をとること
    (np.max(a, axis=1, keepdims=True))。和は行ごと (axis=1) にとる。
    Row-wise softmax. Subtract each row's maximum before exp (overflow), and sum each
    row (axis=1), not the whole array.
    """
    # TODO: 実装する / implement
    raise NotImplementedError("softmax")


def cross_entropy(y, t):
    """交差エントロピー誤差を float で返す: e_p = -Σ_k t_pk log(y_pk + 1e-7) の
    総和 Σ_p e_p、または平均 (1/N) Σ_p e_p (どちらでもよい)。

    y, t は (N, 2)。log(0) を避けるため y に 1e-7 を足す。
    The cross-entropy error as a float: the sum over the patterns of
    e_p = -Σ_k t_pk log(y_pk + 1e-7), or their mean (either); + 1e-7 inside the log.
    """
    # TODO: 実装する / implement
    raise NotImplementedError("cross_entropy")


def squared_error(y, t):
    """2乗誤差を float で返す: e_p = ½ Σ_k (t_pk - y_pk)^2 の総和 Σ_p e_p、
    または平均 (1/N) Σ_p e_p (cross_entropy と同じ方)。

    The squared error as a float: the sum over the patterns of
    e_p = ½ Σ_k (t_pk - y_pk)^2, or their mean (the same choice as cross_entropy).
    """
    # TODO: 実装する / implement
    raise NotImplementedError("squared_error")


class CTNet:
    """12 -> 3 (sigmoid) -> 2 (softmax または sigmoid / softmax or sigmoid) のネットワーク.

    属性 / attributes (テストはこれらを直接設定して値を確かめます / tests set them directly):
    * self.W1: (13, 3)  隠れ層の重み。最後の行が θ / hidden weights, last row θ
    * self.W2: (4, 2)   出力層の重み。最後の行が θ / output weights, last row θ
    * self.lr: 学習率 / learning rate
    * backward の後 / after backward: self.g_W1 (13, 3), self.g_W2 (4, 2) = ∂E/∂W1, ∂E/∂W2
    forward と backward は毎回 self.W1, self.W2 を使うこと (別の変数にコピーしない)。
    forward and backward must use self.W1 and self.W2 each time (no private copies).
    """

    def __init__(self, rng, learning_rate=1.0):
        """W1 (13, 3), W2 (4, 2) を rng の乱数で初期化し、self.lr = learning_rate とする.

        初期値の大きさは自由です: rng.standard_normal((13, 3)) (標準偏差 1) でも、
        Xavier の初期値 rng.standard_normal((13, 3)) / np.sqrt(12) (W2 は / np.sqrt(3)) でも
        かまいません (スライド 001 「補足」)。
        Any scale: rng.standard_normal (std 1) or Xavier (std 1/sqrt(n of the layer below)).
        """
        # TODO: self.W1 = rng.standard_normal((13, 3)), self.W2 = rng.standard_normal((4, 2)),
        #       self.lr = learning_rate
        raise NotImplementedError("CTNet.__init__")

    def forward(self, x):
        """x (N, 12) から出力 y (N, 2) を計算して返す。backward に必要な値を self に記憶する.

        出力層は softmax (y = softmax(s)) か sigmoid (y = sigmoid(s)) のどちらか。
        Return y (N, 2) for x (N, 12), softmax(s) or sigmoid(s); keep what backward needs
        (x̃, z, z̃, y) in self.
        """
        # TODO: 実装する / implement
        raise NotImplementedError("CTNet.forward")

    def error(self, y, t):
        """このネットワークの誤差 E を float で返す (train が記録し、backward が微分するもの).

        softmax の出力なら cross_entropy(y, t)、sigmoid の出力なら squared_error(y, t)。
        The network's error E (what train records and backward differentiates):
        cross_entropy(y, t) for softmax outputs, squared_error(y, t) for sigmoid outputs.
        """
        # TODO: 実装する / implement
        raise NotImplementedError("CTNet.error")

    def backward(self, t):
        """直前の forward について誤差逆伝播法で勾配を求め、重みを更新する (戻り値なし).

        self.g_W2, self.g_W1 は E = self.error(y, t) の勾配 ∂E/∂W2, ∂E/∂W1。
        1. 出力層 δ2 = ∂E/∂s  (s = z̃ @ W2):
             softmax + 交差エントロピー:  δ2 = y - t
               (a'(s) は掛けない: 交差エントロピーと softmax の微分を掛けると y - t になる)
             sigmoid + 2乗誤差:           δ2 = (y - t) * y * (1 - y)   (a'(s) = y(1 - y))
           E が平均なら δ2 を N で割る (総和なら割らない)。
           self.g_W2 = z̃.T @ δ2
        2. 隠れ層: δ1 = (δ2 @ W2[:-1].T) * z * (1 - z)
           (θ の行 W2[-1] は除く。W2 は *更新前* のものを使う。sigmoid の微分は z(1 - z))
           self.g_W1 = x̃.T @ δ1
        3. 更新 / update: W2 <- W2 - lr g_W2,  W1 <- W1 - lr g_W1

        Back-propagate the last forward and update the weights. g_W2, g_W1 are the
        gradients of E = self.error(y, t): δ2 = y - t for softmax + cross-entropy (no
        extra a'(s): it is already in y - t), δ2 = (y - t) y (1 - y) for sigmoid + squared
        error, divided by N when E is the mean; g_W2 = z̃.T @ δ2,
        δ1 = (δ2 @ W2[:-1].T) * z (1 - z) with W2 *before* the update, g_W1 = x̃.T @ δ1,
        then W <- W - lr g_W for both layers. Returns None.
        """
        # TODO: 実装する / implement
        raise NotImplementedError("CTNet.backward")

    def predict(self, x):
        """ラベル (N,) を返す: 0 = C, 1 = T (y の大きい方 / argmax of y)."""
        # TODO: 実装する / implement
        raise NotImplementedError("CTNet.predict")

    def accuracy(self, x, t):
        """正解率 (0〜1 の float): predict(x) が t (one-hot) の argmax と一致する割合."""
        # TODO: 実装する / implement
        raise NotImplementedError("CTNet.accuracy")

    def train(self, x, t, max_iteration):
        """勾配法を max_iteration 回繰り返し、誤差のリスト losses を返す.

        各回: y = self.forward(x) → losses に self.error(y, t) を追加 → self.backward(t)。
        losses[i] は i 回目の更新の *前* の誤差 (長さ max_iteration)。
        Repeat forward, record self.error(y, t) (before the update), backward; return
        the losses.
        """
        # TODO: 実装する / implement
        raise NotImplementedError("CTNet.train")

    def train_until(self, x, t, epsilon, max_iteration):
        """誤差 E が ε より小さくなるまで (最大 max_iteration 回) 学習し、誤差のリストを返す.

        スライド 001 「機械学習のアルゴリズム algorithm」 の手順 2〜5 です。各回:
          2. y = self.forward(x)
          3. E = self.error(y, t) を losses に追加する
          4. E < epsilon ならここで終了 (この回は更新しない)。そうでなければ
          5. self.backward(t) (勾配を求めて更新) して次の回へ
        max_iteration 回くり返しても E < epsilon にならなければ、そこで終了します。
        losses[i] は i 回目の更新の *前* の誤差で、止まったときは最後の要素が ε より小さい E
        です (長さは最大 max_iteration)。終わったときの self.W1, self.W2 は、最後に記録した
        E を与えた重みです。epsilon は self.error と同じ E (総和なら総和) と比べます。

        Train until the error E is below epsilon, at most max_iteration iterations
        (steps 2-5 of the slide's algorithm). Each iteration: y = self.forward(x); append
        E = self.error(y, t) to losses; stop if E < epsilon (no update in that
        iteration); else self.backward(t). losses[i] is the error before update i; when
        it stops, the last entry is the E below epsilon and self.W1, self.W2 are the
        weights that gave it. Returns losses (at most max_iteration entries).
        """
        # TODO: 実装する / implement
        raise NotImplementedError("CTNet.train_until")


def load_data(name):
    """data/<name>.csv -> x (N, 12) の画素, t (N, 2) の one-hot (列 0 = C, 列 1 = T).

    name: "ct_train" (26 個) または "ct_test" (40 個)。
    """
    table = np.loadtxt(DATA / f"{name}.csv", delimiter=",", skiprows=1)
    x = table[:, :12]
    t = np.eye(2)[table[:, 12].astype(int)]
    return x, t


def plot_training(losses, epsilon, accuracies, file_name="ct_training.png"):
    """学習の様子の図を outputs/<file_name> に保存する (戻り値なし).

    * losses: train_until が返した誤差 E のリスト
    * epsilon: 終了条件の ε
    * accuracies: 正解率の辞書 {"ct_train": 0.98, "ct_test": 0.95} のようなもの
    左の図: 反復回数 k ごとの誤差 E (left.plot) と、ε の水平線 (left.axhline(epsilon, ...))。
    右の図: accuracies の棒グラフ (right.bar)、縦軸は 0〜1。
    軸のラベルを付け、fig.savefig(OUTPUTS / file_name) で保存してから plt.close(fig)。
    plt.show() は呼ばないこと (テストが止まります)。
    例 / e.g.:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.5))

    Save the figure of the training to outputs/<file_name> (returns None). Left: the
    error E per iteration with a horizontal line at epsilon; right: the accuracies as
    bars (0 to 1). Label the axes, save with fig.savefig(OUTPUTS / file_name), then
    plt.close(fig). Do not call plt.show().
    """
    # TODO: 実装する / implement
    raise NotImplementedError("plot_training")


if __name__ == "__main__":
    x_train, t_train = load_data("ct_train")
    x_test, t_test = load_data("ct_test")
    # E を総和にした場合は LEARNING_RATE を小さく (例: 0.1)、EPSILON を N 倍 (例: 0.5) に
    # with the sum, use a smaller LEARNING_RATE (about 0.1) and an EPSILON N times larger
    net = CTNet(np.random.default_rng(0), learning_rate=LEARNING_RATE)
    losses = net.train_until(x_train, t_train, EPSILON, MAX_ITERATION)
    accuracies = {"ct_train": net.accuracy(x_train, t_train),
                  "ct_test": net.accuracy(x_test, t_test)}
    print(f"{len(losses)} iterations, E = {losses[-1]:.4f} (epsilon = {EPSILON})")
    print(f"accuracy: ct_train {accuracies['ct_train']:.3f}, ct_test {accuracies['ct_test']:.3f}")
    for pattern in (PATTERN_C, PATTERN_T):
        y = net.forward(pattern.reshape(1, 12))
        print(pattern.astype(int), "->", LABELS[int(np.argmax(y))], np.round(y, 3))
    plot_training(losses, EPSILON, accuracies)
