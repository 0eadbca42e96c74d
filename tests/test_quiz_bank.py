"""The quiz bank (helpers.lessons.quiz_bank), its figures and lesson 07's mixed final
(helpers.lessons.knowledge_check): a bank that cannot be passed by guessing, answers that the
course's own code recomputes, and a final whose questions appear in no lesson."""

import json
import re
from pathlib import Path

import numpy as np
import pytest

from helpers.activations import sigmoid, sigmoid_grad, step, tanh_grad
from helpers.data import logic_gate
from helpers.layers import dropout_forward, softmax
from helpers.lessons import quiz_bank, quiz_figures
from helpers.lessons.knowledge_check import KnowledgeCheck, review_link
from helpers.models import MLP, Perceptron
from helpers.optim import sgd_momentum
from helpers.widgets import NumericQuiz, QuizSet

ROOT = Path(__file__).parents[1]
FINAL_IDS = [q["id"] for q in quiz_bank.FINAL_QUESTIONS]


def answer(qid):
    """The right answer of a question: the option's text, or the number."""
    q = quiz_bank.question(qid)
    return q["options"]["abcd".index(q["answer"])] if "options" in q else q["answer"]


# ---------------------------------------------------------------------------- guessability
def test_the_bank_cannot_be_passed_by_guessing():
    stats = quiz_bank.statistics()
    assert stats["count"] >= 45
    assert min(stats["per_topic"].values()) >= 6 and set(stats["per_topic"]) == set(
        quiz_bank.TOPICS)
    assert stats["longest_right"] <= 0.25, stats["longest_right"]
    assert set(stats["letters"]) == set("abcd")
    assert all(0.15 <= f <= 0.35 for f in stats["letters"].values()), stats["letters"]
    assert stats["unexplained"] == []
    assert stats["kinds"]["numeric"] >= 5 and stats["kinds"]["code"] >= 3
    assert stats["figures"] >= 3


def test_statistics_measure_what_they_say():
    qs = [{"id": "x", "topic": "neurons", "options": ["a long right one", "no", "nope"],
           "answer": "a", "why_wrong": {"b": "B."}},
          {"id": "y", "topic": "mnist", "options": ["same", "size"], "answer": "b",
           "why_wrong": {"a": "A."}},
          {"id": "z", "topic": "mnist", "kind": "numeric", "answer": 1.0}]
    stats = quiz_bank.statistics(qs)
    assert stats["count"] == 3 and stats["choice"] == 2
    assert stats["longest_right"] == 0.5             # 'x' only: 'y' ties
    assert stats["letters"] == {"a": 0.5, "b": 0.5}
    assert stats["unexplained"] == ["x"]             # option 'c' of x has no note
    assert stats["per_topic"] == {"neurons": 1, "mnist": 2}


def test_every_question_is_well_formed():
    ids = [q["id"] for q in quiz_bank.QUESTIONS]
    assert len(set(ids)) == len(ids)
    for q in quiz_bank.QUESTIONS:
        quiz = quiz_bank.make_quiz(q)               # validates options, answer, notes
        assert len(q["explanation"]) > 60, q["id"]
        if isinstance(quiz, NumericQuiz):
            assert q["mistakes"] and quiz.check(quiz.answer).startswith("Correct!")
            for value, _ in q["mistakes"]:
                assert quiz.check(value).startswith("Not quite."), (q["id"], value)
        else:
            assert len(set(quiz.options)) == len(quiz.options), q["id"]
            assert all(len(note) > 20 for note in quiz.why_wrong.values()), q["id"]
            assert quiz.check(quiz.answer).startswith("Correct!")
    with pytest.raises(ValueError, match="topic"):
        quiz_bank.quizzes("optimizers")
    with pytest.raises(ValueError, match="qid"):
        quiz_bank.quiz_by_id("nope")


# --------------------------------------------------------------------- lessons and final
def test_each_lesson_keeps_its_quiz_and_the_final_is_separate():
    for topic in quiz_bank.TOPICS:
        s = quiz_bank.quiz_set(topic)
        assert isinstance(s, QuizSet) and len(s) >= 3, topic
        assert not set(q.id for q in s) & set(FINAL_IDS), topic
    assert len(FINAL_IDS) >= 15
    assert {q.id for q in quiz_bank.quizzes()}.isdisjoint(FINAL_IDS)
    topics = [q["topic"] for q in quiz_bank.FINAL_QUESTIONS]
    assert all(a != b for a, b in zip(topics, topics[1:])), topics   # mixed order
    assert set(topics) == set(quiz_bank.TOPICS)
    first = quiz_bank.final_quizzes()[0]
    assert first.kind != "numeric"   # the browser test answers the first quiz by its radios


