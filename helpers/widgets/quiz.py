"""Multiple-choice quizzes that work with or without a browser (lesson 07_knowledge_check and
the end of each lesson).

``Quiz(question, options, answer, explanation, topic=None)``: ``.check(choice)`` returns
"Correct! ..." / "Not quite. ..." in plain Python; ``.widget`` is the ipywidgets version
(question, radio buttons "a. ...", a "Check" button, feedback). ``QuizSet(quizzes)`` (also
``quiz_widget(questions)``) shows several with a score line "3 / 5 correct so far".

CSS classes (for browser tests): ``quiz``, ``quiz-question``, ``quiz-options``,
``quiz-check``, ``quiz-feedback``; ``quiz-set``, ``quiz-score``.

What it omits: saving answers, timing, free-text or multiple-answer questions.
"""

from __future__ import annotations

import html
import numbers
import string

import ipywidgets as widgets

from .display import BAD, GOOD, display_widget, widget_bundle

LETTERS = string.ascii_lowercase


class Quiz:
    """One multiple-choice question with its explanation.

    question   : the question text (plain text).
    options    : list of at least two option strings (shown as "a. ...", "b. ...").
    answer     : index of the correct option (0-based) or its letter ('a', 'b', ...).
    explanation: why the answer is right; shown after every check.
    topic      : optional label (e.g. 'perceptron') used to group questions.

    ``check(choice)`` works without a frontend; ``widget`` is the ipywidgets version.
    """

    def __init__(self, question, options, answer, explanation, topic=None):
        if not isinstance(question, str) or not question.strip():
            raise ValueError(f"question: expected a non-empty string, got {question!r}")
        if (isinstance(options, str) or not isinstance(options, (list, tuple))
                or len(options) < 2 or not all(isinstance(o, str) and o.strip()
                                               for o in options)):
            raise ValueError("options: expected a list of at least two non-empty strings, "
                             f"got {options!r}")
        if len(options) > len(LETTERS):
            raise ValueError(f"options: expected at most {len(LETTERS)} options, "
                             f"got {len(options)}")
        if not isinstance(explanation, str) or not explanation.strip():
            raise ValueError(f"explanation: expected a non-empty string, got {explanation!r}")
        self.question = question.strip()
        self.options = [o.strip() for o in options]
        self.explanation = explanation.strip()
        self.topic = topic
        self.answer = self._index(answer, "answer")
        self.last_choice = None   # index of the last checked option
        self.last_correct = None  # True / False after a check, None before
        self._listeners = []
        self._widget = None

    # ------------------------------------------------------------------ plain Python
    @property
    def letters(self):
        """The option letters, e.g. 'abcd'."""
        return LETTERS[: len(self.options)]

    @property
    def answer_letter(self):
        """The letter of the correct option, e.g. 'b'."""
        return LETTERS[self.answer]

    def label(self, index):
        """The option as shown: 'b. one integer per data point'."""
        return f"{LETTERS[index]}. {self.options[index]}"

    def _index(self, choice, name="choice"):
        n = len(self.options)
        if isinstance(choice, numbers.Integral) and not isinstance(choice, bool):
            if 0 <= int(choice) < n:
                return int(choice)
        elif isinstance(choice, str):
            text = choice.strip().lower()
            if len(text) == 1 and text in self.letters:
                return self.letters.index(text)
            if len(text) == 2 and text[0] in self.letters and text[1] in ".)":
                return self.letters.index(text[0])
            for i, option in enumerate(self.options):
                if text in (option.lower(), self.label(i).lower()):
                    return i
        raise ValueError(
            f"{name}: expected a letter {self.letters[0]}-{self.letters[-1]}, an index "
            f"0-{n - 1} or the text of one of the options, got {choice!r}")

    def is_correct(self, choice):
        """True when ``choice`` (index, letter or option text) is the right answer."""
        return self._index(choice) == self.answer

    def feedback(self, index):
        """The feedback text for the option with this index."""
        if index == self.answer:
            return f"Correct! {self.explanation}"
        right = self.options[self.answer].rstrip(".")
        return (f"Not quite. The right answer is {self.answer_letter}: {right}. "
                f"{self.explanation}")

    def check(self, choice):
        """Feedback for ``choice`` (an index 0.., a letter 'a'.. or the option text): a string
        starting with "Correct!" or "Not quite." followed by the explanation. A choice that
        is none of these raises ValueError naming the valid letters."""
        index = self._index(choice)
        self.last_choice, self.last_correct = index, index == self.answer
        for listener in list(self._listeners):
            listener(self)
        return self.feedback(index)

    def on_check(self, callback):
        """Call ``callback(quiz)`` after every check (used by QuizSet for its score)."""
        self._listeners.append(callback)

    def text(self, topic=True):
        """Plain-text version: the question (after its topic) and the lettered options."""
        head = f"[{self.topic}] " if self.topic and topic else ""
        lines = [f"{head}{self.question}"]
        lines += [f"  {self.label(i)}" for i in range(len(self.options))]
        return "\n".join(lines)

    def __repr__(self):
        return self.text()

    def _repr_pretty_(self, p, cycle):
        p.text(self.text())

    # ------------------------------------------------------------------ widget
    @property
    def widget(self):
        """VBox: question (HTML), options (RadioButtons, nothing selected), "Check" button,
        feedback (HTML). Built on first use."""
        if self._widget is None:
            self._widget = self._build()
        return self._widget

    def _build(self):
        self.question_html = widgets.HTML(
            value=f"<div style='font-weight:600; line-height:1.45; margin:6px 0 2px 0'>"
                  f"{html.escape(self.question)}</div>")
        self.question_html.add_class("quiz-question")
        self.radio = widgets.RadioButtons(
            options=[(self.label(i), i) for i in range(len(self.options))], value=None,
            layout=widgets.Layout(width="auto"))
        self.radio.add_class("quiz-options")
        self.button = widgets.Button(description="Check", button_style="primary",
                                     tooltip="check your answer")
        self.button.add_class("quiz-check")
        self.feedback_html = widgets.HTML(value="")
        self.feedback_html.add_class("quiz-feedback")
        self.button.on_click(self._on_click)
        box = widgets.VBox([self.question_html, self.radio, self.button, self.feedback_html],
                           layout=widgets.Layout(margin="0 0 14px 0"))
        box.add_class("quiz")
        return box

    def _on_click(self, _button=None):
        if self.radio.value is None:
            self._set_feedback("Choose an option first, then press Check.", None)
            return
        text = self.check(self.radio.value)
        self._set_feedback(text, self.last_correct)

    def _set_feedback(self, text, correct):
        color = "inherit" if correct is None else (GOOD if correct else BAD)
        value = (f"<div style='color:{color}; line-height:1.45; max-width:60em'>"
                 f"{html.escape(text)}</div>")
        if self.feedback_html.value == value:
            # the same answer checked again: blank it first, so the frontend sees a change
            # and redraws it (the student sees the check happen)
            self.feedback_html.value = ""
        self.feedback_html.value = value

    def _repr_mimebundle_(self, **kwargs):
        return widget_bundle(self.widget, self.text())

    def _ipython_display_(self):
        display_widget(self.widget, self.text())


