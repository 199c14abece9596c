"""numpy's BLAS, for the benchmarks: the kernels it runs, its thread count, and the two columns of kernels.

OpenBLAS picks its kernels (its "core": Haswell for AVX2, SkylakeX for AVX-512, ...) once, when numpy
loads it: from the CPU it detects, or from OPENBLAS_CORETYPE if that is set. Some machines set
OPENBLAS_CORETYPE (and OPENBLAS_L2_SIZE) because older OpenBLAS builds compute wrong results or crash
on their processors; a current numpy runs slower under them. The layer benchmark therefore measures
two columns in one run, each in a child process:

    "machine"  the environment as it was found;
    "best"     the same environment without OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, so OpenBLAS picks
               the kernels for the CPU it detects.

``environment(column)`` is the only place where the variables are removed, and only for such a child;
tests and CI never change them. Every results file names the kernels numpy ran, read with threadpoolctl.

Run:  python benchmarks/blas.py    prints the kernels numpy runs and what the environment said.
"""

import os

MACHINE_VARIABLES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
COLUMNS = {"machine": "as the machine is", "best": "best kernels"}


def environment(column):
    """The environment of a child process for ``column``: os.environ as found, or without MACHINE_VARIABLES."""
    env = dict(os.environ)
    if column == "best":
        for name in MACHINE_VARIABLES:
            env.pop(name, None)
    return env


def variables():
    """{name: value or None} of MACHINE_VARIABLES in this process's environment."""
    return {name: os.environ.get(name) for name in MACHINE_VARIABLES}


def _numpy_blas():
    """threadpoolctl's record of the BLAS that numpy loaded (None if numpy has none it knows)."""
    import numpy  # noqa: F401  (threadpoolctl sees only libraries already loaded)
    from threadpoolctl import threadpool_info

    found = [i for i in threadpool_info() if i["user_api"] == "blas"]
    ours = [i for i in found if "numpy" in i["filepath"]] or found
    return ours[0] if ours else None


def kernels():
    """numpy's BLAS as threadpoolctl reads it: library, version, architecture (the kernels), threads."""
    info = _numpy_blas()
    if info is None:
        return {"library": None}
    return {"library": info["internal_api"], "version": info["version"], "architecture": info.get("architecture"),
            "threading": info.get("threading_layer"), "threads": info["num_threads"], "variables": variables()}


def describe(k=None):
    """One sentence for a results file: the kernels numpy ran and what the environment said."""
    k = kernels() if k is None else k
    if k["library"] is None:
        return "numpy's BLAS is not one that threadpoolctl knows."
    said = ", ".join(f"{n}={v}" if v is not None else f"{n} not set" for n, v in k["variables"].items())
    return (f"numpy's {k['library']} {k['version']} ran its {k['architecture']} kernels "
            f"(read with threadpoolctl; {said}).")


def set_threads(n):
    """Set the threads of numpy's BLAS alone (PyTorch keeps its own)."""
    from threadpoolctl import threadpool_limits

    info = _numpy_blas()
    if info is not None:
        threadpool_limits(limits={info["prefix"]: n})


if __name__ == "__main__":
    print(describe())
