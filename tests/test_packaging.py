"""Packaging, layout and set-up: the wheel holds rnnkit only, notebooks carry no outputs,
the README's commands are the ones CI runs, and the README's first command opens the course."""

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    (path,) = out.glob("rnnkit-*.whl")
    return path


def test_wheel_holds_rnnkit_only(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/")[0] for n in names}
    assert top == {"rnnkit", next(t for t in top if t.endswith(".dist-info"))}, top
    assert "rnnkit/rnn.py" in names and "rnnkit/testing.py" in names


def test_wheel_holds_no_solution_and_no_hidden_test(wheel):
    with zipfile.ZipFile(wheel) as z:
        for name in [n for n in z.namelist() if n.startswith("rnnkit/")]:  # METADATA holds the README
            text = z.read(name).decode("utf-8", "replace")
            for marker in ("### BEGIN SOLUTION", "### BEGIN HIDDEN TESTS", "generate_assignment", "nbgrader autograde"):
                assert marker not in text, f"{name} contains {marker!r}"


def test_wheel_declares_python_and_runtime_dependencies(wheel):
    with zipfile.ZipFile(wheel) as z:
        meta = z.read(next(n for n in z.namelist() if n.endswith("METADATA"))).decode()
    assert "Requires-Python: >=3.10" in meta
    for dep in ("numpy", "matplotlib", "ipywidgets"):
        assert re.search(rf"^Requires-Dist: {dep}\b(?!.*extra)", meta, re.M), dep
    for extra_dep in ("jupyterlab", "notebook", "nbgrader", "pytest", "nbclient"):
        assert re.search(rf"^Requires-Dist: {extra_dep}\b.*extra ==", meta, re.M), extra_dep


def test_notebooks_are_stored_without_outputs():
    paths = sorted((REPO / "solutions").rglob("*.ipynb")) + sorted((REPO / "notebooks").rglob("*.ipynb"))
    assert paths
    for path in paths:
        for cell in json.loads(path.read_text())["cells"]:
            if cell["cell_type"] == "code":
                assert not cell["outputs"] and cell["execution_count"] is None, f"{path} holds outputs"


def readme_commands():
    """The two set-up commands the README opens with (the first two shell blocks)."""
    blocks = re.findall(r"```(?:bash|sh)\n(.*?)```", (REPO / "README.md").read_text(), re.S)
    return blocks[0].strip(), blocks[1].strip()


def test_ci_runs_the_readme_test_command():
    _, test_command = readme_commands()
    assert "pytest" in test_command
    assert test_command in (REPO / ".ci" / "run").read_text()


def test_readme_first_command_opens_jupyterlab_on_notebooks():
    course_command, _ = readme_commands()
    assert re.search(r"jupyter lab --config=lab/student\.py notebooks/?$", course_command), course_command


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_jupyterlab_opens_the_course(tmp_path):
    """`jupyter lab --config=lab/student.py notebooks/` (the README's first command, without a browser)
    serves the assignments."""
    port, token = _free_port(), "rnnkit-test"
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"), JUPYTER_CONFIG_DIR=str(tmp_path / "config"))
    jupyter = Path(sys.executable).parent / "jupyter"
    log = open(tmp_path / "jupyter.log", "w")  # noqa: SIM115 - closed in the finally below
    server = subprocess.Popen(
        [str(jupyter), "lab", "--config=lab/student.py", "notebooks/", "--no-browser", f"--port={port}",
         "--ServerApp.ip=127.0.0.1",
         f"--IdentityProvider.token={token}", "--ServerApp.port_retries=0",
         *(["--allow-root"] if os.geteuid() == 0 else [])],  # CI runs as root; a learner does not
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/contents/01_notation?token={token}", timeout=5) as r:
                    listing = json.load(r)
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "jupyter.log").read_text()
                assert time.monotonic() < deadline, "JupyterLab did not answer within 90 s"
                time.sleep(0.5)
        assert "01_notation.ipynb" in {item["name"] for item in listing["content"]}
        with urllib.request.urlopen(f"{base}/lab?token={token}", timeout=10) as r:
            assert r.status == 200 and b"JupyterLab" in r.read()
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def test_library_and_tooling_pass_ruff():
    """The code style of pyproject.toml ([tool.ruff]) holds for rnnkit/, autograder/, benchmarks/ and tests/."""
    ruff = Path(sys.executable).parent / "ruff"
    done = subprocess.run([str(ruff), "check", "rnnkit", "autograder", "benchmarks", "tests"], cwd=REPO,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
