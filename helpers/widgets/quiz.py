"""Quizzes that work with or without a browser (the end of each lesson and lesson
07_knowledge_check).

``Quiz(question, options, answer, explanation, topic=None, why_wrong=None)``: a
multiple-choice question. ``.check(choice)`` returns "Correct! ..." / "Not quite. The right
answer is b: ..." in plain Python; ``why_wrong`` ({letter: text}) says, for each wrong option,
why it is tempting and why it is wrong, and the feedback for that option quotes it.
``NumericQuiz(question, answer, explanation, tolerance, topic=None, mistakes=None)``: the
student types a number, right within ``tolerance``; ``mistakes`` ([(value, text)]) names the
common wrong results. ``.widget`` is the ipywidgets version of either (question, radio
buttons "a. ..." or a text box, a "Check" button, feedback). ``QuizSet(quizzes)`` (also
``quiz_widget(questions)``) shows several with a score line "3 / 5 correct so far".
``WidgetDisplay``: the mixin that shows each as its widget in a frontend, as text elsewhere.

CSS classes (for browser tests): ``quiz`` (both kinds; ``quiz-numeric`` too for the numeric
one), ``quiz-question``, ``quiz-options`` / ``quiz-answer``, ``quiz-check``,
``quiz-feedback``; ``quiz-set``, ``quiz-score``.

What it omits: saving answers, timing, free-text or multiple-answer questions.
"""

from __future__ import annotations

import html
import math
import numbers
import string

import ipywidgets as widgets

from .display import BAD, GOOD, display_widget, widget_bundle

LETTERS = string.ascii_lowercase


def _text(value, name):
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name}: expected a non-empty string, got {value!r}")
    return value.strip()


class WidgetDisplay:
    """Mixin for an object with a ``widget`` property and a ``text()`` method: a frontend
    shows the widget, everything else (a terminal, a test, a stored notebook) the text."""

    def __repr__(self):
        return self.text()

    def _repr_pretty_(self, p, cycle):
        p.text(self.text())

    def _repr_mimebundle_(self, **kwargs):
        return widget_bundle(self.widget, self.text())

    def _ipython_display_(self):
        display_widget(self.widget, self.text())


class _Checkable(WidgetDisplay):
    """What both quiz kinds share: the question, the explanation, the listeners that
    QuizSet uses for its score, and the widget's question / Check / feedback parts."""

    CSS = ("quiz",)  # classes of the widget's box

    def __init__(self, question, explanation, topic):
        self.question = _text(question, "question")
        self.explanation = _text(explanation, "explanation")
        self.topic = topic
        self.last_choice = None   # the last checked answer (option index / number)
        self.last_correct = None  # True / False after a check, None before
        self._listeners = []
        self._widget = None

    def on_check(self, callback):
        """Call ``callback(quiz)`` after every check (used by QuizSet for its score)."""
        self._listeners.append(callback)

    def _record(self, choice, correct):
        self.last_choice, self.last_correct = choice, correct
        for listener in list(self._listeners):
            listener(self)

    @property
    def widget(self):
        """VBox: question (HTML), the answer control, "Check" button, feedback (HTML).
        Built on first use."""
        if self._widget is None:
            self.question_html = widgets.HTML(
                value=f"<div style='font-weight:600; line-height:1.45; margin:6px 0 2px 0'>"
                      f"{html.escape(self.question)}</div>")
            self.question_html.add_class("quiz-question")
            control = self._control()
            self.button = widgets.Button(description="Check", button_style="primary",
                                         tooltip="check your answer")
            self.button.add_class("quiz-check")
            self.feedback_html = widgets.HTML(value="")
            self.feedback_html.add_class("quiz-feedback")
            self.button.on_click(self._on_click)
            box = widgets.VBox([self.question_html, control, self.button, self.feedback_html],
                               layout=widgets.Layout(margin="0 0 14px 0"))
            for name in self.CSS:
                box.add_class(name)
            self._widget = box
        return self._widget

    def _set_feedback(self, text, correct):
        color = "inherit" if correct is None else (GOOD if correct else BAD)
        value = (f"<div style='color:{color}; line-height:1.45; max-width:60em'>"
                 f"{html.escape(text)}</div>")
        if self.feedback_html.value == value:
            # the same answer checked again: blank it first, so the frontend sees a change
            # and redraws it (the student sees the check happen)
            self.feedback_html.value = ""
        self.feedback_html.value = value