def test_lesson_07_asks_every_final_question_and_no_lesson_question():
    nb = json.loads((ROOT / "notebooks" / "07_knowledge_check.ipynb").read_text("utf-8"))
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    asked = [int(n) for call in re.findall(r"final\.ask\(([\d, ]+)\)", code)
             for n in call.split(",")]
    assert asked == list(range(1, len(FINAL_IDS) + 1))
    assert "quiz_set(" not in code and "quizzes(" not in code
    assert "final.report" in code
    for lesson in sorted((ROOT / "notebooks").glob("0[1-6]_*.ipynb")):
        text = lesson.read_text("utf-8")
        assert not [qid for qid in FINAL_IDS if qid in text], lesson.name


def test_syllabus_questions_and_answers():
    q1, q2 = (quiz_bank.quiz_by_id(i) for i in quiz_bank.SYLLABUS_IDS)
    assert q1.answer_letter == "b" and "integer" in q1.options[q1.answer]
    assert q2.answer_letter == "a" and q2.options[q2.answer] == "Bagging"
    assert q1.source == q2.source == "syllabus"
    assert q2.options == ["Bagging", "Boosting", "Stacking", "None of these"]
    assert quiz_bank.quiz_set("regularization").title == "Overfitting, L2 and dropout"


# ------------------------------------------------------------- answers the code recomputes
def test_perceptron_weights_are_initial_plus_integer_combination():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((40, 2)).astype(np.float32)
    y = (X @ np.array([1.0, -2.0]) + 0.3 > 0).astype(int)
    w0 = np.array([0.5, -0.25], dtype=np.float32)
    p = Perceptron(2, lr=0.5, w_init=w0)
    p.fit(X, y, epochs=200, seed=1)
    assert p.converged_
    c = p.update_counts_ * np.where(y == 1, 1, -1)  # one integer per data point
    np.testing.assert_allclose(p.w, w0 + 0.5 * (c @ X), atol=1e-4)
    assert "integer" in answer("perceptron-weights")


def test_gate_answers_are_right():
    X, y_and = logic_gate("and")
    assert np.array_equal((X.sum(axis=1) >= 2).astype(int), y_and)
    assert answer("mp-and") == "AND"
    _, y_nand = logic_gate("nand")
    assert np.array_equal(step(X @ np.array([-1.0, -1.0]) + 1.5), y_nand)
    assert answer("neuron-nand") == "NAND"
    _, y_or = logic_gate("or")
    for theta in (0.5, 1.0):
        assert np.array_equal((X.sum(axis=1) >= theta).astype(int), y_or)
    assert np.array_equal((X.sum(axis=1) >= 0).astype(int), np.ones(4))   # theta = 0 fires
    assert answer("final-threshold-or") == "Any theta with 0 < theta <= 1"
    outputs = {int(step(np.sum([1.0, 1.0]) - 1.5)) for _ in X}            # np.sum(w) + b
    assert outputs == {1} and "x never enters" in answer("final-neuron-sum-of-weights")


def test_numeric_answers_are_right():
    x = np.linspace(-6, 6, 1201)
    assert answer("sigmoid-derivative-max") == f"{sigmoid_grad(x).max():g}" == "0.25"
    assert tanh_grad(x).max() == pytest.approx(1.0)
    assert round(0.74136507 * 0.186815602 * 0.593269992, 9) == 0.082167041
    assert answer("w5-update") == f"{0.4 - 0.5 * 0.082167041:.8f}"
    w = np.zeros(2) + 0.5 * (1 - 0) * np.array([1.0, 2.0])
    assert answer("perceptron-update") == f"({w[0]:.1f}, {w[1]:.1f})"
    approx = {qid: pytest.approx(answer(qid), abs=quiz_bank.question(qid)["tolerance"])
              for qid in FINAL_IDS + ["inverted-dropout-value"]
              if quiz_bank.question(qid).get("kind") == "numeric"}
    assert float(sigmoid(0.5 * 2 - 1.0 * 1 + 0.25)) == approx["final-neuron-output"]
    assert approx["final-tanh-derivative"] == 1 - 0.6 ** 2
    assert approx["final-weight-decay-step"] == 2.0 - 0.1 * (0.5 + 0.01 * 2.0)
    z = np.dot([0.5, -0.5], [1, 2]) + 0
    assert -0.5 + 0.1 * (1 - step(z)) * 2 == approx["final-perceptron-step"]
    assert softmax(np.array([[3.0, 1.0, 0.0]]))[0, 0] == approx["final-softmax"]
    assert -np.log(0.25) == approx["final-cross-entropy"]
    params = MLP([784, 256, 10]).params
    assert sum(p.size for p in params.values()) == approx["final-mlp-size"]
    w, config = np.zeros(1), {"learning_rate": 0.1, "momentum": 0.9}
    for _ in range(2):
        w, config = sgd_momentum(w, np.ones(1), config)
    assert config["velocity"][0] == approx["final-momentum-steps"]
    out, _ = dropout_forward(np.full(1000, 2.0), 0.8, rng=0)
    assert set(np.unique(out)) == {0.0, 2.5} and approx["inverted-dropout-value"] == 2.5


