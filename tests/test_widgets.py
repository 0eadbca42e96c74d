"""Tests of helpers.widgets without a browser: quiz logic and widgets, the plot functions, the
explorers and the Playground trainer (every control must reach the model)."""

import base64
import copy
import io
import subprocess
import sys

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pytest
from IPython.core.formatters import DisplayFormatter
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from PIL import Image

from helpers.models import MLP
from helpers.plots import PALETTE
from helpers.train import TrainingDivergedError, fit
from helpers.widgets import (
    NeuronExplorer,
    NumericQuiz,
    Playground,
    Quiz,
    QuizSet,
    activation_explorer,
    neuron_explorer,
    neuron_table,
    plot_activation,
    plot_neuron,
    quiz_widget,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def make_quiz(answer=1):
    return Quiz("Which technique resembles dropout?", ["Bagging", "Boosting", "Stacking",
                                                     "None of these"], answer,
                "Dropout averages many thinned networks.", topic="regularization")


def has_class(w, name):
    return name in w.get_state()["_dom_classes"]


def mime_bundle(obj):
    """The mime bundle IPython's formatters make of ``obj``: {mime type: data} (with the
    display hook that would show it switched off, so that the bundle is returned)."""
    formatter = DisplayFormatter()
    formatter.ipython_display_formatter.enabled = False
    data, _metadata = formatter.format(obj)
    return data


def image_of(output):
    """The PNG shown in an Output widget, as an array."""
    (out,) = output.outputs
    png = base64.b64decode(out["data"]["image/png"])
    return np.asarray(Image.open(io.BytesIO(png)))


# ---------------------------------------------------------------------------------- import
def test_import_displays_nothing_and_opens_no_figure():
    code = ("import matplotlib; matplotlib.use('Agg'); import helpers.widgets; "
            "import matplotlib.pyplot as plt; print(len(plt.get_fignums()))")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert res.stdout == "0\n"


# ------------------------------------------------------------------------------------ Quiz
@pytest.mark.parametrize("choice", [1, "b", "B", " b ", "b.", "Boosting", "boosting",
                                    "b. Boosting", np.int64(1)])
def test_check_right_answer_in_every_form(choice):
    q = make_quiz(answer=1)
    text = q.check(choice)
    assert text.startswith("Correct!")
    assert "Dropout averages many thinned networks." in text
    assert q.last_correct is True and q.last_choice == 1


@pytest.mark.parametrize("choice", [0, "a", "Bagging", "d", 3])
def test_check_wrong_answer_names_the_right_one(choice):
    q = make_quiz(answer=1)
    text = q.check(choice)
    assert text.startswith("Not quite.")
    assert "b: Boosting" in text
    assert text.endswith("Dropout averages many thinned networks.")
    assert q.last_correct is False


@pytest.mark.parametrize("choice", ["e", 4, -1, True, None, 1.0, "Bagging please", ""])
def test_check_invalid_choice(choice):
    q = make_quiz()
    with pytest.raises(ValueError, match=r"choice: .*a-d"):
        q.check(choice)
    assert q.last_correct is None


def test_answer_given_as_letter_and_properties():
    q = make_quiz(answer="a")
    assert q.answer == 0 and q.answer_letter == "a" and q.letters == "abcd"
    assert q.check(q.answer).startswith("Correct!")
    assert q.is_correct("Bagging") and not q.is_correct("c")


@pytest.mark.parametrize("kwargs, match", [
    ({"question": ""}, "question"),
    ({"options": ["only one"]}, "options"),
    ({"options": "ab"}, "options"),
    ({"answer": 7}, "answer"),
    ({"answer": "z"}, "answer"),
    ({"explanation": ""}, "explanation"),
])
def test_quiz_rejects_bad_arguments(kwargs, match):
    args = {"question": "Q?", "options": ["x", "y"], "answer": 0, "explanation": "E."}
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        Quiz(**args)


def test_plain_text_repr():
    q = make_quiz()
    text = repr(q)
    assert text.splitlines() == [
        "[regularization] Which technique resembles dropout?",
        "  a. Bagging", "  b. Boosting", "  c. Stacking", "  d. None of these"]
    bundle = mime_bundle(q)
    assert bundle["text/plain"] == text
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_quiz_widget_structure():
    q = make_quiz()
    box = q.widget
    assert isinstance(box, widgets.VBox) and has_class(box, "quiz")
    question, radio, button, feedback = box.children
    assert isinstance(question, widgets.HTML) and "resembles dropout" in question.value
    assert isinstance(radio, widgets.RadioButtons) and radio.value is None
    assert [label for label, _ in radio.options] == [
        "a. Bagging", "b. Boosting", "c. Stacking", "d. None of these"]
    assert isinstance(button, widgets.Button) and button.description == "Check"
    assert feedback.value == ""
    for w, cls in ((question, "quiz-question"), (radio, "quiz-options"),
                   (button, "quiz-check"), (feedback, "quiz-feedback")):
        assert has_class(w, cls)
    assert q.widget is box  # built once


def test_clicking_check_writes_feedback():
    q = make_quiz(answer=1)
    assert q.widget is not None
    q.button.click()
    assert "Choose an option" in q.feedback_html.value and q.last_correct is None
    q.radio.value = 2
    q.button.click()
    assert "Not quite." in q.feedback_html.value and "b: Boosting" in q.feedback_html.value
    q.radio.value = 1
    q.button.click()
    assert "Correct!" in q.feedback_html.value and "Not quite" not in q.feedback_html.value


def test_checking_the_same_answer_again_redraws_the_feedback():
    q = make_quiz(answer=1)
    assert q.widget is not None
    values = []
    q.feedback_html.observe(lambda change: values.append(change["new"]), names="value")
    q.radio.value = 1
    q.button.click()
    first = q.feedback_html.value
    q.button.click()  # the frontend must see a change, or it would not redraw
    assert values == [first, "", first]


def test_feedback_is_html_escaped():
    q = Quiz("Is 1 < 2?", ["yes <b>", "no"], 0, "Because 1 < 2 & so on.")
    assert q.widget is not None
    q.radio.value = 0
    q.button.click()
    assert "&lt;" in q.feedback_html.value and "&amp;" in q.feedback_html.value
    assert "&lt;" in q.question_html.value


def test_quiz_set_score_line():
    quizzes = [make_quiz(1), make_quiz(0),
               {"question": "2 + 2?", "options": ["3", "4"], "answer": "b",
                "explanation": "Arithmetic."}]
    qs = QuizSet(quizzes)
    assert qs.score() == (0, 3)
    box = qs.widget
    assert has_class(box, "quiz-set") and has_class(qs.score_html, "quiz-score")
    assert "0 / 3 correct so far" in qs.score_html.value
    qs.quizzes[0].radio.value = 1
    qs.quizzes[0].button.click()
    qs.quizzes[2].check("4")
    assert qs.score() == (2, 3) and "2 / 3 correct so far" in qs.score_html.value
    qs.quizzes[2].check("3")  # a later wrong answer counts
    assert "1 / 3 correct so far" in qs.score_html.value
    assert "3. 2 + 2?" in repr(qs)
    assert isinstance(quiz_widget(quizzes[:1]), QuizSet)
    with pytest.raises(ValueError, match="quizzes"):
        QuizSet([])
    with pytest.raises(TypeError, match="questions"):
        QuizSet(["not a quiz"])


def test_a_wrong_option_gets_its_own_note():
    q = Quiz("Which technique resembles dropout?", ["Bagging", "Boosting", "Stacking"], "a",
             "Dropout averages many thinned networks.",
             why_wrong={"b": "Boosting trains its models one after another.", 2: "No."})
    text = q.check("b")
    assert text == ("Not quite. The right answer is a: Bagging. Boosting trains its models "
                    "one after another. Dropout averages many thinned networks.")
    assert q.check("c").startswith("Not quite. The right answer is a: Bagging. No. Dropout")
    assert q.check("a") == "Correct! Dropout averages many thinned networks."


@pytest.mark.parametrize("why_wrong, match", [
    ({"a": "The answer itself."}, "notes on wrong options only"),
    ({"z": "No such option."}, "why_wrong: expected a letter"),
    ({"b": ""}, r"why_wrong\['b'\]"),
])
def test_why_wrong_is_validated(why_wrong, match):
    with pytest.raises(ValueError, match=match):
        Quiz("Q?", ["x", "y"], "a", "E.", why_wrong=why_wrong)


def make_numeric():
    return NumericQuiz("sigmoid'(0)?", 0.25, "s(0) * (1 - s(0)) = 0.25.", tolerance=0.005,
                       topic="activations",
                       mistakes=[(0.5, "That is s(0), not its slope.")])


@pytest.mark.parametrize("value", [0.25, "0.25", " 0.252 ", 0.246, np.float32(0.25), 1 / 4])
def test_numeric_answer_within_the_tolerance_is_right(value):
    q = make_numeric()
    assert q.check(value) == "Correct! s(0) * (1 - s(0)) = 0.25."
    assert q.last_correct is True and q.is_correct(value)


def test_numeric_wrong_answer_names_the_value_and_a_known_mistake():
    q = make_numeric()
    text = q.check("0.5")
    assert text == ("Not quite. The right answer is 0.25 (within 0.005). That is s(0), not "
                    "its slope. s(0) * (1 - s(0)) = 0.25.")
    assert q.last_correct is False and q.last_choice == 0.5
    assert q.check(0.3) == ("Not quite. The right answer is 0.25 (within 0.005). "
                            "s(0) * (1 - s(0)) = 0.25.")


@pytest.mark.parametrize("value", ["a quarter", "", None, True, float("nan"), "inf", [0.25]])
def test_numeric_rejects_what_is_not_a_number(value):
    q = make_numeric()
    with pytest.raises(ValueError, match="choice: expected a number"):
        q.check(value)
    assert q.last_correct is None


@pytest.mark.parametrize("kwargs, match", [
    ({"tolerance": 0}, "tolerance"),
    ({"answer": "x"}, "answer"),
    ({"mistakes": [(0.251, "too close")]}, "within the tolerance"),
    ({"mistakes": [0.5]}, r"\(value, text\) pairs"),
    ({"explanation": " "}, "explanation"),
])
def test_numeric_quiz_rejects_bad_arguments(kwargs, match):
    args = {"question": "Q?", "answer": 0.25, "explanation": "E.", "tolerance": 0.005}
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        NumericQuiz(**args)


def test_numeric_widget_checks_the_typed_number():
    q = make_numeric()
    box = q.widget
    assert has_class(box, "quiz") and has_class(box, "quiz-numeric")
    question, entry, button, feedback = box.children
    assert isinstance(entry, widgets.Text) and has_class(entry, "quiz-answer")
    assert has_class(button, "quiz-check") and has_class(feedback, "quiz-feedback")
    button.click()
    assert "Type a number" in feedback.value and q.last_correct is None
    entry.value = "0.5"
    button.click()
    assert "Not quite." in feedback.value and "not its slope" in feedback.value
    entry.value = "0.25"
    button.click()
    assert "Correct!" in feedback.value
    assert repr(q).splitlines() == ["[activations] sigmoid'(0)?",
                                    "  (type a number; accepted within 0.005)"]


def test_quiz_set_scores_both_kinds():
    qs = QuizSet([make_quiz(1), make_numeric(),
                  {"question": "1 + 1?", "answer": 2, "explanation": "Sum.", "tolerance": 0.1}])
    assert isinstance(qs.quizzes[2], NumericQuiz)
    qs.quizzes[1].check(0.25)
    qs.quizzes[2].check("2")
    assert qs.score() == (2, 3)
    assert has_class(qs.quizzes[1].widget, "quiz-numeric")


# --------------------------------------------------------------------------- plot_neuron
def test_neuron_table_and_gate():
    rows = neuron_table(1.0, 1.0, -1.5, "step").splitlines()[2:]
    assert [r.split()[-1] for r in rows] == ["0", "0", "0", "1"]
    rows = neuron_table(1.0, 1.0, -0.5, "step").splitlines()[2:]
    assert [r.split()[-1] for r in rows] == ["0", "1", "1", "1"]  # OR
    rows = neuron_table(0.0, 0.0, 0.0, "sigmoid").splitlines()[2:]
    assert [r.split()[-1] for r in rows] == ["0.50"] * 4


def test_plot_neuron_returns_labelled_figure():
    fig = plot_neuron(1.0, 1.0, -1.5, "step")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.get_title() and "step" in ax.get_title()
    assert ax.get_xlabel() and ax.get_ylabel()
    labels = [t.get_text() for t in ax.texts]
    assert labels == ["y=0", "y=0", "y=0", "y=1"]
    (line,) = [ln for ln in ax.get_lines() if len(ln.get_xdata())]
    x, y = np.asarray(line.get_xdata()), np.asarray(line.get_ydata())
    np.testing.assert_allclose(1.0 * x + 1.0 * y - 1.5, 0, atol=1e-9)


def test_plot_neuron_other_activations_and_special_lines():
    fig = plot_neuron(2.0, 0.0, -1.0, "sigmoid")  # vertical line x1 = 0.5
    ax = fig.axes[0]
    vertical = [ln for ln in ax.get_lines() if np.allclose(ln.get_xdata(), 0.5)]
    assert vertical
    assert [t.get_text() for t in ax.texts] == ["y=0.27", "y=0.27", "y=0.73", "y=0.73"]
    fig = plot_neuron(0.0, 0.0, 0.5, "sign")  # no line, constant output
    assert [t.get_text() for t in fig.axes[0].texts] == ["y=1"] * 4
    _, ax = plt.subplots()
    assert plot_neuron(1, -1, 0, "relu", ax=ax) is ax.figure
    with pytest.raises(ValueError, match="activation"):
        plot_neuron(1, 1, 0, "swish")
    with pytest.raises(ValueError, match="w2"):
        plot_neuron(1, np.nan, 0)


# ------------------------------------------------------------------------ plot_activation
@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu", "step", "sign"])
def test_plot_activation_returns_labelled_figure(name):
    fig = plot_activation(name)
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    for ax in fig.axes:
        assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    assert name in fig.axes[0].get_ylabel() and "'" in fig.axes[1].get_ylabel()


def test_plot_activation_marks_derivative_maximum():
    assert "max 0.25 at x = 0" in plot_activation("sigmoid").axes[1].get_title()
    assert "max 1 at x = 0" in plot_activation("tanh").axes[1].get_title()
    assert "undefined" in plot_activation("step").axes[1].get_title()
    fig = plot_activation("tanh", x_range=(-2, 3))
    xs = fig.axes[0].get_lines()[0].get_xdata()
    assert xs.min() == -2 and xs.max() == 3


def test_plot_activation_on_one_axes_and_errors():
    _, ax = plt.subplots()
    fig = plot_activation("relu", ax=ax)
    assert len(fig.axes) == 1 and ax.get_legend() is not None
    with pytest.raises(ValueError, match="name"):
        plot_activation("softplus")
    with pytest.raises(ValueError, match="x_range"):
        plot_activation("relu", x_range=(2, 1))


# ------------------------------------------------------------------------------ explorers
def test_neuron_explorer_builds_and_redraws():
    before = plt.get_fignums()
    ne = neuron_explorer()
    assert isinstance(ne, NeuronExplorer) and isinstance(ne, widgets.VBox)
    assert set(ne.sliders) == {"w1", "w2", "b"}
    for s in ne.sliders.values():
        assert s.min <= -2 and s.max >= 2
    assert ne.activation_menu.options == ("step", "sign", "sigmoid", "tanh", "relu")
    img0 = image_of(ne.output)
    assert "step(net)" in ne.table.value
    ne.sliders["b"].value = -0.5  # AND -> OR
    rows = ne.text().splitlines()[3:]
    assert [r.split()[-1] for r in rows] == ["0", "1", "1", "1"]
    img1 = image_of(ne.output)
    assert img0.shape != img1.shape or not np.array_equal(img0, img1)
    ne.activation_menu.value = "sigmoid"
    assert "sigmoid(net)" in ne.table.value
    assert plt.get_fignums() == before  # nothing leaked into pyplot
    assert mime_bundle(ne)["text/plain"].startswith("Neuron explorer")
    assert has_class(ne, "neuron-explorer")
    with pytest.raises(ValueError, match="activation"):
        neuron_explorer("linear")


def test_activation_explorer_builds_and_redraws():
    ae = activation_explorer()
    assert has_class(ae, "activation-explorer")
    assert ae.menu.options == ("sigmoid", "tanh", "relu", "leaky_relu", "step", "sign")
    img0 = image_of(ae.output)
    ae.menu.value = "relu"
    img1 = image_of(ae.output)
    assert img0.shape != img1.shape or not np.array_equal(img0, img1)
    ae.range_slider.value = (-1.0, 1.0)
    assert "[-1.0, 1.0]" in repr(ae)
    assert plt.get_fignums() == []


# ----------------------------------------------------------------------------- Playground
def network_inputs(pg, X=None):
    """The points ``X`` (default: the training points) as the Playground's network sees
    them: standardised with the training points' mean and standard deviation."""
    X = pg.X_train if X is None else X
    mu, sd = pg.X_train.mean(axis=0), pg.X_train.std(axis=0) + 1e-6
    return ((np.asarray(X, dtype=np.float32) - mu) / sd).astype(np.float32)


def params_copy(pg):
    return {k: v.copy() for k, v in pg.model.params.items()}


def test_training_lowers_the_loss_on_xor():
    pg = Playground("xor", seed=0)
    start = pg.train_loss()
    assert start > 0.5  # about log 2 before training
    loss = pg.step(60)
    assert loss == pg.history["train_loss"][-1] == pytest.approx(pg.train_loss())
    assert loss < 0.3 * start, (start, loss)
    assert pg.test_loss() < 0.3 * start
    assert pg.model.score(network_inputs(pg, pg.X_test), pg.y_test) >= 0.95
    assert pg.epoch == 60 and pg.history["epoch"] == list(range(61))


def test_playground_trains_through_fit_with_an_advancing_seed():
    pg = Playground("moons", seed=4, lr=0.3, batch_size=16)
    model = copy.deepcopy(pg.model)
    for epochs, seed in ((2, 5), (1, 6)):  # the batch order of each step: seed + 1, + 2, ...
        fit(model, network_inputs(pg), pg.y_train, epochs=epochs, batch_size=16, lr=0.3,
            optimizer="sgd", seed=seed, progress=False)
        pg.step(epochs)
        for k, w in model.params.items():
            np.testing.assert_array_equal(pg.model.params[k], w)
    assert pg.epoch == 3 and len(pg.history["train_loss"]) == 4


def test_model_is_a_float32_two_class_softmax_mlp():
    pg = Playground(hidden_layers=2, units=5)
    m = pg.model
    assert m.layer_sizes == [2, 5, 5, 2] and m.output == "softmax"
    assert all(v.dtype == np.float32 for v in m.params.values())
    assert len(pg.y_train) == len(pg.y_test) == 100
    assert set(np.unique(pg.y_train)) == {0, 1}


def test_dataset_changes_the_data():
    pg = Playground("xor")
    X0 = pg.X_train.copy()
    pg.step(3)
    pg.set(dataset="circles")
    assert pg.X_train.shape == X0.shape and not np.allclose(pg.X_train, X0)
    assert pg.epoch == 0  # new data: training restarts
    r = np.linalg.norm(pg.X_train, axis=1)
    assert abs(r[pg.y_train == 0].mean() - 1.0) < 0.1  # outer circle is class 0
    for name in ("moons", "spirals"):
        pg.set(dataset=name)
        assert pg.settings["dataset"] == name


def test_noise_and_n_samples_change_the_data():
    pg = Playground("moons", noise=0.0)
    X0 = pg.X_train.copy()
    pg.set(noise=0.3)
    spread = np.abs(pg.X_train - X0).mean()
    assert spread > 0.1
    pg.set(n_samples=60)
    assert len(pg.y_train) + len(pg.y_test) == 60


def test_architecture_controls_change_parameter_shapes():
    pg = Playground(hidden_layers=1, units=8)
    assert {k: v.shape for k, v in pg.model.params.items()} == {
        "W1": (2, 8), "b1": (8,), "W2": (8, 2), "b2": (2,)}
    pg.set(hidden_layers=3)
    assert sorted(pg.model.params) == ["W1", "W2", "W3", "W4", "b1", "b2", "b3", "b4"]
    pg.set(units=16)
    assert pg.model.params["W2"].shape == (16, 16)
    pg.set(activation="relu")
    assert pg.model.activation == "relu"
    pg.set(activation="sigmoid")
    assert pg.model.activation == "sigmoid"


@pytest.mark.parametrize("setting, value", [("lr", 0.3), ("l2", 0.03), ("keep_prob", 0.7)])
def test_live_settings_reach_the_model_and_change_a_step(setting, value):
    base, changed = Playground(seed=3), Playground(seed=3)
    base.step(2)
    changed.step(2)
    changed.set(**{setting: value})
    assert changed.epoch == 2  # no restart for these
    if setting == "lr":
        assert changed.settings["lr"] == value  # the next step passes it to fit
    else:
        assert getattr(changed.model, setting) == value
    for k in base.model.params:  # same state before the step
        np.testing.assert_array_equal(base.model.params[k], changed.model.params[k])
    base.step(1)
    changed.step(1)
    diff = max(np.abs(base.model.params[k] - changed.model.params[k]).max()
               for k in base.model.params)
    assert diff > 1e-4, setting


def test_reset_restores_epoch_zero_and_the_initial_loss():
    pg = Playground("spirals", hidden_layers=2)
    p0, l0 = params_copy(pg), pg.train_loss()
    pg.step(5)
    assert pg.train_loss() != l0
    pg.reset()
    assert pg.epoch == 0 and pg.history["epoch"] == [0]
    assert pg.train_loss() == l0 == pg.history["train_loss"][0]
    for k, v in p0.items():
        np.testing.assert_array_equal(pg.model.params[k], v)
    # same training again gives the same losses (seeded batch order)
    first = Playground("spirals", hidden_layers=2)
    assert first.step(3) == pg.step(3)


def test_bad_settings_raise():
    pg = Playground()
    with pytest.raises(ValueError, match="unknown setting 'learning_rate'"):
        pg.set(learning_rate=0.1)
    with pytest.raises(ValueError, match="dataset"):
        pg.set(dataset="iris")
    with pytest.raises(ValueError, match="keep_prob"):
        pg.set(keep_prob=0)
    with pytest.raises(ValueError, match="units"):
        pg.set(units=0)
    with pytest.raises(ValueError, match="lr"):
        Playground(lr=-1)
    with pytest.raises(ValueError, match="epochs"):
        pg.step(0)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_divergence_is_reported():
    pg = Playground()
    pg.model.params["W1"][:] = np.inf
    with pytest.raises(TrainingDivergedError, match=r"diverged at epoch 1, batch 1\b.*lr=0\.1"):
        pg.step()
    assert pg.epoch == 0 and pg.history["epoch"] == [0]  # the failed epoch is not recorded


def test_draw_returns_the_updated_figure():
    pg = Playground()
    fig = pg.draw()
    assert isinstance(fig, Figure) and "epoch 0" in fig.get_suptitle()
    pg.step(4)
    assert pg.draw() is fig and "epoch 4" in fig.get_suptitle()
    boundary, loss = fig.axes
    assert boundary.get_xlabel() and boundary.get_ylabel() and boundary.get_title()
    assert loss.get_xlabel() == "epoch" and loss.get_ylabel() and loss.get_title()
    np.testing.assert_array_equal(loss.get_lines()[0].get_xdata(), range(5))
    assert fig.legends and plt.get_fignums() == []


def test_fast_png_matches_a_full_render():
    pg = Playground()
    pg.step(10)
    fast = np.asarray(Image.open(io.BytesIO(pg.render_png())))
    pg.step(1)  # the next frame re-uses the cached background
    fast = np.asarray(Image.open(io.BytesIO(pg.render_png())))
    buf = io.BytesIO()
    pg.draw().savefig(buf, format="png")
    full = np.asarray(Image.open(buf))[..., :3]
    assert fast.shape == full.shape
    assert (np.abs(fast.astype(int) - full.astype(int)) > 40).mean() < 0.001


def test_playground_widget_controls_buttons_and_classes():
    pg = Playground()
    box = pg.widget
    assert has_class(box, "playground")
    descriptions = {name: c.description for name, c in pg.controls.items()}
    assert descriptions == {
        "dataset": "data set", "hidden_layers": "hidden layers", "units": "units per layer",
        "activation": "activation", "lr": "learning rate", "l2": "L2 strength",
        "keep_prob": "keep prob", "noise": "noise"}
    for name, c in pg.controls.items():
        assert has_class(c, "playground-" + name.replace("_", "-"))
    assert pg.controls["hidden_layers"].max == 4 and pg.controls["units"].max == 32
    assert has_class(pg.play, "playground-play") and isinstance(pg.play, widgets.Play)
    assert pg.step_button.description == "step" and has_class(pg.step_button,
                                                               "playground-step")
    assert pg.reset_button.description == "reset" and has_class(pg.reset_button,
                                                                "playground-reset")
    assert has_class(pg.epoch_html, "playground-epoch")
    assert has_class(pg.output, "playground-output")
    assert "epoch 0" in pg.epoch_html.value
    img0 = image_of(pg.output)

    pg.step_button.click()
    assert pg.epoch == 1 and "epoch 1 |" in pg.epoch_html.value
    img1 = image_of(pg.output)
    assert not np.array_equal(img0, img1)

    pg.play.value += 1  # one tick of the Play widget
    assert pg.epoch == 1 + pg.epochs_per_tick

    pg.controls["units"].value = 3  # a control rebuilds the model
    assert pg.model.params["W1"].shape == (2, 3) and pg.epoch == 0
    pg.controls["lr"].value = 0.3
    assert pg.settings["lr"] == 0.3
    pg.controls["dataset"].value = "moons"
    assert pg.settings["dataset"] == "moons"

    pg.step(3)
    pg.reset_button.click()
    assert pg.epoch == 0 and "epoch 0" in pg.epoch_html.value

    pg.set(hidden_layers=2, l2=0.001)  # the API moves the controls too
    assert pg.controls["hidden_layers"].value == 2 and pg.controls["l2"].value == 0.001
    assert plt.get_fignums() == []


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_ui_step_shows_divergence_instead_of_raising():
    pg = Playground()
    assert pg.widget is not None
    pg.model.params["W1"][:] = np.inf
    pg.step_button.click()
    assert "diverged" in pg.epoch_html.value and pg.play.playing is False


def test_playground_repr_is_plain_text():
    text = repr(Playground("circles", units=4))
    assert text.startswith("Playground('circles', hidden_layers=1, units=4")
    assert "epoch 0 | train loss" in text


# ------------------------------------------------------------------ Playground start

@pytest.mark.parametrize("kwargs", [
    dict(dataset="moons", hidden_layers=2, units=32, activation="relu", noise=0.3,
         n_samples=100),  # started at loss 2.9 with the MLP's default output scale
    dict(dataset="circles", hidden_layers=2, units=32, activation="relu"),
    dict(dataset="spirals", hidden_layers=4, units=32, activation="sigmoid"),
    dict(dataset="xor", hidden_layers=1, units=8, activation="tanh"),
])
def test_playground_starts_undecided(kwargs):
    pg = Playground(seed=0, **kwargs)
    scores = pg.model.scores(network_inputs(pg))
    d = scores[:, 1] - scores[:, 0]
    assert abs(d.mean()) < 1e-4                         # balanced on average
    assert d.std() <= Playground.INITIAL_SCORE_RMS + 1e-4
    assert abs(pg.train_loss() - np.log(2)) < 0.15, pg.status()
    assert pg.history["train_loss"] == [pg.train_loss()]


def test_small_initial_scores_are_left_alone():
    # a 2-1-2 sigmoid net (seed 0) starts with a score spread far below the cap: its output
    # weights must stay as the MLP made them (only the biases are centred)
    pg = Playground("xor", hidden_layers=1, units=1, activation="sigmoid", seed=0)
    scores = pg.model.scores(network_inputs(pg))
    d = scores[:, 1] - scores[:, 0]
    assert d.std() < Playground.INITIAL_SCORE_RMS * 0.5
    assert abs(d.mean()) < 1e-4
    fresh = MLP([2, 1, 2], activation="sigmoid", seed=0, dtype=np.float32)
    np.testing.assert_array_equal(pg.model.params["W2"], fresh.params["W2"])
    assert not np.array_equal(pg.model.params["b2"], fresh.params["b2"])


def test_playground_still_learns_xor_from_the_undecided_start():
    pg = Playground("xor", seed=0)
    pg.step(60)
    assert pg.train_loss() < 0.15
    assert pg.model.score(network_inputs(pg, pg.X_test), pg.y_test) >= 0.95


# ------------------------------------------------------------------ loss chart at epoch 0
def _colour_pixels(png, colour, region):
    img = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    h, w, _ = img.shape
    x0, x1 = int(region[0] * w), int(region[1] * w)
    target = np.array([round(255 * c) for c in to_rgb(colour)])
    return int((np.abs(img[:, x0:x1] - target).sum(axis=2) < 40).sum())


def test_loss_chart_shows_a_point_at_epoch_zero():
    pg = Playground(seed=0)
    png = pg.render_png()
    loss_axes = pg.draw().axes[1]
    train_line, test_line = loss_axes.get_lines()[:2]
    assert train_line.get_marker() == "o" and list(train_line.get_markevery()) == [0]
    # the train-loss dot is drawn in the loss panel (right half, above the legend row)
    assert _colour_pixels(png, PALETTE[0], (0.55, 0.99)) > 10
    assert _colour_pixels(png, PALETTE[3], (0.55, 0.99)) > 10
    pg.step(3)
    pg.render_png()
    assert list(test_line.get_markevery()) == [3]       # the dot follows the latest epoch
    assert loss_axes.get_xlim()[0] < 0                   # epoch-0 dots are not cut


# ------------------------------------------------------------------ derivative labels
@pytest.mark.parametrize("name, x_range, text", [
    ("sigmoid", (-5, 5), "max 0.25 at x = 0"),
    ("sigmoid", (-4.3, 5), "max 0.25 at x = 0"),        # 0 is not a grid point here
    ("tanh", (-5, 5), "max 1 at x = 0"),
    ("tanh", (1, 4), "max 0.42 at x = 1"),              # at the end of the range
    ("relu", (-5, 5), "max 1 for x > 0"),
    ("relu", (-4.3, 5), "max 1 for x > 0"),
    ("leaky_relu", (-5, 5), "max 1 for x > 0"),
    ("relu", (1, 4), "1 on this whole range"),
    ("leaky_relu", (-3, -1), "0.01 on this whole range"),
])
def test_derivative_maximum_is_named_as_a_point_or_an_interval(name, x_range, text):
    ax = plot_activation(name, x_range=x_range).axes[1]
    assert ax.get_title() == f"derivative: {text}"
    dots = [ln for ln in ax.get_lines() if ln.get_marker() == "o"]
    assert len(dots) == (1 if " at x = " in text else 0)


def test_step_and_sign_keep_the_undefined_note():
    for name in ("step", "sign"):
        assert "undefined" in plot_activation(name).axes[1].get_title()