class Quiz(_Checkable):
    """One multiple-choice question with its explanation.

    question   : the question text (plain text).
    options    : list of at least two option strings (shown as "a. ...", "b. ...").
    answer     : index of the correct option (0-based) or its letter ('a', 'b', ...).
    explanation: why the answer is right; shown after every check.
    topic      : optional label (e.g. 'perceptron') used to group questions.
    why_wrong  : optional {letter or index: text} for wrong options: why the option is
                 tempting and why it is wrong; shown when that option is checked.

    ``check(choice)`` works without a frontend; ``widget`` is the ipywidgets version.
    """

    def __init__(self, question, options, answer, explanation, topic=None, why_wrong=None):
        super().__init__(question, explanation, topic)
        if (isinstance(options, str) or not isinstance(options, (list, tuple))
                or len(options) < 2 or not all(isinstance(o, str) and o.strip()
                                               for o in options)):
            raise ValueError("options: expected a list of at least two non-empty strings, "
                             f"got {options!r}")
        if len(options) > len(LETTERS):
            raise ValueError(f"options: expected at most {len(LETTERS)} options, "
                             f"got {len(options)}")
        self.options = [o.strip() for o in options]
        self.answer = self._index(answer, "answer")
        self.why_wrong = {}
        for key, note in dict(why_wrong or {}).items():
            index = self._index(key, "why_wrong")
            if index == self.answer:
                raise ValueError(f"why_wrong: expected notes on wrong options only, got one "
                                 f"for the answer {self.answer_letter!r}")
            self.why_wrong[index] = _text(note, f"why_wrong[{key!r}]")

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
        """The feedback text for the option with this index: for a wrong option, the right
        answer, then why this option is tempting and wrong (if given), then the
        explanation."""
        if index == self.answer:
            return f"Correct! {self.explanation}"
        right = self.options[self.answer].rstrip(".")
        note = f"{self.why_wrong[index]} " if index in self.why_wrong else ""
        return (f"Not quite. The right answer is {self.answer_letter}: {right}. "
                f"{note}{self.explanation}")

    def check(self, choice):
        """Feedback for ``choice`` (an index 0.., a letter 'a'.. or the option text): a string
        starting with "Correct!" or "Not quite." followed by the explanation. A choice that
        is none of these raises ValueError naming the valid letters."""
        index = self._index(choice)
        self._record(index, index == self.answer)
        return self.feedback(index)

    def text(self, topic=True):
        """Plain-text version: the question (after its topic) and the lettered options."""
        head = f"[{self.topic}] " if self.topic and topic else ""
        lines = [f"{head}{self.question}"]
        lines += [f"  {self.label(i)}" for i in range(len(self.options))]
        return "\n".join(lines)

    def _control(self):
        self.radio = widgets.RadioButtons(
            options=[(self.label(i), i) for i in range(len(self.options))], value=None,
            layout=widgets.Layout(width="auto"))
        self.radio.add_class("quiz-options")
        return self.radio

    def _on_click(self, _button=None):
        if self.radio.value is None:
            self._set_feedback("Choose an option first, then press Check.", None)
            return
        text = self.check(self.radio.value)
        self._set_feedback(text, self.last_correct)