def _as_quiz(q):
    if isinstance(q, Quiz):
        return q
    if isinstance(q, dict):
        keys = ("question", "options", "answer", "explanation", "topic")
        return Quiz(**{k: q[k] for k in keys if k in q})
    raise TypeError(f"questions: expected Quiz objects or dicts, got {type(q).__name__}")


class QuizSet:
    """Several quizzes shown together with a score line "k / n correct so far".

    quizzes: Quiz objects or dicts with the Quiz arguments. ``score()`` -> (correct, total)
    counts the quizzes whose last check was right.
    """

    def __init__(self, quizzes, title=None):
        self.quizzes = [_as_quiz(q) for q in quizzes]
        if not self.quizzes:
            raise ValueError("quizzes: expected at least one question, got none")
        self.title = title
        self._widget = None
        for q in self.quizzes:
            q.on_check(self._update_score)

    def __len__(self):
        return len(self.quizzes)

    def __iter__(self):
        return iter(self.quizzes)

    def score(self):
        """(number of quizzes answered correctly at their last check, number of quizzes)."""
        return sum(q.last_correct is True for q in self.quizzes), len(self.quizzes)

    def score_text(self):
        k, n = self.score()
        return f"{k} / {n} correct so far"

    def _update_score(self, _quiz=None):
        if self._widget is not None:
            self.score_html.value = f"<b>{self.score_text()}</b>"

    @property
    def widget(self):
        if self._widget is None:
            self.score_html = widgets.HTML(value=f"<b>{self.score_text()}</b>")
            self.score_html.add_class("quiz-score")
            head = ([widgets.HTML(f"<h4>{html.escape(self.title)}</h4>")] if self.title
                    else [])
            self._widget = widgets.VBox(head + [q.widget for q in self.quizzes]
                                        + [self.score_html])
            self._widget.add_class("quiz-set")
        return self._widget

    def text(self):
        parts = [self.title] if self.title else []
        parts += [f"{i}. {q.text(topic=not self.title)}"
                  for i, q in enumerate(self.quizzes, start=1)]
        return "\n\n".join(parts)

    def __repr__(self):
        return self.text()

    def _repr_pretty_(self, p, cycle):
        p.text(self.text())

    def _repr_mimebundle_(self, **kwargs):
        return widget_bundle(self.widget, self.text())

    def _ipython_display_(self):
        display_widget(self.widget, self.text())


def quiz_widget(questions, title=None):
    """A QuizSet of ``questions`` (Quiz objects or dicts); display it to get the widgets."""
    return QuizSet(questions, title=title)
