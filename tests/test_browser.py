"""A student's session in a real browser: the README's JupyterLab (lab/student.py) driven in headless
Chromium (Debian's /usr/bin/chromium, through playwright). Screenshots go to .ci/artifacts/browser/.

What this relies on in the notebooks (cells are found by text and class, not by position):
01's release has an exercise cell defining `def build_vocabulary(` with its visible test cell right after
it, and its setup is the notebook's first code cell; the solutions of 01 and 05 fill their releases
(tests/course_harness.fill) into notebooks that run top to bottom (01's passes Validate); 05 builds a
panel with `rnnkit.widgets.controls` that has a `temperature` slider and shows text or a plot.
"""

import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path

import nbformat
import pytest
from course_harness import REPO, fill
from lab_harness import lab
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from autograder.release import canonical, kernel_language_info

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("RNNKIT_ARTIFACTS", REPO / ".ci" / "artifacts")) / "browser"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
MARKERS = re.compile(r"^\s*### (BEGIN|END) SOLUTION\n", re.M)
STDERR = ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"  # errors and stderr


def released(assignment):
    return nbformat.read(REPO / "notebooks" / assignment / f"{assignment}.ipynb", 4)


def solved(assignment):
    """The release with every exercise filled in from the solution (as a student who finished it)."""
    return fill(released(assignment), nbformat.read(REPO / "solutions" / assignment / f"{assignment}.ipynb", 4))


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A learner's copy of the course (the tests write into it; notebooks/ is never touched)."""
    root = tmp_path_factory.mktemp("course")
    shutil.copytree(REPO / "notebooks" / "01_notation", root / "01_notation")
    for folder in ("01_solved", "05_sampling", "saving"):
        (root / folder).mkdir()
    nbformat.write(solved("01_notation"), root / "01_solved" / "01_notation.ipynb")
    nbformat.write(solved("05_sampling"), root / "05_sampling" / "05_sampling.ipynb")
    plain = released("02_forward_pass")  # as an editor without a kernel stores it: no language_info
    plain.metadata.pop("language_info", None)
    nbformat.write(plain, root / "saving" / "as_stored.ipynb")
    nbformat.write(canonical(released("02_forward_pass"), kernel_language_info()), root / "saving" / "canonical.ipynb")
    return root


@pytest.fixture(scope="module")
def server(course, tmp_path_factory):
    with lab(course, tmp_path_factory.mktemp("lab")) as running:
        yield running


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    assert CHROMIUM.exists(), "the browser tests drive Debian's chromium: apt-get install chromium"
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            tmp_path_factory.mktemp("chromium-profile"), executable_path=str(CHROMIUM), headless=True,
            args=CHROMIUM_FLAGS, viewport={"width": 1400, "height": 1000})
        context.set_default_timeout(60_000)
        yield context
        context.close()


@contextmanager
def notebook(browser, server, path):
    """A page with the notebook open and its kernel idle; a screenshot if the test fails on it."""
    page = browser.new_page()
    try:
        page.goto(f"{server.url}/lab/tree/{path}?token={server.token}&reset")
        page.wait_for_selector(".jp-Notebook .jp-Cell")
        wait_idle(page)
        yield page
    except BaseException:
        shoot(page, "FAILED-" + path.replace("/", "-"))
        raise
    finally:
        page.close()


def wait_idle(page):
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']")


def cell(page, text):
    """The notebook cell whose source holds ``text``."""
    return page.locator(".jp-Notebook .jp-Cell").filter(has=page.locator(".cm-content", has_text=text)).first


def run(page, target):
    """Run one cell (select it, press the toolbar's run button) and wait for its new execution count."""
    prompt = target.locator(".jp-InputArea-prompt")
    before = prompt.inner_text()
    ran = "([el, old]) => /\\[\\d+\\]/.test(el.textContent) && el.textContent !== old"
    for attempt in range(4):  # a click that lands while a fresh kernel still connects is lost: press again
        prompt.click()
        page.locator("jp-button[data-command='notebook:run-cell-and-select-next']").click()
        try:
            page.wait_for_function(ran, arg=[prompt.element_handle(), before], timeout=30_000 * (attempt + 1))
            return
        except PlaywrightTimeout:
            if prompt.inner_text().strip() == "[*]:":  # running, not lost: wait for it
                page.wait_for_function(ran, arg=[prompt.element_handle(), before], timeout=120_000)
                return
    raise AssertionError(f"the cell never ran (prompt {prompt.inner_text()!r})")


def shoot(page, name):
    page.screenshot(path=ARTIFACTS / f"{name}.png")


