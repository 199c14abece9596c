"""Walking nests of parameter arrays (dicts and lists of dicts), shared by gradcheck and optim.

A parameter's gradient sits at the same path with a ``d`` in front of the array's own key:
``{"Waa": ...}`` → ``{"dWaa": ...}``; ``[{"Wu": ...}, ...]`` → ``[{"dWu": ...}, ...]``.
"""

import numpy as np


def leaves(tree, path=(), name="parameters"):
    """(path, array) for every array in a nest of dicts and lists."""
    if isinstance(tree, dict):
        for k, v in tree.items():
            yield from leaves(v, path + (k,), name)
    elif isinstance(tree, (list, tuple)):
        for i, v in enumerate(tree):
            yield from leaves(v, path + (i,), name)
    elif isinstance(tree, np.ndarray):
        yield path, tree
    else:
        raise ValueError(f"{name}{show(path)} must be an array, a dict or a list, got {type(tree).__name__}")


def grad_path(path):
    """The gradient's path for a parameter's path: the array's own key gets a 'd'."""
    return path[:-1] + (f"d{path[-1]}",) if path and isinstance(path[-1], str) else path


def get(tree, path, name):
    """The entry of ``tree`` at ``path``; ValueError naming ``name`` and the path if absent."""
    for k in path:
        try:
            tree = tree[k]
        except (KeyError, IndexError, TypeError):
            raise ValueError(f"{name} has no entry {show(path)}") from None
    return tree


def show(path):
    """A path written as indexing: ``['dWaa']``, ``[0]['dWu']``."""
    return "".join(f"[{k!r}]" for k in path)


def label(path):
    """A path written as a flat name: ``dWaa``, ``0.dWu`` (the keys of reports and optimizer state)."""
    return ".".join(str(k) for k in path)


def map_leaves(fn, tree, name="gradients"):
    """A new nest shaped like ``tree`` with ``fn(array)`` in place of every array."""
    if isinstance(tree, dict):
        return {k: map_leaves(fn, v, name) for k, v in tree.items()}
    if isinstance(tree, (list, tuple)):
        return [map_leaves(fn, v, name) for v in tree]
    if isinstance(tree, np.ndarray):
        return fn(tree)
    raise ValueError(f"{name} must hold arrays in dicts and lists, got {type(tree).__name__}")
