"""The published MNIST results the course reproduces, one ``Recipe`` each (lesson
08_reproducing_the_classics, ``python -m helpers reproduce``).

Sources: Michael Nielsen, *Neural Networks and Deep Learning* (2015), ch. 1 (the 784-30-10
sigmoid network with the quadratic cost) and ch. 3 (cross-entropy, overfitting on 1,000
images, L2 regularisation); Srivastava, Hinton, Krizhevsky, Sutskever & Salakhutdinov,
"Dropout: a simple way to prevent neural networks from overfitting", JMLR 15 (2014), table 2
(MNIST), its rows scaled to a 2-core machine: two hidden layers of 400 ReLU units (the
paper's dropout rows use three of 1024) trained for 60 epochs (the paper trains for hundreds).

A recipe's ``settings`` are the full run; ``quick`` overrides them for a run of seconds
whose ``effect`` checks the direction of the published effect rather than its size (the test
suite and the lesson run those). Nielsen's lambda becomes the course's l2 = lambda / n.
Omits: running anything (``helpers.reproduce.run``).
"""

from dataclasses import dataclass, field

NIELSEN_1 = "Nielsen, Neural Networks and Deep Learning, ch. 1"
NIELSEN_3 = "Nielsen, Neural Networks and Deep Learning, ch. 3"
SRIVASTAVA = "Srivastava et al. 2014, JMLR 15, table 2 (MNIST)"

# Nielsen's networks: N(0, 1) weights and biases ("large_weight_initializer"), plain SGD,
# mini-batches of 10, the first 50,000 training images, accuracy on the 10,000 test images
NIELSEN_NET = dict(layers=[784, 30, 10], activation="sigmoid", output="sigmoid",
                   weight_scale=1.0, bias_init="normal", optimizer="sgd", batch_size=10,
                   n_train=50000, report="peak")
# Srivastava's rows, scaled: 784-400-400-10 ReLU, SGD with momentum 0.9, batches of 128, the
# learning rate times 0.9 each epoch (0.98 with dropout, which learns more slowly), all 60,000
# training images, the error on the test images after the last epoch
SRIVASTAVA_NET = dict(layers=[784, 400, 400, 10], activation="relu", output="softmax",
                      loss="cross_entropy", optimizer="sgd_momentum", batch_size=128,
                      n_train=60000, epochs=60, report="final", decay=0.9)
SRIVASTAVA_QUICK = dict(layers=[784, 256, 256, 10], n_train=1000, epochs=15, n_test=2000)


@dataclass(frozen=True)
class Recipe:
    """One published result and how the course reproduces it.

    name: the command's argument; source: book chapter or paper table; what: the setting in
    one line; published: the number in the source; metric: 'accuracy' or 'error' (percent
    of the test images); settings: the full run (see ``helpers.reproduce.run.train``);
    quick: overrides for the quick run; effect: (what it checks, baseline overrides or None,
    check(ours, baseline) -> bool) on the quick run's results; minutes: the full run's wall
    time measured on a shared, busy 2-core machine (less on a quiet one); quick_seconds: the
    quick run's, roughly.
    """

    name: str
    source: str
    what: str
    published: float
    metric: str
    settings: dict
    quick: dict
    effect: tuple
    minutes: float
    quick_seconds: float
    seeds: tuple = field(default=(0,))


def gap(result):
    """Training accuracy minus test accuracy, in points: how much the network overfits."""
    return result["train_acc"] - result["test_acc"]


RECIPES = {r.name: r for r in [
    Recipe("nielsen-ch1", NIELSEN_1,
           "784-30-10 sigmoid net, quadratic cost, 30 epochs, eta 3.0, batches of 10",
           95.42, "accuracy",
           dict(NIELSEN_NET, loss="sse", epochs=30, lr=3.0),
           dict(n_train=10000, epochs=3, n_test=2000),
           ("the test accuracy rises epoch by epoch, far above chance (10%)", None,
            lambda ours, base: ours["curve"][-1] > ours["curve"][0] and ours["curve"][-1] > 60),
           7, 2),
    Recipe("nielsen-ch3-overfit", NIELSEN_3,
           "784-30-10, cross-entropy, 1,000 training images, 400 epochs, eta 0.5",
           82.27, "accuracy",
           dict(NIELSEN_NET, loss="binary_cross_entropy", n_train=1000, epochs=400, lr=0.5),
           dict(epochs=40, n_test=2000),
           ("1,000 images are learnt by heart: training accuracy >= 10 points above test", None,
            lambda ours, base: gap(ours) >= 10),
           7, 2),
    Recipe("nielsen-ch3-l2", NIELSEN_3,
           "the same with L2 regularisation, lambda 0.1 (l2 = 0.1 / 1,000)",
           87.1, "accuracy",
           dict(NIELSEN_NET, loss="binary_cross_entropy", n_train=1000, epochs=400, lr=0.5,
                nielsen_lambda=0.1),
           dict(epochs=40, n_test=2000, nielsen_lambda=2.0),
           ("L2 narrows the gap between training and test accuracy (quick: lambda 2.0)",
            dict(nielsen_lambda=0.0), lambda ours, base: gap(ours) < gap(base)),
           6, 4),
    Recipe("nielsen-ch3-full", NIELSEN_3,
           "784-30-10, cross-entropy, all 50,000 images, 30 epochs, eta 0.5, lambda 5.0",
           96.49, "accuracy",
           dict(NIELSEN_NET, loss="binary_cross_entropy", epochs=30, lr=0.5, nielsen_lambda=5.0),
           dict(n_train=10000, epochs=2, n_test=2000),
           ("lambda 5.0 as l2 = lambda / n trains; taken as l2 = 5.0 it diverges (lr * l2 = 2.5)",
            dict(l2=5.0, nielsen_lambda=None),
            lambda ours, base: ours["test_acc"] > 80 and base["diverged"]),
           4, 2),
    Recipe("srivastava-no-dropout", SRIVASTAVA,
           "standard net without dropout (paper: 2 layers of 800 logistic units)",
           1.60, "error",
           dict(SRIVASTAVA_NET, lr=0.05),
           dict(SRIVASTAVA_QUICK),
           ("without dropout the 1,000 training images are fitted almost exactly: training "
            "accuracy >= 99%, >= 5 points above test", None,
            lambda ours, base: ours["train_acc"] >= 99 and gap(ours) >= 5),
           8, 3),
    Recipe("srivastava-dropout", SRIVASTAVA,
           "dropout, keep 0.8 on the input and 0.5 on each hidden layer (paper: 3 x 1024 ReLU)",
           1.25, "error",
           dict(SRIVASTAVA_NET, lr=0.1, keep_prob=[0.8, 0.5, 0.5], decay=0.98),
           dict(SRIVASTAVA_QUICK),
           ("dropout narrows the gap between training and test accuracy",
            dict(keep_prob=1.0, lr=0.05), lambda ours, base: gap(ours) < gap(base)),
           8, 6),
    Recipe("srivastava-max-norm", SRIVASTAVA,
           "dropout + max-norm: every unit's incoming weights kept within length 3",
           1.06, "error",
           dict(SRIVASTAVA_NET, lr=0.1, keep_prob=[0.8, 0.5, 0.5], max_norm=3.0, decay=0.98),
           dict(SRIVASTAVA_QUICK, lr=0.5),
           ("at a learning rate too large for this network (0.5), max-norm keeps training on "
            "track: a higher test accuracy than without it",
            dict(max_norm=None), lambda ours, base: not ours["diverged"] and (
                base["diverged"] or base["test_acc"] < ours["test_acc"])),
           8, 5),
]}
