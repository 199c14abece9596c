"""Modules whose public names a notebook cell cannot rebind.

Hidden tests reach their checks through ``rnnkit.testing``; a learner's cell that writes
``rnnkit.testing.check_close = lambda *a, **k: None`` (or replaces ``rnnkit.testing`` or
``sealed``) must fail loudly rather than silently disarm the graders.
"""

import sys
import types


class GuardedModule(types.ModuleType):
    """A module type that refuses to rebind or delete an existing public name."""

    def __setattr__(self, name, value):
        if not name.startswith("_") and name in self.__dict__ and self.__dict__[name] is not value:
            raise AttributeError(f"{self.__name__}.{name} cannot be replaced: the course's tests rely on it")
        super().__setattr__(name, value)

    def __delattr__(self, name):
        if not name.startswith("_"):
            raise AttributeError(f"{self.__name__}.{name} cannot be deleted: the course's tests rely on it")
        super().__delattr__(name)


def guard(module_name):
    """Make the already-imported module ``module_name`` a GuardedModule."""
    sys.modules[module_name].__class__ = GuardedModule
