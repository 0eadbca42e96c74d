"""The course's knowledge-check questions, as data, grouped by lesson topic.

Each question is a dict with ``id``, ``topic`` (a key of ``TOPICS``), ``question``,
``options``, ``answer`` (the letter of the right option), ``explanation`` and ``source``
('syllabus' for the two questions of the lesson's own knowledge check, 'course' for the
others). ``quizzes(topic)`` turns them into ``helpers.widgets.Quiz`` objects, ``quiz_set``
into a ``QuizSet`` with a score line, ``quiz_by_id`` finds one question.

Where the lesson slides are wrong, the question teaches the correct fact and the explanation
says what the slide claims (e.g. the slides let gradient descent "converge to a maximum").
Omits: free-text and numeric-entry questions, randomised option order.
"""

from __future__ import annotations

from ..widgets import Quiz, QuizSet
from . import quiz_questions_basics as basics
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

#: every question, in course order (the data live in two modules, one per half of the course)
QUESTIONS = basics.QUESTIONS + training.QUESTIONS


def _find(qid):
    for q in QUESTIONS:
        if q["id"] == qid:
            return q
    raise ValueError(f"qid: expected one of {[q['id'] for q in QUESTIONS]}, got {qid!r}")


def make_quiz(question):
    """A Quiz from one question dict; the Quiz also gets ``id`` and ``source``."""
    quiz = Quiz(question["question"], question["options"], question["answer"],
                question["explanation"], topic=question["topic"])
    quiz.id = question["id"]
    quiz.source = question.get("source", "course")
    return quiz


def quizzes(topic=None):
    """Fresh Quiz objects for every question (or only those of ``topic``), in course order."""
    if topic is not None and topic not in TOPICS:
        raise ValueError(f"topic: expected one of {list(TOPICS)}, got {topic!r}")
    return [make_quiz(q) for q in QUESTIONS if topic is None or q["topic"] == topic]


def quiz_set(topic):
    """A QuizSet (widgets + score line) for the questions of one topic."""
    return QuizSet(quizzes(topic), title=TOPICS[topic][0])


def quiz_by_id(qid):
    """A fresh Quiz for the question with this id (e.g. 'dropout-bagging')."""
    return make_quiz(_find(qid))
