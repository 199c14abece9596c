"""Assertion helpers shared by the layer tests."""

import pytest


def expect_error(fn, *needles):
    """fn() raises ValueError whose message holds every one of ``needles`` (argument names, shapes)."""
    with pytest.raises(ValueError) as info:
        fn()
    for needle in needles:
        assert needle in str(info.value), f"{needle!r} not in {str(info.value)!r}"
