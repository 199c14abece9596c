"""Code similarity between students, and against rnnkit's own code, for one assignment.

The instructor command ``rnnkit-course similarity ASSIGNMENT FOLDER`` calls :func:`similarity`
and prints :func:`format_table`. FOLDER holds one sub-folder per student with the notebook
(``<student>/<assignment>.ipynb`` or ``<student>/<assignment>/<assignment>.ipynb``).

How code is compared, as plagiarism detectors do it:

1. **Normalize.** Python's ``tokenize`` splits an answer cell into tokens; comments, docstrings
   (any statement that is only a string), blank lines, indentation and line breaks are dropped.
   Every identifier that is not a keyword, a builtin, ``np``/``numpy`` or an attribute of numpy,
   of an array or of a builtin type (after a dot: ``.zeros``, ``.shape``, ``.get``) becomes ``V``,
   every number ``N`` and every string ``S``. Renaming variables, adding comments or re-wrapping
   lines therefore changes nothing.
2. **Fingerprint.** Every run of K consecutive tokens (a k-gram) is hashed; *winnowing*
   (Schleimer, Wilkerson & Aiken, SIGMOD 2003) keeps the smallest hash of every window of W
   consecutive k-gram hashes (the rightmost one on ties), so any shared run of at least
   W + K - 1 tokens is guaranteed to leave a common fingerprint.
3. **Ignore the given code.** Every k-gram of the release notebook's code (the stubs, the setup
   and test cells) is removed from the fingerprints: what everyone received is no evidence. An
   exercise left as the stub (only a docstring, ``pass`` or ``raise NotImplementedError()``) is
   not compared at all.
4. **Score.** Two students: Jaccard similarity of their fingerprint sets per exercise, and the
   mean over the exercises both wrote. A student against rnnkit: containment, the share of the
   student's fingerprints found in the source of the rnnkit functions the exercise's trusted
   check names as ``reference`` (``autograder/checks/<assignment>.py``).

A high score is a reason to read the two notebooks, not a verdict: very short exercises (one
line that everyone writes the same way) can match by themselves; the CSV gives the number of
fingerprints behind every score.
"""

import ast
import builtins
import csv
import hashlib
import importlib
import inspect
import io
import itertools
import json
import keyword
import pkgutil
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

K = 5  # tokens per k-gram
W = 4  # k-gram hashes per winnowing window: shared runs of W + K - 1 = 8 tokens are always seen
OVERALL = "(overall)"  # the exercise name of a pair's mean score

_SKIPPED_TOKENS = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
                   tokenize.ENCODING, tokenize.ENDMARKER}
_STRING_TOKENS = {tokenize.STRING} | {getattr(tokenize, n) for n in ("FSTRING_START", "FSTRING_MIDDLE",
                                                                      "FSTRING_END") if hasattr(tokenize, n)}
_KEPT_NAMES = set(keyword.kwlist) | set(dir(builtins)) | {"np", "numpy"}
_KEPT_ATTRIBUTES = set(dir(np)) | set(dir(np.ndarray)) | {
    a for t in (dict, list, str, set, tuple, int, float) for a in dir(t)}


# ---------------------------------------------------------------- normalizing and fingerprints


def _raw_tokens(code):
    """The tokens of ``code``; a cell that does not tokenize to the end keeps the tokens before the error."""
    tokens = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(code).readline):
            tokens.append(tok)
    except (tokenize.TokenError, SyntaxError):
        pass
    return tokens


def _logical_lines(tokens):
    """The tokens split into statements (at NEWLINE), without comments and layout."""
    line = []
    for tok in tokens:
        if tok.type in (tokenize.NEWLINE, tokenize.ENDMARKER):
            yield line
            line = []
        elif tok.type not in _SKIPPED_TOKENS and tok.string.strip():
            line.append(tok)
    yield line


def _normal(tok, previous):
    """The normalized text of one token (``previous`` is the token before it in the statement)."""
    if tok.type == tokenize.NAME:
        after_dot = previous is not None and previous.string == "."
        kept = tok.string in (_KEPT_ATTRIBUTES if after_dot else _KEPT_NAMES)
        return tok.string if kept else "V"
    if tok.type == tokenize.NUMBER:
        return "N"
    return tok.string.strip()