def test_l2_and_dropout_answers_match_the_code():
    from helpers.gradcheck import numerical_gradient

    W, l2 = np.random.default_rng(1).standard_normal((3, 2)), 0.3
    num = numerical_gradient(lambda: 0.5 * l2 * np.sum(W ** 2), W)
    np.testing.assert_allclose(num, l2 * W, rtol=1e-5)
    assert answer("l2-gradient") == "l2 * W"
    x = np.ones((2, 3), dtype=np.float32)
    out, _ = dropout_forward(x, 0.7, mode="test", form="scale_at_test")
    np.testing.assert_allclose(out, 0.7 * x)
    assert "scaled by p" in answer("dropout-test-time")


# ---------------------------------------------------------------------------------- figures
def test_figures_show_what_their_questions_say():
    errors = {run: quiz_figures.descent_errors(lr)
              for run, lr in quiz_figures.LEARNING_RATES.items()}
    assert np.all(np.diff(errors["A"]) > 0)                       # A grows every step
    assert errors["C"][-1] < 1e-5 < errors["B"][-1] < 0.5 < errors["B"][0]
    left, right = (quiz_figures.descend_two_valleys(w0)[-1] for w0 in (-2.0, 2.0))
    assert left < 0 < right and quiz_figures.two_valleys(left) < quiz_figures.two_valleys(right)
    for w in (left, right):                                         # both at rest in a valley
        assert abs(4 * w ** 3 - 6 * w + 1) < 1e-6 and 12 * w ** 2 - 6 > 0
    train, val = quiz_figures.overfitting_sketch()
    assert np.all(np.diff(train) < 0) and 5 < np.argmin(val) < len(val) - 10
    cm = quiz_figures.CONFUSION.copy()
    np.fill_diagonal(cm, 0)
    i, j = np.unravel_index(cm.argmax(), cm.shape)
    digits = quiz_figures.CONFUSION_DIGITS
    assert (digits[i], digits[j], cm[i, j]) == (9, 4, 19)
    assert answer("final-confusion-figure") == "9s labelled 4, 19 times"


@pytest.mark.parametrize("name", sorted(quiz_figures.FIGURES))
def test_every_figure_is_labelled(name):
    import matplotlib.pyplot as plt

    fig, alt = quiz_figures.draw(name)
    ax = fig.axes[0]
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel() and len(alt) > 60
    plt.close(fig)
    used = {q.get("figure") for q in quiz_bank.QUESTIONS}
    assert name in used
    with pytest.raises(ValueError, match="name"):
        quiz_figures.draw("nope")


# ------------------------------------------------------------------------ knowledge check
def test_every_final_question_links_a_lesson_section():
    for q in quiz_bank.FINAL_QUESTIONS:
        heading, link = review_link(q["topic"], q["review"])
        lesson, anchor = link.split("#")
        assert lesson == quiz_bank.TOPICS[q["topic"]][1] and " " not in anchor
        assert anchor.replace("-", " ") == heading.replace("-", " ")
    with pytest.raises(ValueError, match="words"):
        review_link("neurons", "no such heading")


def test_the_report_scores_and_points_at_the_sections_missed():
    check = KnowledgeCheck()
    n = len(check)
    assert check.report.text().startswith(f"Your score: 0 / {n} correct ({n} not answered")
    for number, quiz in enumerate(check.quizzes, start=1):
        check.answer(number, quiz.answer)
    assert check.score() == (n, n, n) and "No topic missed" in check.report.text()
    wrong = next(i for i, q in enumerate(check.quizzes, 1) if q.topic == "activations")
    quiz = check.quizzes[wrong - 1]
    check.answer(wrong, quiz.answer + 1 if quiz.kind == "numeric" else
                 (quiz.answer + 1) % len(quiz.options))
    assert check.score() == (n - 1, n, n)
    heading, link = review_link("activations", quiz.review)
    assert check.to_review() == {"activations": [(heading, link)]}
    text = check.report.text()
    assert "To review for Activation functions:" in text and heading in text
    assert f"href='{link}'" in check.report.html.value
    with pytest.raises(ValueError, match="number"):
        check.answer(0, "a")
