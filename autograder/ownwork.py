"""Own work, judged outside the kernel: read the submitted code, flag what needs a human look.

A check inside the student's process can be switched off, so this reads the syntax tree of
the submitted cells instead. An exercise needs review when the student's functions for it
reach (directly or through other functions of the notebook, short of another exercise's own
functions, which are reviewed with that exercise) one of rnnkit's references for that
exercise (``Check.reference``), or use dynamic access that could reach one unseen
(``getattr``, ``importlib``, ``__import__``, ``exec``, ``eval``, ``sys.setprofile``, ``gc``,
``inspect``, ``ctypes`` …). Such code at the top level of a cell flags the exercise of that
cell, or every exercise if the cell is not an answer cell. Flagged, not silently zeroed: the
reason goes to the report and the feedback, and the instructor decides in formgrader.
"""

import ast

from nbgrader import utils

DYNAMIC_NAMES = {
    "getattr", "setattr", "delattr", "__import__", "exec", "eval", "compile", "globals", "locals", "vars",
    "importlib", "gc", "inspect", "ctypes", "builtins", "__builtins__", "get_ipython", "sys", "types",
    "marshal", "pickle", "subprocess", "os",
}
DYNAMIC_ATTRIBUTES = {
    "__dict__", "__class__", "__subclasses__", "__globals__", "__code__", "__closure__", "__builtins__",
    "__getattribute__", "__setattr__", "f_back", "f_globals", "f_locals", "_getframe", "setprofile", "settrace",
    "modules", "__bases__", "__mro__", "__func__", "__self__", "__wrapped__", "user_ns",
}
MAGICS = {"run_line_magic", "run_cell_magic", "system", "getoutput"}  # what %magic and !shell become


def _python(source):
    """The cell as plain Python (IPython magics and shell escapes turned into calls)."""
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(source)


def _dotted(node):
    """'a.b.c' for a Name/Attribute chain, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return ".".join([node.id, *reversed(parts)])
    return None


class _Uses(ast.NodeVisitor):
    """Names, dotted paths and suspicious uses inside one body of code (functions not entered)."""

    def __init__(self):
        self.names, self.paths, self.dynamic = set(), set(), set()

    def visit_FunctionDef(self, node):  # a nested function belongs to its parent's code
        for child in node.body:
            self.visit(child)
        for d in node.decorator_list:
            self.visit(d)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Call(self, node):
        f = node.func
        if (isinstance(f, ast.Attribute) and f.attr in MAGICS and isinstance(f.value, ast.Call)
                and isinstance(f.value.func, ast.Name) and f.value.func.id == "get_ipython"):
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                self.visit(arg)  # a line magic such as %matplotlib inline: only its arguments count
            return
        self.generic_visit(node)

    def visit_Name(self, node):
        self.names.add(node.id)
        if node.id in DYNAMIC_NAMES:
            self.dynamic.add(node.id)

    def visit_Attribute(self, node):
        path = _dotted(node)
        if path:
            self.paths.add(path)
        if node.attr in DYNAMIC_ATTRIBUTES:
            self.dynamic.add(f".{node.attr}")
        self.generic_visit(node)

    def visit_Import(self, node):
        for alias in node.names:
            if alias.name.split(".")[0] in DYNAMIC_NAMES:
                self.dynamic.add(f"import {alias.name}")

    def visit_ImportFrom(self, node):
        if (node.module or "").split(".")[0] in DYNAMIC_NAMES:
            self.dynamic.add(f"from {node.module} import")
        if any(a.name == "*" for a in node.names):
            self.dynamic.add(f"from {node.module} import *")


def _aliases(tree, aliases):
    """Record in ``aliases`` what the imports at the top of ``tree`` bind: name -> dotted path."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                aliases[a.asname or a.name.split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module:
            for a in node.names:
                aliases[a.asname or a.name] = f"{node.module}.{a.name}"


def _resolve(path, aliases):
    head, _, rest = path.partition(".")
    full = aliases.get(head, head)
    return f"{full}.{rest}" if rest else full


def _student_cells(nb, instructor=()):
    """(grade_id or None, source) of every code cell the student wrote or changed."""
    for cell in nb.cells:
        if cell.cell_type != "code" or (cell.source in instructor and not utils.is_solution(cell)):
            continue
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("locked") or (utils.is_grade(cell) and not utils.is_solution(cell)):
            continue
        yield meta.get("grade_id") if utils.is_solution(cell) else None, cell.source


def review(nb, checks, instructor=()):
    """{grade_id: [reasons]} for the exercises of ``checks`` that need a human look.

    instructor : sources of the cells the instructor wrote (a student's unchanged copy is not read).
    """
    aliases, functions, module_uses = {}, {}, []  # functions: name -> (_Uses, grade_id of its cell)
    for cell in nb.cells:  # imports of every cell, the instructor's too, in order: the last binding wins
        if cell.cell_type == "code":
            try:
                _aliases(ast.parse(_python(cell.source)), aliases)
            except SyntaxError:
                continue
    for grade_id, source in _student_cells(nb, instructor):
        try:
            tree = ast.parse(_python(source))
        except SyntaxError:
            continue  # the function is not defined, so its checks fail anyway
        top = _Uses()
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                uses = _Uses()
                uses.visit(node)
                functions[node.name] = (uses, grade_id)
                aliases.pop(node.name, None)  # the student's own definition shadows an import
            elif isinstance(node, ast.ClassDef):
                uses = _Uses()
                uses.generic_visit(node)
                functions[node.name] = (uses, grade_id)
            else:
                top.visit(node)
        module_uses.append((grade_id, top))

    answer_cells = {g for g, _ in _student_cells(nb, instructor) if g}
    flags = {}
    for grade_id, check in checks.items():
        others = {f for c in checks.values() if c is not check for f in c.functions} - set(check.functions)
        reasons = []
        seen, todo = set(), [f for f in check.functions if f in functions]
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            uses, _ = functions[name]
            for ref in sorted(_references(uses, aliases, check.reference)):
                reasons.append(f"{name} calls rnnkit's reference {ref}: the exercise is to write it yourself")
            if uses.dynamic:
                reasons.append(f"{name} uses dynamic access ({', '.join(sorted(uses.dynamic))})")
            # another exercise's function is judged (and reviewed) with that exercise, not this one
            todo += [n for n in uses.names if n in functions and n not in seen and n not in others]
        cells = {functions[f][1] for f in check.functions if f in functions}
        for cell_id, top in module_uses:
            if top.dynamic and (cell_id in cells or cell_id not in answer_cells):
                where = f"the cell {cell_id}" if cell_id else "a cell of the notebook"
                reasons.append(f"{where} uses dynamic access ({', '.join(sorted(top.dynamic))})")
        if reasons:
            flags[grade_id] = list(dict.fromkeys(reasons))
    return flags


def _references(uses, aliases, reference):
    """The rnnkit references among ``reference`` that ``uses`` names, as dotted paths."""
    found = set()
    for path in uses.paths | uses.names:
        full = _resolve(path, aliases)
        if full.split(".")[0] == "rnnkit" and full.split(".")[-1] in reference:
            found.add(full)
    return found