def normalize(code):
    """The normalized token list of ``code`` (see the module docstring)."""
    out = []
    for line in _logical_lines(_raw_tokens(code)):
        if not line or all(t.type in _STRING_TOKENS for t in line):
            continue  # blank, or a docstring / bare string
        previous, in_fstring = None, 0
        for tok in line:
            name = tokenize.tok_name[tok.type]
            if name in ("FSTRING_START", "FSTRING_MIDDLE", "FSTRING_END") or in_fstring:
                # Python >= 3.12 splits f-strings into pieces: the whole f-string is one S
                in_fstring += (name == "FSTRING_START") - (name == "FSTRING_END")
                if name == "FSTRING_START" and in_fstring == 1:
                    out.append("S")
            elif tok.type == tokenize.STRING:
                out.append("S")
            elif tok.string != ";":  # a semicolon is a line break
                out.append(_normal(tok, previous))
            previous = tok
    return out


def _hash(gram):
    """A stable 64-bit hash of a k-gram (Python's hash() changes between runs)."""
    return int.from_bytes(hashlib.blake2b("\x1f".join(gram).encode(), digest_size=8).digest(), "big")


def kgram_hashes(tokens, k=K):
    """The hash of every k-gram of ``tokens``, in order (one hash of all tokens if fewer than k)."""
    if not tokens:
        return []
    if len(tokens) < k:
        return [_hash(tokens)]
    return [_hash(tokens[i : i + k]) for i in range(len(tokens) - k + 1)]


def winnow(hashes, w=W):
    """Winnowing: the minimum hash of every window of ``w`` hashes, the rightmost on ties, as a set."""
    if not hashes:
        return set()
    if len(hashes) <= w:
        return {min(hashes)}
    chosen, last = set(), -1
    for start in range(len(hashes) - w + 1):
        window = hashes[start : start + w]
        low = min(window)
        pos = start + max(i for i, h in enumerate(window) if h == low)
        if pos != last:
            chosen.add(hashes[pos])
            last = pos
    return chosen


def fingerprints(code, ignore=frozenset()):
    """The winnowed fingerprints of ``code``, minus the hashes in ``ignore`` (the release's k-grams)."""
    return winnow(kgram_hashes(normalize(code))) - set(ignore)


def jaccard(a, b):
    """|a ∩ b| / |a ∪ b|, or None when both are empty."""
    return len(a & b) / len(a | b) if a or b else None


def containment(a, b):
    """The share of ``a`` found in ``b``, or None when ``a`` is empty."""
    return len(a & b) / len(a) if a else None


# ---------------------------------------------------------------- notebooks and stubs


def _read_notebook(path):
    """The notebook at ``path`` as a dict with a list of cells; ValueError if it is not one."""
    try:
        nb = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ValueError(f"cannot read {path}: {err}") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise ValueError(f"{path} is not a notebook (no list of cells)")
    return nb


def _source(cell):
    """A cell's source as one string (notebooks store it as a string or a list of lines)."""
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def _nbgrader(cell):
    meta = cell.get("metadata") if isinstance(cell, dict) else None
    info = meta.get("nbgrader") if isinstance(meta, dict) else None
    return info if isinstance(info, dict) else {}


def answer_cells(nb):
    """{grade_id: code} of the notebook's code answer cells (nbgrader ``solution: true``)."""
    answers = {}
    for cell in nb["cells"]:
        info = _nbgrader(cell)
        if cell.get("cell_type") == "code" and info.get("solution") is True and info.get("grade_id"):
            gid = str(info["grade_id"])
            answers[gid] = answers[gid] + "\n" + _source(cell) if gid in answers else _source(cell)
    return answers


def code_cells(nb):
    """The source of every code cell of the notebook."""
    return [_source(c) for c in nb["cells"] if isinstance(c, dict) and c.get("cell_type") == "code"]


