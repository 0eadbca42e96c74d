"""The course's knowledge-check questions, as data, grouped by lesson topic.

Each question is a dict with ``id``, ``topic`` (a key of ``TOPICS``), ``question``,
``explanation`` and ``source`` ('syllabus' for the two questions of the syllabus' own
knowledge check, else 'course'), and by its ``kind``:

- 'choice' (the default) and 'code' (a "what happens if" question about a piece of code):
  ``options``, ``answer`` (the letter of the right option) and ``why_wrong`` ({letter: why
  the option tempts and why it is wrong} for every wrong option); ``figure`` optionally
  names a figure of ``helpers.lessons.quiz_figures`` that the question asks about;
- 'numeric': ``answer`` (a number), ``tolerance`` and ``mistakes`` ([(value, what that
  wrong result shows)]).

The lesson questions (``LESSON_QUESTIONS``, three modules by lesson pairs) end lessons 01-06:
``quizzes(topic)`` turns them into ``helpers.widgets`` quizzes, ``quiz_set(topic)`` into a
``QuizSet`` with a score line. The final's questions (``FINAL_QUESTIONS``, in mixed topic
order) appear only in lesson 07 (``helpers.lessons.knowledge_check``); each names in
``review`` the lesson heading to go back to. ``quiz_by_id`` / ``question`` find one question
anywhere; ``statistics()`` measures how guessable the bank is (the unit test bounds it).

Where the lesson slides are wrong, the question teaches the correct fact and the explanation
says what the slide claims (e.g. the slides let gradient descent "converge to a maximum").
Omits: free-text questions, randomised option order (the letters are balanced instead).
"""

from __future__ import annotations

from collections import Counter

from ..widgets import NumericQuiz, Quiz, QuizSet
from . import quiz_questions_backprop as backprop
from . import quiz_questions_basics as basics
from . import quiz_questions_final as final
from . import quiz_questions_training as training

#: topic key -> (section title, lesson notebook the topic is taught in)
TOPICS = {
    "neurons": ("Neurons and logic gates", "01_neurons.ipynb"),
    "perceptron": ("The perceptron and XOR", "02_perceptron.ipynb"),
    "backprop": ("Gradient descent and backpropagation", "03_backprop_walkthrough.ipynb"),
    "activations": ("Activation functions", "04_activations.ipynb"),
    "regularization": ("Overfitting, L2 and dropout", "05_regularization.ipynb"),
    "mnist": ("The MNIST dropout project", "06_dropout_mnist.ipynb"),
}

#: ids of the two questions of the syllabus' own knowledge check
SYLLABUS_IDS = ("perceptron-weights", "dropout-bagging")

#: the questions that end the lessons, in course order
LESSON_QUESTIONS = basics.QUESTIONS + backprop.QUESTIONS + training.QUESTIONS
#: the questions of lesson 07's mixed final, in the order it asks them
FINAL_QUESTIONS = final.QUESTIONS
#: every question
QUESTIONS = LESSON_QUESTIONS + FINAL_QUESTIONS
_BY_ID = {q["id"]: q for q in QUESTIONS}


def question(qid):
    """The question dict with this id (e.g. 'dropout-bagging')."""
    if qid not in _BY_ID:
        raise ValueError(f"qid: expected one of {sorted(_BY_ID)}, got {qid!r}")
    return _BY_ID[qid]


def make_quiz(q):
    """A Quiz (or NumericQuiz for kind 'numeric') from one question dict; the quiz also
    gets ``id``, ``source``, ``kind``, ``figure`` and ``review`` (None where absent)."""
    kind = q.get("kind", "choice")
    if kind == "numeric":
        quiz = NumericQuiz(q["question"], q["answer"], q["explanation"], q["tolerance"],
                           topic=q["topic"], mistakes=q.get("mistakes"))
    elif kind in ("choice", "code"):
        quiz = Quiz(q["question"], q["options"], q["answer"], q["explanation"],
                    topic=q["topic"], why_wrong=q.get("why_wrong"))
    else:
        raise ValueError(f"kind: expected 'choice', 'code' or 'numeric', got {kind!r} "
                         f"(question {q.get('id')!r})")
    quiz.id, quiz.kind = q["id"], kind
    quiz.source = q.get("source", "course")
    quiz.figure, quiz.review = q.get("figure"), q.get("review")
    return quiz


def quizzes(topic=None):
    """Fresh quizzes for the lesson questions (or only those of ``topic``), in course
    order. The final's questions are not among them (see ``final_quizzes``)."""
    if topic is not None and topic not in TOPICS:
        raise ValueError(f"topic: expected one of {list(TOPICS)}, got {topic!r}")
    return [make_quiz(q) for q in LESSON_QUESTIONS if topic is None or q["topic"] == topic]


def final_quizzes():
    """Fresh quizzes for lesson 07's final, in the order it asks them."""
    return [make_quiz(q) for q in FINAL_QUESTIONS]


def quiz_set(topic):
    """A QuizSet (widgets + score line) for the lesson questions of one topic."""
    return QuizSet(quizzes(topic), title=TOPICS[topic][0])


def quiz_by_id(qid):
    """A fresh quiz for the question with this id (e.g. 'dropout-bagging')."""
    return make_quiz(question(qid))


def statistics(questions=None):
    """How the bank (default: every question) could be gamed, measured:

    count, per_topic ({topic: n}), kinds ({kind: n}), figures (questions with a figure);
    over the multiple-choice questions: choice (their number), longest_right (fraction
    whose right option is the single longest one), letters ({letter: fraction of the
    right answers}), unexplained (ids with a wrong option that has no ``why_wrong``)."""
    qs = QUESTIONS if questions is None else list(questions)
    choice = [q for q in qs if "options" in q]
    longest = 0
    unexplained = []
    for q in choice:
        lengths = [len(o) for o in q["options"]]
        right = "abcdefgh".index(q["answer"])
        if lengths[right] == max(lengths) and lengths.count(max(lengths)) == 1:
            longest += 1
        wrong = set("abcdefgh"[: len(q["options"])]) - {q["answer"]}
        if not wrong <= set(q.get("why_wrong", {})):
            unexplained.append(q["id"])
    letters = Counter(q["answer"] for q in choice)
    return {
        "count": len(qs),
        "per_topic": dict(Counter(q["topic"] for q in qs)),
        "kinds": dict(Counter(q.get("kind", "choice") for q in qs)),
        "figures": sum("figure" in q for q in qs),
        "choice": len(choice),
        "longest_right": longest / max(len(choice), 1),
        "letters": {k: letters[k] / max(len(choice), 1) for k in sorted(letters)},
        "unexplained": unexplained,
    }
