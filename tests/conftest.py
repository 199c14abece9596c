"""Test-wide settings.

One BLAS thread per process: the tests run nbgrader in two processes at once on a 2-core
machine, and two BLAS threads each on these small products make training cells many times
slower, not faster (measured: 30 ms against 0.05 ms for one output_backward product).
"""

import os

import pytest

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")


def _group(item):
    """The unit of work a pytest-xdist worker takes whole: one module, so that a module's shared fixture
    (a graded course, a running JupyterLab) is built once; test_assignments and test_notebooks, whose
    tests share nothing across assignments, one assignment each."""
    param = getattr(item, "callspec", None) and item.callspec.params.get("assignment", item.callspec.params.get("path"))
    if item.module.__name__ in ("test_assignments", "test_notebooks") and param is not None:
        return f"{item.module.__name__}:{getattr(param, 'parent', param)}"
    return item.module.__name__


def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist (``-n 2 --dist loadgroup``, the project's default): group the tests as ``_group``
    says, and hand the workers the slow groups (nbgrader, notebooks, browsers) first, so that the last
    group to finish is a short one."""
    if not config.pluginmanager.hasplugin("xdist") or config.getoption("dist", "no") != "loadgroup":
        return
    for item in items:
        item.add_marker(pytest.mark.xdist_group(_group(item)))
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)  # stable: order kept within a group