def _is_placeholder(stmt):
    """A docstring, ``pass``, ``...`` or ``raise NotImplementedError(...)``."""
    if isinstance(stmt, ast.Pass):
        return True
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
        return True  # a docstring or a bare ``...``
    if isinstance(stmt, ast.Raise) and stmt.exc is not None:
        exc = stmt.exc.func if isinstance(stmt.exc, ast.Call) else stmt.exc
        return isinstance(exc, ast.Name) and exc.id == "NotImplementedError"
    return False


def is_stub(code):
    """True if ``code`` is still an unanswered exercise: functions whose bodies hold only placeholders."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return not normalize(code)
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if not all(_is_placeholder(s) for s in stmt.body):
                return False
        elif not _is_placeholder(stmt):
            return False
    return True


def function_names(code):
    """The names of the functions ``code`` defines (at any depth); empty if it does not parse."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set()
    return {n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}


def find_notebook(student_dir, assignment):
    """The student's notebook of ``assignment`` (nested folder first), or None."""
    for path in (student_dir / assignment / f"{assignment}.ipynb", student_dir / f"{assignment}.ipynb"):
        if path.is_file():
            return path
    return None


# ---------------------------------------------------------------- rnnkit's reference code


def _rnnkit_object(name):
    """``rnnkit.<name>``, else the first rnnkit submodule that has it, else None."""
    import rnnkit

    if hasattr(rnnkit, name):
        return getattr(rnnkit, name)
    for info in pkgutil.iter_modules(rnnkit.__path__, "rnnkit."):
        try:
            module = importlib.import_module(info.name)
        except Exception:  # a submodule that needs an optional dependency
            continue
        if hasattr(module, name):
            return getattr(module, name)
    return None


def reference_sources(course_root, assignment, release_answers, notes):
    """{answer grade_id: {rnnkit name: source}} from the trusted checks' ``reference`` names.

    The answer cell of a check is the release answer cell that defines all of ``check.functions``.
    """
    from . import trusted

    folder = Path(course_root) / "autograder" / "checks"
    try:
        checks = trusted.load(assignment, folder if (folder / f"{assignment}.py").is_file() else trusted.CHECKS_DIR)
    except FileNotFoundError:
        notes.append(f"no trusted checks for {assignment}: students are compared with each other only")
        return {}
    sources = {}
    for check in checks.values():
        if not check.reference or not check.functions:
            continue
        cells = [gid for gid, code in release_answers.items() if set(check.functions) <= function_names(code)]
        if not cells:
            notes.append(f"{check.grade_id}: no answer cell defines {', '.join(check.functions)}")
            continue
        for name in check.reference:
            obj = _rnnkit_object(name)
            try:
                source = inspect.getsource(obj) if obj is not None else None
            except (TypeError, OSError):
                source = None
            if source is None:
                notes.append(f"{check.grade_id}: no source for rnnkit's {name}")
                continue
            for gid in cells:
                sources.setdefault(gid, {})[name] = source
    return sources


# ---------------------------------------------------------------- the report


@dataclass(frozen=True)
class PairScore:
    """Similarity of two students on one exercise (or OVERALL); score None when not comparable."""

    a: str
    b: str
    exercise: str
    score: float | None
    shared: int = 0
    fingerprints_a: int = 0
    fingerprints_b: int = 0


@dataclass(frozen=True)
class ReferenceScore:
    """Share of a student's fingerprints on one exercise that are found in rnnkit's reference code."""

    student: str
    exercise: str
    reference: tuple
    score: float | None
    shared: int = 0
    fingerprints: int = 0


@dataclass
class SimilarityReport:
    assignment: str
    threshold: float
    students: list
    exercises: list
    pairs: list  # every PairScore, per exercise and OVERALL
    reference: list  # every ReferenceScore
    notes: list = field(default_factory=list)  # skipped notebooks and other remarks
    csv_path: Path | None = None
    png_path: Path | None = None

    @property
    def flagged(self):
        """Student pairs (per exercise and overall) with score >= threshold, highest first."""
        hits = [p for p in self.pairs if p.score is not None and p.score >= self.threshold]
        return sorted(hits, key=lambda p: (-p.score, p.a, p.b, p.exercise))

    @property
    def reference_matches(self):
        """Student exercises with a reference score >= threshold, highest first."""
        hits = [r for r in self.reference if r.score is not None and r.score >= self.threshold]
        return sorted(hits, key=lambda r: (-r.score, r.student, r.exercise))

    def overall(self, a, b):
        """The overall score of students ``a`` and ``b`` (None if they share no written exercise)."""
        for p in self.pairs:
            if p.exercise == OVERALL and {p.a, p.b} == {a, b}:
                return p.score
        return None


