"""Guards of the numbers and claims a notebook's text takes from its own run (DESIGN.md 12).

A lesson quotes its run ("96.2% test accuracy", "dropout ends with the lower validation
loss"). On a student's machine another CPU or BLAS moves the last digits, and a student who
chooses their own settings gets other numbers: a guard must never stop such a correct run, so
it prints one line saying what matters. Under the course's test suite (ANN_STRICT_NUMBERS=1,
set by tests/conftest.py) the same guard raises, so the stored text keeps matching the run.
Used by lessons 04-06 and 08 and labs 01 and 04.
Omits: tolerances (each notebook states its own in the claim it passes).
"""

import os

STRICT_ENV = "ANN_STRICT_NUMBERS"


def text_numbers(claims, what_matters, why="on another CPU this is expected", detail=""):
    """Check the text's claims about this run.

    claims: a bool (the one claim holds) or a dict {claim in words: bool}; what_matters:
    the lesson's point that holds on any machine, printed when a claim fails; why: the reason
    a difference is expected; detail: extra words for the test suite's error (e.g. the run's
    number). Raises AssertionError under ANN_STRICT_NUMBERS=1, else prints one line."""
    if isinstance(claims, dict):
        broken = [claim for claim, holds in claims.items() if not holds]
    else:
        broken = [] if claims else ["the run no longer matches the text"]
    if not broken:
        return
    if os.environ.get(STRICT_ENV) == "1":
        raise AssertionError(f"{'; '.join(broken)} ({what_matters}) {detail}".strip())
    print(f"your numbers differ slightly from the text's: {why}; what matters is {what_matters}")
