"""A term on a real JupyterHub, driven by `bash .ci/hub` (which installs what it needs and makes the users).

    python .ci/hub_session.py WORK_DIR   (WORK_DIR holds venv/ and proxy/; run as root)

The instructor (a local user with a copy of the course) generates and releases 01 into the exchange;
the hub (the course's autograder/jupyterhub/ settings) serves the student, who in headless Chromium
logs in, fetches 01 from the Assignments tab, writes Exercise 1 (build_vocabulary), saves and submits;
the instructor collects with nbgrader and grades with rnnkit-course, and the report gives the student
that exercise's points. The students' servers run with nbgrader's instructor tools disabled for the
whole environment (`jupyter labextension disable --level=sys_prefix`, as nbgrader's documentation
says), the exchange configuration of autograder/jupyterhub/nbgrader_config.py installed beside it.
Screenshots go to .ci/artifacts/hub/. Prints one closing line, "hub: 1 passed, 0 failed" or the failure.
"""

import csv
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
INSTRUCTOR, STUDENT = "rnnkit-instructor", "rnnkit-student"
A = "01_notation"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
INSTRUCTOR_PLUGINS = ["@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
                      "@jupyter/nbgrader:course-list"]
ARTIFACTS = REPO / ".ci" / "artifacts" / "hub"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def step(text):
    print(f"[hub {time.strftime('%H:%M:%S')}] {text}", flush=True)


def ok(done):
    if done.returncode != 0:
        raise RuntimeError(f"{done.args} failed:\n{done.stdout}{done.stderr}")
    return done