def _student_fingerprints(folder, assignment, release_answers, ignore, notes):
    """{student: {grade_id: fingerprints}} of the written (non-stub) exercises of each readable notebook."""
    students = {}
    for student_dir in sorted(p for p in Path(folder).iterdir() if p.is_dir() and not p.name.startswith(".")):
        path = find_notebook(student_dir, assignment)
        if path is None:
            notes.append(f"{student_dir.name}: skipped, no {assignment}.ipynb")
            continue
        try:
            answers = answer_cells(_read_notebook(path))
        except ValueError as err:
            notes.append(f"{student_dir.name}: skipped, {err}")
            continue
        written = {}
        for gid in release_answers:
            code = answers.get(gid)
            if code is None or is_stub(code) or normalize(code) == normalize(release_answers[gid]):
                continue
            prints = fingerprints(code, ignore)
            if prints:
                written[gid] = prints
        students[student_dir.name] = written
    return students


def _pair_scores(students, exercises):
    """Every PairScore: per exercise both wrote, and the mean of those as OVERALL."""
    pairs = []
    for a, b in itertools.combinations(sorted(students), 2):
        scores = []
        for gid in exercises:
            fa, fb = students[a].get(gid, set()), students[b].get(gid, set())
            score = jaccard(fa, fb) if fa and fb else None
            if score is not None:
                scores.append(score)
            pairs.append(PairScore(a, b, gid, score, len(fa & fb), len(fa), len(fb)))
        overall = sum(scores) / len(scores) if scores else None
        pairs.append(PairScore(a, b, OVERALL, overall, len(scores), 0, 0))
    return pairs


def _reference_scores(students, references, ignore):
    """Every ReferenceScore: each student's written exercise against the union of its reference sources."""
    ref_prints = {gid: set().union(*(fingerprints(src, ignore) for src in srcs.values()))
                  for gid, srcs in references.items()}
    scores = []
    for student in sorted(students):
        for gid, names in references.items():
            mine, theirs = students[student].get(gid, set()), ref_prints[gid]
            scores.append(ReferenceScore(student, gid, tuple(names), containment(mine, theirs) if mine else None,
                                         len(mine & theirs), len(mine)))
    return scores


def similarity(course_root: Path, assignment: str, folder: Path, out_dir: Path,
               threshold: float = 0.8) -> "SimilarityReport":
    """Compare the students' answer cells of ``assignment`` in ``folder``; write the CSV and the heatmap."""
    course_root, folder, out_dir = Path(course_root), Path(folder), Path(out_dir)
    release_nb = _read_notebook(course_root / "notebooks" / assignment / f"{assignment}.ipynb")
    release_answers = answer_cells(release_nb)
    ignore = frozenset(h for code in code_cells(release_nb) for h in kgram_hashes(normalize(code)))
    notes = []
    if not folder.is_dir():
        raise FileNotFoundError(f"no submissions folder {folder}")
    students = _student_fingerprints(folder, assignment, release_answers, ignore, notes)
    references = reference_sources(course_root, assignment, release_answers, notes)
    exercises = list(release_answers)
    report = SimilarityReport(assignment, threshold, sorted(students), exercises,
                              _pair_scores(students, exercises), _reference_scores(students, references, ignore),
                              notes)
    out_dir.mkdir(parents=True, exist_ok=True)
    report.csv_path = write_csv(report, out_dir / f"{assignment}_similarity.csv")
    report.png_path = write_heatmap(report, out_dir / f"{assignment}_similarity.png")
    return report


# ---------------------------------------------------------------- outputs


