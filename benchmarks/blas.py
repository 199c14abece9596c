"""numpy's bundled OpenBLAS, for the benchmarks: its thread count and the kernels it runs.

OpenBLAS picks its kernels (its "core", e.g. Haswell for AVX2, SkylakeX for AVX-512) once, when numpy
loads it: from the CPU it detects, or from the environment variable OPENBLAS_CORETYPE if that is set.
The kernels set the matrix-product rate that every timing here depends on, so each results file names
them. The benchmarks take the environment as they find it and never change this choice.

Run:  python benchmarks/blas.py    prints the kernels numpy runs and where that choice came from.
"""

import ctypes
import functools
import glob
import os
from importlib.util import find_spec
from pathlib import Path

PREFIXES = ("scipy_openblas_", "openblas_")  # numpy's wheels rename OpenBLAS's symbols; a plain build does not


@functools.cache
def _function(name, restype=None):
    """OpenBLAS's ``name`` (e.g. "set_num_threads") from numpy's bundled library, or None (no such library)."""
    spec = find_spec("numpy")  # found without importing numpy: the callers set their threads first
    if spec is None or spec.origin is None:
        return None
    for path in glob.glob(str(Path(spec.origin).resolve().parent.parent / "numpy.libs" / "*openblas*")):
        lib = ctypes.CDLL(path)
        for symbol in (f"{prefix}{name}{suffix}" for prefix in PREFIXES for suffix in ("64_", "")):
            if hasattr(lib, symbol):
                fn = getattr(lib, symbol)
                fn.restype = restype
                return fn
    return None


def set_threads(n):
    """Set numpy's BLAS threads (a no-op where numpy's OpenBLAS cannot be found)."""
    fn = _function("set_num_threads")
    if fn is not None:
        fn(n)


def corename():
    """The kernels numpy's OpenBLAS runs ("Haswell", "SkylakeX", ...), or None if it is not OpenBLAS."""
    fn = _function("get_corename", ctypes.c_char_p)
    return fn().decode() if fn is not None else None


def describe():
    """One sentence for a results file: numpy's BLAS kernels and who chose them."""
    core = corename()
    if core is None:
        return "numpy's BLAS is not its bundled OpenBLAS."
    forced = os.environ.get("OPENBLAS_CORETYPE")
    how = f"OPENBLAS_CORETYPE={forced} in the environment" if forced else "detected by OpenBLAS"
    return f"numpy's OpenBLAS ran its {core} kernels ({how})."


if __name__ == "__main__":
    print(describe())
