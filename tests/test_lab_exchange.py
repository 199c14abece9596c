"""JupyterLab started from autograder/ (the instructor's laptop, README step 5) is quiet about nbgrader's
exchange: the course configuration gives it an exchange folder it can write, so the Assignments tab's
polling does not log "Unwritable directory, please contact your instructor" over and over."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from course_harness import REPO
from traitlets.config.loader import PyFileConfigLoader

WARNING = "Unwritable directory"
TOKEN = "rnnkit-test"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_and_poll(folder, home):
    """Start `jupyter lab` in ``folder`` on loopback, ask the nbgrader endpoints the lab extension polls
    (courses, then a course's assignments) twice, stop it; return (the answers, its log)."""
    port = free_port()
    env = dict(os.environ, HOME=str(home), JUPYTER_CONFIG_DIR=str(home / "config"),
               JUPYTER_DATA_DIR=str(home / "data"), JUPYTER_RUNTIME_DIR=str(home / "runtime"))
    env.pop("RNNKIT_EXCHANGE", None)  # the laptop: no hub, no shared exchange
    log = home / "lab.log"
    cmd = [str(Path(sys.executable).parent / "jupyter"), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           f"--IdentityProvider.token={TOKEN}", "--ServerApp.open_browser=False"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    with open(log, "w") as out:
        server = subprocess.Popen(cmd, cwd=folder, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"

        def get(path):
            request = urllib.request.Request(base + path, headers={"Authorization": f"token {TOKEN}"})
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.read().decode()

        deadline = time.monotonic() + 60
        while True:
            try:
                get("/api/status")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise AssertionError("jupyter lab did not start:\n" + log.read_text()) from None
                time.sleep(0.3)
        answers = [get(path) for _ in range(2) for path in ("/courses", "/assignments?course_id=rnn-course")]
    finally:
        server.terminate()
        server.wait(timeout=30)
    return answers, log.read_text()


@pytest.mark.slow
def test_lab_from_autograder_is_quiet_about_the_exchange(tmp_path):
    course = tmp_path / "course"
    (course / "autograder").mkdir(parents=True)
    shutil.copy(REPO / "autograder" / "nbgrader_config.py", course / "autograder")
    (tmp_path / "home").mkdir()
    answers, log = serve_and_poll(course / "autograder", tmp_path / "home")
    assert "nbgrader.server_extensions.assignment_list | extension was successfully loaded" in log, log
    assert WARNING not in log and "ExchangeError" not in log, log
    assert all(a.startswith('{"success": true') for a in answers), answers
    assert (course / "autograder" / "exchange").is_dir()  # made when the configuration was loaded
    # The same server from a folder without the course's configuration shows what the test guards against.
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "home2").mkdir()
    answers, log = serve_and_poll(tmp_path / "elsewhere", tmp_path / "home2")
    assert f"{WARNING}, please contact your instructor" in log and '"success": false' in answers[0], log


def load(monkeypatch, tmp_path, exchange=None):
    """The course configuration as nbgrader reads it, from a copy in ``tmp_path/autograder``."""
    (tmp_path / "autograder").mkdir(exist_ok=True)
    shutil.copy(REPO / "autograder" / "nbgrader_config.py", tmp_path / "autograder")
    if exchange is None:
        monkeypatch.delenv("RNNKIT_EXCHANGE", raising=False)
    else:
        monkeypatch.setenv("RNNKIT_EXCHANGE", str(exchange))
    return PyFileConfigLoader("nbgrader_config.py", path=str(tmp_path / "autograder")).load_config()


def test_exchange_is_private_on_a_laptop_and_the_hubs_shared_folder_when_there_is_one(monkeypatch, tmp_path):
    shared = tmp_path / "srv" / "exchange"
    assert load(monkeypatch, tmp_path, shared).Exchange.root == str(tmp_path / "autograder" / "exchange")
    assert not shared.exists()  # a hub folder that is not there is not made
    shared.mkdir(parents=True)
    assert load(monkeypatch, tmp_path, shared).Exchange.root == str(shared)  # the hub's, as its config says