def _fmt(score):
    return "" if score is None else f"{score:.3f}"


def write_csv(report, path):
    """Every pair score (per exercise and overall) and every reference score, one row each."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["kind", "student_a", "student_b", "exercise", "score", "shared", "fingerprints_a",
                      "fingerprints_b"])
        for p in report.pairs:
            kind, counts = ("overall", [p.shared, "", ""]) if p.exercise == OVERALL else (
                "pair", [p.shared, p.fingerprints_a, p.fingerprints_b])
            out.writerow([kind, p.a, p.b, p.exercise, _fmt(p.score), *counts])
        for r in report.reference:
            out.writerow(["reference", r.student, "rnnkit:" + "+".join(r.reference), r.exercise, _fmt(r.score),
                          r.shared, r.fingerprints, ""])
    return Path(path)


def overall_matrix(report):
    """students x students overall scores (NaN on the diagonal and where nothing was comparable)."""
    index = {s: i for i, s in enumerate(report.students)}
    matrix = np.full((len(index), len(index)), np.nan)
    for p in report.pairs:
        if p.exercise == OVERALL and p.score is not None:
            matrix[index[p.a], index[p.b]] = matrix[index[p.b], index[p.a]] = p.score
    return matrix


def write_heatmap(report, path):
    """A PNG heatmap of the overall scores, annotated, on a fixed 0..1 colour scale."""
    from matplotlib import colormaps
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    matrix, names = overall_matrix(report), report.students
    size = max(4.0, 0.6 * len(names) + 2.5)
    fig = Figure(figsize=(size + 1.2, size))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    cmap = colormaps["viridis"].with_extremes(bad="#dddddd")
    image = ax.imshow(np.ma.masked_invalid(matrix), cmap=cmap, vmin=0.0, vmax=1.0)
    fig.colorbar(image, ax=ax, label="overall similarity (0 = nothing shared, 1 = same code)")
    ax.set_xticks(range(len(names)), names, rotation=45, ha="right")
    ax.set_yticks(range(len(names)), names)
    for i, j in itertools.product(range(len(names)), repeat=2):
        value = matrix[i, j]
        text = "" if i == j else "–" if np.isnan(value) else f"{value:.2f}"
        dark = not np.isnan(value) and value < 0.6  # viridis is dark below 0.6: white text there
        ax.text(j, i, text, ha="center", va="center", fontsize=8, color="white" if dark else "black")
    title = f"{report.assignment}: code similarity (threshold {report.threshold:g})"
    ax.set_title(title if names else title + "\nno readable submissions")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    return Path(path)


def format_table(report):
    """The report as text: flagged pairs, reference matches, notes and the output files."""
    lines = [f"{report.assignment}: {len(report.students)} student(s), threshold {report.threshold:g}"]
    flagged = report.flagged
    if flagged:
        wa = max(len("student A"), *(len(p.a) for p in flagged))
        wb = max(len("student B"), *(len(p.b) for p in flagged))
        we = max(len("exercise"), *(len(p.exercise) for p in flagged))
        lines += ["", f"{'student A':<{wa}}  {'student B':<{wb}}  {'exercise':<{we}}  score"]
        lines += [f"{p.a:<{wa}}  {p.b:<{wb}}  {p.exercise:<{we}}  {p.score:.2f}" for p in flagged]
    else:
        lines += ["", "no pair of students at or above the threshold"]
    matches = report.reference_matches
    if matches:
        ws = max(len("student"), *(len(r.student) for r in matches))
        we = max(len("exercise"), *(len(r.exercise) for r in matches))
        lines += ["", "matching rnnkit's reference code:", f"{'student':<{ws}}  {'exercise':<{we}}  score  rnnkit"]
        lines += [f"{r.student:<{ws}}  {r.exercise:<{we}}  {r.score:.2f}   {', '.join(r.reference)}" for r in matches]
    if report.notes:
        lines += ["", "notes:", *(f"  {n}" for n in report.notes)]
    if report.csv_path or report.png_path:
        lines += ["", f"CSV: {report.csv_path}", f"heatmap: {report.png_path}"]
    return "\n".join(lines)