def validate(page, name):
    """Press Validate (which saves first) and return the verdict's text."""
    page.get_by_role("button", name="Validate").click()
    dialog = page.locator(".jp-Dialog")
    dialog.wait_for()
    page.wait_for_function("el => !/validating/i.test(el.textContent)", arg=dialog.element_handle(), timeout=120_000)
    shoot(page, name)
    verdict = dialog.inner_text()
    dialog.get_by_role("button", name="Ok").click()
    return verdict


def test_student_solves_an_exercise_its_visible_test_passes_and_validate_says_what_is_left(browser, server):
    with notebook(browser, server, "01_notation/01_notation.ipynb") as page:
        run(page, page.locator(".jp-Notebook .jp-CodeCell").first)  # the set-up cell
        exercise = cell(page, "def build_vocabulary(")
        test = exercise.locator("xpath=following-sibling::div[contains(@class, 'jp-Cell')][1]")
        run(page, exercise)
        run(page, test)
        assert "NotImplementedError" in test.locator(STDERR).inner_text()  # not written yet
        (answer,) = [c.source for c in solved("01_notation").cells if "def build_vocabulary(" in c.source]
        exercise.locator(".cm-content").click()
        page.keyboard.press("Control+a")
        page.keyboard.insert_text(MARKERS.sub("", answer))
        run(page, exercise)
        run(page, test)
        shoot(page, "01_exercise_passes")
        assert exercise.locator(STDERR).count() == 0 and test.locator(STDERR).count() == 0, test.inner_text()
        verdict = validate(page, "01_validate")
        assert "Success" not in verdict and "encode" in verdict, verdict  # the next exercise is still blank
    with notebook(browser, server, "01_solved/01_notation.ipynb") as page:
        assert "Success! Your notebook passes all the tests." in validate(page, "01_solved_validate")


def test_widget_renders_sliders_that_change_the_output(browser, server):
    with notebook(browser, server, "05_sampling/05_sampling.ipynb") as page:
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").click()
        page.get_by_text("Run All Cells", exact=True).click()
        slider = page.locator(".widget-slider", has=page.locator(".widget-label", has_text="temperature")).first
        slider.wait_for(timeout=120_000)
        wait_idle(page)
        panel = page.locator(".widget-interact").filter(has=slider)
        panel.scroll_into_view_if_needed()
        label = slider.locator(".widget-label")
        assert label.evaluate("el => el.scrollWidth <= el.clientWidth"), "the label is cut"
        output = panel.locator(".widget-output")
        before = output.inner_html()
        shoot(page, "05_widget_before")
        slider.locator(".noUi-handle").focus()
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        page.wait_for_function("([el, old]) => el.innerHTML !== old", arg=[output.element_handle(), before])
        shoot(page, "05_widget_after")


def test_student_sees_no_instructor_tools(browser, server):
    with notebook(browser, server, "01_notation/01_notation.ipynb") as page:
        assert page.get_by_role("button", name="Validate").is_visible()
        page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
        items = [t for t in page.locator(".lm-Menu-itemLabel:visible").all_inner_texts() if t.strip()]
        shoot(page, "nbgrader_menu")
        assert items == ["Assignment List"], items
        sidebars = page.locator(".jp-SideBar .lm-TabBar-tab").evaluate_all("tabs => tabs.map(t => t.title)")
        assert not [t for t in sidebars if "Create Assignment" in t], sidebars
    assert "No nbgrader_config.py file found" not in server.log_text()


def test_jupyterlab_saves_the_canonical_form(browser, server, course):
    """Opening a notebook stored without the kernel's language_info marks it modified (it arrives) and
    saving writes the canonical form; a canonical notebook opened alongside stays unmodified and saves
    byte for byte."""
    expected = (course / "saving" / "canonical.ipynb").read_bytes()
    tab = ".lm-TabBar-tab.jp-mod-current[data-type='document-title']"
    with (notebook(browser, server, "saving/as_stored.ipynb") as as_stored,
          notebook(browser, server, "saving/canonical.ipynb") as canonical_page):
        as_stored.wait_for_selector(f"{tab}.jp-mod-dirty")
        canonical_page.wait_for_timeout(2000)
        assert canonical_page.locator(f"{tab}.jp-mod-dirty").count() == 0, "opening changed a canonical notebook"
        for page in (as_stored, canonical_page):
            page.keyboard.press("Control+s")
            page.wait_for_timeout(1000)
    for name in ("as_stored", "canonical"):
        assert (course / "saving" / f"{name}.ipynb").read_bytes() == expected, name
