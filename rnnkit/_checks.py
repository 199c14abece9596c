"""Input validation in lecture notation.

Every public function checks its arrays through :class:`Shapes`, which binds the
lecture's dimension names (``n_x``, ``n_a``, ``m``, ``T_x`` ...) as it goes, so a
wrong shape is reported as ``xt must have shape (n_x, m) = (27, m), got (5, 27)``.
"""

import functools
import numbers
import re

import numpy as np

_DIM = re.compile(r"[A-Za-z_][A-Za-z_0-9]*|\d+")


class Shapes:
    """Check arrays against shapes written in lecture notation.

    >>> s = Shapes()
    >>> Waa = s("Waa", np.zeros((5, 5)), "(n_a, n_a)")   # binds n_a = 5
    >>> xt = s("xt", np.zeros((3, 10)), "(n_x, m)")      # binds n_x = 3, m = 10
    """

    def __init__(self, **dims):
        self.dims = dict(dims)

    def __call__(self, name, arr, notation, dtype_name=None):
        arr = as_float_array(name, arr)
        terms = _terms(notation)
        if arr.ndim != len(terms):
            raise ValueError(
                f"{name} must have shape {notation} = {self.describe(terms)}, "
                f"got {arr.ndim}-d array of shape {arr.shape}"
            )
        # Walk the terms in order: compare what is known, bind a new name on first sight.
        before = dict(self.dims)
        for term, size in zip(terms, arr.shape):
            expected = self.evaluate(term)
            if expected is None and _DIM.fullmatch(term):
                self.dims[term] = size
            elif expected != size:
                message = f"{name} must have shape {notation} = {self.describe(terms)}, got {arr.shape}"
                self.dims = before
                raise ValueError(message)
        return arr

    def evaluate(self, term):
        """Value of a term such as ``n_a + n_x`` or ``2 * n_a``; None if unbound."""
        if term in self.dims:
            return self.dims[term]
        code, names = _compiled(term)
        if any(n not in self.dims for n in names):
            return None
        return int(eval(code, {"__builtins__": {}}, dict(self.dims)))  # terms are ours, never user input

    def describe(self, terms):
        shown = [str(self.evaluate(t)) if self.evaluate(t) is not None else t for t in terms]
        return "(" + ", ".join(shown) + ")"


@functools.cache
def _terms(notation):
    """The terms of a notation such as ``(n_a, m)``, parsed once."""
    return tuple(t.strip() for t in notation.strip("() ").split(",") if t.strip())


@functools.cache
def _compiled(term):
    """A term compiled once, and its names (eval of a string compiles it every call: 20 µs, most of a check)."""
    return compile(term, "<shape>", "eval"), tuple(t for t in _DIM.findall(term) if not t.isdigit())


def as_float_array(name, arr):
    """``arr`` as a float array (float32 kept, integers and bools become float64)."""
    if not isinstance(arr, np.ndarray):
        try:
            arr = np.asarray(arr)
        except Exception as err:  # ragged lists and the like
            raise ValueError(f"{name} must be a numpy array, got {type(arr).__name__}") from err
    if arr.dtype.kind in "fiub":
        return arr if arr.dtype.kind == "f" else arr.astype(np.float64)
    raise ValueError(f"{name} must hold real numbers (float64 or float32), got dtype {arr.dtype}")


def check_parameters(parameters, spec, shapes, name="parameters"):
    """Check a parameter dict against ``spec`` ({key: notation}); return the arrays.

    Missing keys raise ``ValueError`` naming the key and its expected shape.
    """
    if not isinstance(parameters, dict):
        raise ValueError(f"{name} must be a dict of arrays, got {type(parameters).__name__}")
    missing = [k for k in spec if k not in parameters]
    if missing:
        wanted = ", ".join(f"{k} {spec[k]}" for k in missing)
        raise ValueError(f"{name} is missing {wanted}")
    return {k: shapes(f"{name}['{k}']", parameters[k], spec[k]) for k in spec}


def as_generator(seed):
    """A numpy Generator from a non-negative int seed, or ``seed`` itself if it is one."""
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer or a numpy.random.Generator, got {seed!r}")
    return np.random.default_rng(int(seed))
