"""Shared fixtures of the unit tests."""

import warnings

import numpy as np
import pytest


@pytest.fixture
def strict_numerics():
    """Turn every numpy floating-point problem into an error for the duration of a test.

    Overflow, division by zero and invalid operations raise; any warning becomes an error.
    Underflow is allowed: exp(-2e4) rounding to 0 is the correct, harmless result that the
    stable softmax and sigmoid rely on (numpy does not warn about it by default either).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
            yield
