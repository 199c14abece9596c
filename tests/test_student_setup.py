"""The student's JupyterLab (lab/student.py, the README's first command) against the instructor's
(a plain `jupyter lab` from autograder/): kernels on one BLAS thread, nbgrader's instructor tools off."""

import json
import os
import re
from pathlib import Path

import pytest
from jupyter_client import KernelManager
from lab_harness import REPO, clean_env, lab

pytestmark = pytest.mark.slow

INSTRUCTOR_PLUGINS = {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
                      "@jupyter/nbgrader:course-list"}
STUDENT_PLUGINS = {"@jupyter/nbgrader:menu", "@jupyter/nbgrader:assignment-list",
                   "@jupyter/nbgrader:validate-assignment"}
NO_CONFIG = "No nbgrader_config.py file found"
BLAS_THREADS = ("import json, numpy\nfrom threadpoolctl import threadpool_info\n"
                "print(json.dumps({i['internal_api']: i['num_threads'] for i in threadpool_info()}))")


def blas_threads(client):
    """{BLAS library: number of threads} inside the kernel behind ``client`` (threadpoolctl)."""
    printed = []
    reply = client.execute_interactive(
        BLAS_THREADS, timeout=60, output_hook=lambda m: printed.append(m["content"].get("text", "")))
    assert reply["content"]["status"] == "ok", reply["content"]
    return json.loads("".join(printed))


def page_config(lab_server):
    status, html = lab_server.get("lab")
    assert status == 200
    return json.loads(re.search(r'id="jupyter-config-data"[^>]*>(.*?)</script>', html, re.S).group(1))


def test_student_kernel_runs_blas_on_one_thread(tmp_path):
    with lab(REPO / "notebooks", tmp_path) as server:
        client = server.kernel_client("01_notation")
        try:
            threads = blas_threads(client)
        finally:
            client.shutdown()
            client.stop_channels()
    assert threads and set(threads.values()) == {1}, threads


def test_a_plain_kernel_uses_every_core(tmp_path):
    """What the student's set-up changes: without it, OpenBLAS takes a thread per core."""
    km = KernelManager(kernel_name="python3")
    km.start_kernel(env=clean_env(), cwd=str(tmp_path))
    client = km.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)
        threads = blas_threads(client)
    finally:
        client.stop_channels()
        km.shutdown_kernel(now=True)
    assert threads["openblas"] == len(os.sched_getaffinity(0)), threads


def test_student_lab_has_no_instructor_tools(tmp_path):
    with lab(REPO / "notebooks", tmp_path) as server:
        disabled = set(page_config(server)["disabledExtensions"])
        formgrader, _ = server.get("formgrader")
        validate, _ = server.get("nbgrader_version?version=0")
        log = server.log_text()
    assert INSTRUCTOR_PLUGINS <= disabled and not STUDENT_PLUGINS & disabled, disabled
    assert formgrader == 404 and validate == 200
    assert NO_CONFIG not in log, log


def test_self_learner_lab_serves_a_copy_of_the_solutions(tmp_path):
    before = {p: p.read_bytes() for p in (REPO / "solutions").rglob("*") if p.is_file()}
    with lab(None, tmp_path, config=REPO / "lab" / "solutions.py") as server:
        root = Path(re.search(r"Serving notebooks from local directory: (\S+)", server.log_text()).group(1))
        status, listing = server.get("api/contents")
        server.post("api/contents/scratch.txt", {"type": "file", "format": "text", "content": "mine"}, method="PUT")
        disabled = set(page_config(server)["disabledExtensions"])
        assert (root / "scratch.txt").read_text() == "mine"
    names = sorted(item["name"] for item in json.loads(listing)["content"])
    assert status == 200 and names == sorted(p.name for p in (REPO / "solutions").iterdir())
    assert not root.exists(), "the copy outlived the server"
    assert {p: p.read_bytes() for p in (REPO / "solutions").rglob("*") if p.is_file()} == before
    assert INSTRUCTOR_PLUGINS <= disabled


def test_instructor_lab_keeps_everything(tmp_path):
    env = {"RNNKIT_DB_URL": f"sqlite:///{tmp_path / 'gradebook.db'}"}  # never the class's gradebook
    with lab(REPO, tmp_path, cwd=REPO / "autograder", config=None, env=env) as server:
        disabled = set(page_config(server)["disabledExtensions"])
        log = server.log_text()
    assert not (INSTRUCTOR_PLUGINS | STUDENT_PLUGINS) & disabled, disabled
    assert "Loading the formgrader nbgrader serverextension" in log and NO_CONFIG not in log, log