def _number(value, name):
    """``value`` as a finite float: a real number or a string such as '0.36' or '-1e-3'."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip().replace(" ", ""))
        except ValueError:
            number = math.nan
    else:
        number = math.nan
    if not math.isfinite(number):
        raise ValueError(f"{name}: expected a number such as 0.36, got {value!r}")
    return number


class NumericQuiz(_Checkable):
    """A question answered with a number, right within a tolerance.

    question : the question text (plain text); say how many decimals are expected.
    answer   : the right value (a float).
    explanation: how the value is computed; shown after every check.
    tolerance: the largest accepted distance from ``answer`` (> 0).
    topic    : optional label used to group questions.
    mistakes : optional [(value, text)]: results of common mistakes (e.g. sigma' forgotten)
               and what each one shows; a checked number within ``tolerance`` of one of
               them gets its text in the feedback.
    """

    CSS = ("quiz", "quiz-numeric")

    def __init__(self, question, answer, explanation, tolerance, topic=None, mistakes=None):
        super().__init__(question, explanation, topic)
        self.answer = _number(answer, "answer")
        self.tolerance = _number(tolerance, "tolerance")
        if self.tolerance <= 0:
            raise ValueError(f"tolerance: expected a positive number, got {tolerance!r}")
        self.mistakes = []
        for item in mistakes or []:
            if not isinstance(item, (list, tuple)) or len(item) != 2:
                raise ValueError(f"mistakes: expected (value, text) pairs, got {item!r}")
            value = _number(item[0], "mistakes value")
            if abs(value - self.answer) <= self.tolerance:
                raise ValueError(f"mistakes: the value {value!r} is within the tolerance of "
                                 f"the answer {self.answer!r}")
            self.mistakes.append((value, _text(item[1], "mistakes text")))

    def is_correct(self, value):
        """True when the number ``value`` is within ``tolerance`` of the answer."""
        return abs(_number(value, "choice") - self.answer) <= self.tolerance

    def feedback(self, value):
        """The feedback text for the number ``value``."""
        value = _number(value, "choice")
        if abs(value - self.answer) <= self.tolerance:
            return f"Correct! {self.explanation}"
        note = next((f"{text} " for v, text in self.mistakes
                     if abs(value - v) <= self.tolerance), "")
        return (f"Not quite. The right answer is {self.answer:.10g} (within "
                f"{self.tolerance:g}). {note}{self.explanation}")

    def check(self, value):
        """Feedback for the number ``value`` (a number or a string such as '0.36'): a string
        starting with "Correct!" or "Not quite." followed by the explanation. Anything that
        is not a finite number raises ValueError."""
        number = _number(value, "choice")
        self._record(number, abs(number - self.answer) <= self.tolerance)
        return self.feedback(number)

    def text(self, topic=True):
        """Plain-text version: the question (after its topic) and how to answer."""
        head = f"[{self.topic}] " if self.topic and topic else ""
        return f"{head}{self.question}\n  (type a number; accepted within {self.tolerance:g})"

    def _control(self):
        self.entry = widgets.Text(value="", placeholder="your number",
                                  layout=widgets.Layout(width="14em"))
        self.entry.add_class("quiz-answer")
        return self.entry

    def _on_click(self, _button=None):
        try:
            text = self.check(self.entry.value)
        except ValueError:
            self._set_feedback("Type a number (such as 0.36) first, then press Check.", None)
            return
        self._set_feedback(text, self.last_correct)


def _as_quiz(q):
    if isinstance(q, _Checkable):
        return q
    if isinstance(q, dict):
        if "options" in q:
            keys = ("question", "options", "answer", "explanation", "topic", "why_wrong")
            return Quiz(**{k: q[k] for k in keys if k in q})
        keys = ("question", "answer", "explanation", "tolerance", "topic", "mistakes")
        return NumericQuiz(**{k: q[k] for k in keys if k in q})
    raise TypeError(f"questions: expected Quiz objects or dicts, got {type(q).__name__}")


class QuizSet(WidgetDisplay):
    """Several quizzes shown together with a score line "k / n correct so far".

    quizzes: Quiz / NumericQuiz objects or dicts with their arguments (a dict without
    ``options`` is a numeric question). ``score()`` -> (correct, total) counts the quizzes
    whose last check was right.
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



def quiz_widget(questions, title=None):
    """A QuizSet of ``questions`` (Quiz objects or dicts); display it to get the widgets."""
    return QuizSet(questions, title=title)