def as_user(user, args, cwd, env):
    """A command as the local ``user``, with ``env`` (runuser keeps nothing else of root's)."""
    home = f"/home/{user}"
    pairs = [f"{k}={v}" for k, v in {"HOME": home, "USER": user, "LANG": "C.UTF-8", **env}.items()]
    return subprocess.run(["runuser", "-u", user, "--", "env", "-i", *pairs, *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=900)


def install_hub_wide(venv):
    """What a hub's admin does once for every server: nbgrader's exchange settings in the environment's
    config path, the instructor tools off for the environment (the instructor uses the command line)."""
    shutil.copy(REPO / "autograder" / "jupyterhub" / "nbgrader_config.py", venv / "etc" / "jupyter")
    jupyter = str(venv / "bin" / "jupyter")
    ok(subprocess.run([jupyter, "labextension", "disable", "--level=sys_prefix", *INSTRUCTOR_PLUGINS],
                      capture_output=True, text=True))
    for extension in ("formgrader", "course_list"):
        ok(subprocess.run([jupyter, "server", "extension", "disable", "--sys-prefix",
                           f"nbgrader.server_extensions.{extension}"], capture_output=True, text=True))


def instructor_course(work):
    """The instructor's copy of the course in their home, owned by them."""
    course = Path(f"/home/{INSTRUCTOR}") / "rnn-course"
    shutil.rmtree(course, ignore_errors=True)
    skip = shutil.ignore_patterns("gradebook.db", "submitted", "autograded", "feedback", "reports", "results",
                                  "exchange", "__pycache__", ".ipynb_checkpoints")
    for folder in ("autograder", "solutions", "notebooks"):
        shutil.copytree(REPO / folder, course / folder, ignore=skip)
    ok(subprocess.run(["chown", "-R", f"{INSTRUCTOR}:{INSTRUCTOR}", str(course)]))
    return course


def wait_for(url, seconds=120):
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not answer in {seconds} s") from None
            time.sleep(0.5)


def student_session(base, password):
    """The student's part, in the browser; returns the notebook's path in the student's home."""
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    source = nbformat.read(REPO / "solutions" / A / f"{A}.ipynb", 4)
    sys.path.insert(0, str(REPO / "tests"))
    from course_harness import fill

    filled = fill(nbformat.read(REPO / "notebooks" / A / f"{A}.ipynb", 4), source)
    (answer,) = [c.source for c in filled.cells if "def build_vocabulary(" in c.source]
    answer = re.sub(r"^\s*### (BEGIN|END) SOLUTION\n", "", answer, flags=re.M)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(180_000)
        try:
            page.goto(f"{base}/hub/login")
            page.fill("#username_input", STUDENT)
            page.fill("#password_input", password)
            page.click("#login_submit")
            page.wait_for_url(re.compile(rf"/user/{STUDENT}/lab"))
            page.wait_for_selector(".jp-LauncherCard")
            step("the student's JupyterLab is up")
            page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
            items = [t for t in page.locator(".lm-Menu-itemLabel:visible").all_inner_texts() if t.strip()]
            page.screenshot(path=ARTIFACTS / "student_menu.png")
            assert items == ["Assignment List"], f"the student's Nbgrader menu: {items}"
            page.get_by_text("Assignment List", exact=True).click()
            released = page.locator("#released_assignments_list")
            released.get_by_role("button", name="Fetch").click()
            page.locator("#fetched_assignments_list", has_text=A).wait_for()
            page.screenshot(path=ARTIFACTS / "fetched.png")
            step("fetched 01 from the Assignments tab")
            page.goto(f"{base}/user/{STUDENT}/lab/tree/rnn-course/{A}/{A}.ipynb")
            page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']")
            exercise = page.locator(".jp-Notebook .jp-Cell").filter(
                has=page.locator(".cm-content", has_text="def build_vocabulary(")).first
            exercise.locator(".cm-content").click()
            page.keyboard.press("Control+a")
            page.keyboard.insert_text(answer)
            page.locator("jp-button[data-command='docmanager:save']").click()
            page.wait_for_selector(".lm-TabBar-tab.jp-mod-current[data-type='document-title']:not(.jp-mod-dirty)")
            page.screenshot(path=ARTIFACTS / "exercise_written.png")
            step("wrote Exercise 1 and saved")
            page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
            page.get_by_text("Assignment List", exact=True).click()
            page.locator("#fetched_assignments_list").get_by_role("button", name="Submit").click()
            page.locator("#submitted_assignments_list", has_text=A).wait_for()
            page.screenshot(path=ARTIFACTS / "submitted.png")
            step("submitted")
        except BaseException:
            page.screenshot(path=ARTIFACTS / "FAILED.png")
            raise
        finally:
            browser.close()


def main(work):
    work = Path(work)
    venv = work / "venv"
    exchange = work / "exchange"
    exchange.mkdir()
    exchange.chmod(0o1777)
    install_hub_wide(venv)
    path = os.pathsep.join([str(venv / "bin"), "/usr/local/bin", "/usr/bin", "/bin"])
    env = {"PATH": path, "RNNKIT_EXCHANGE": str(exchange)}
    course = instructor_course(work)
    nbgrader = [venv / "bin" / "nbgrader"]
    config = "--NbGrader.config_file=autograder/nbgrader_config"
    ok(as_user(INSTRUCTOR, [*nbgrader, "generate_assignment", A, "--force", config], course, env))
    ok(as_user(INSTRUCTOR, [*nbgrader, "release_assignment", A, "--force", config], course, env))
    step("the instructor released 01 into the exchange")

    password = secrets.token_urlsafe(12)
    ports = [free_port() for _ in range(3)]
    hub_env = dict(os.environ, RNNKIT_HUB_DIR=str(work), RNNKIT_HUB_PORTS=",".join(map(str, ports)),
                   RNNKIT_HUB_PASSWORD=password, RNNKIT_INSTRUCTORS=INSTRUCTOR, RNNKIT_STUDENTS=STUDENT,
                   RNNKIT_EXCHANGE=str(exchange), PATH=os.pathsep.join([str(venv / "bin"), os.environ["PATH"]]))
    log = open(work / "hub.log", "w")  # noqa: SIM115 - closed below
    hub = subprocess.Popen([str(venv / "bin" / "jupyterhub"), "-f", str(REPO / ".ci" / "hub_config.py")],
                           cwd=work, env=hub_env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{ports[0]}"
        wait_for(f"{base}/hub/login")
        step("the hub is up")
        student_session(base, password)
    finally:
        os.killpg(hub.pid, 15)  # the hub, its proxy and the users' servers
        hub.wait(timeout=60)
        log.close()
        shutil.copy(work / "hub.log", ARTIFACTS / "hub.log")

    ok(as_user(INSTRUCTOR, [*nbgrader, "collect", A, config], course, env))
    ok(as_user(INSTRUCTOR, [venv / "bin" / "rnnkit-course", "grade", A, "autograder/submitted"], course, env))
    with open(course / "autograder" / "reports" / f"{A}_grades.csv") as f:
        rows = {row["student"]: row for row in csv.DictReader(f)}
    shutil.copy(course / "autograder" / "reports" / f"{A}_grades.csv", ARTIFACTS / f"{A}_grades.csv")
    row = rows[STUDENT]
    step(f"the instructor collected and graded: {STUDENT} {row}")
    assert float(row["score"]) == 2.0, f"the student wrote Exercise 1 (2 points) only: {row}"
    assert row["submitted"], f"the exchange's submission time is not in the report: {row}"


if __name__ == "__main__":
    start = time.monotonic()
    try:
        main(sys.argv[1])
    except BaseException as e:
        print(f"hub: FAILED after {time.monotonic() - start:.0f} s: {type(e).__name__}: {e}", flush=True)
        print("hub: 0 passed, 1 failed")
        sys.exit(1)
    print(f"hub: the term's round trip took {time.monotonic() - start:.0f} s")
    print("hub: 1 passed, 0 failed")
