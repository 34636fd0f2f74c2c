"""The page for everyone (issue 17): axe-core, keyboard only, 400% zoom, screen-reader semantics.

axe-core comes from the npm registry (tests/web/axe, `npm ci`), is injected into the page
under test and fails the test on any WCAG 2.0/2.1/2.2 A or AA violation. Measurements
(the conversation's visible height at each size, axe results) are written to
artifacts/web/measurements.json for the issue's closing note.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from cse_core import knowledge
from tests.web.browser import (
    active,
    ask,
    assert_no_axe_violations,
    bot_turns,
    click_reply,
    covered_by,
    keyboard_reply,
    open_chat,
    run_axe,
    set_viewport,
    shot,
    tab_until,
    visible_log_height,
    wait,
    wait_for_reply,
)
from tests.web.conftest import ARTIFACTS

MEASURED: dict[str, Any] = {"axe": [], "visible_log_height": {}}


@pytest.fixture(scope="module", autouse=True)
def measurements() -> Any:
    yield MEASURED
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "measurements.json").write_text(json.dumps(MEASURED, indent=2), encoding="utf-8")


def grant_clipboard(driver: Any, origin: str) -> None:
    driver.execute_cdp_cmd("Browser.grantPermissions", {
        "origin": origin, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})


def clipboard(driver: Any) -> str:
    return driver.execute_async_script(
        "const done = arguments[0]; navigator.clipboard.readText().then(done, e => done('ERROR ' + e));")


def keyboard_type(driver: Any, text: str) -> None:
    ActionChains(driver).send_keys(text).send_keys(Keys.ENTER).perform()


# --------------------------------------------------------------------------- axe-core

def test_axe_at_load_after_an_answer_and_with_the_notice_hidden(driver, chat, axe_source, artifacts):
    open_chat(driver, chat)
    assert_no_axe_violations(driver, axe_source, "at load", MEASURED["axe"])
    ask(driver, "what are the warning signs", "three or more")
    assert_no_axe_violations(driver, axe_source, "after an answer", MEASURED["axe"])
    driver.find_element(By.ID, "notice-close").click()
    assert_no_axe_violations(driver, axe_source, "with the notice hidden", MEASURED["axe"])
    driver.execute_script("const e = document.getElementById('error'); e.hidden = false; e.textContent = 'error line';")
    assert_no_axe_violations(driver, axe_source, "with the error line shown", MEASURED["axe"])


def test_all_content_is_in_landmarks_with_headings(driver, fake_chat, axe_source):
    open_chat(driver, fake_chat)
    ask(driver, "two messages please", "999")
    # axe's landmark rule (best practice, not an A/AA rule): everything inside a landmark.
    result = run_axe(driver, axe_source, rules=["region", "landmark-one-main", "page-has-heading-one",
                                                "landmark-unique", "heading-order"])
    assert not result["violations"], result["violations"]
    notice = driver.find_element(By.ID, "notice")
    assert notice.aria_role == "complementary" and notice.accessible_name == "Safety notice"
    headings = [h.text for h in driver.find_elements(By.CSS_SELECTOR, "h1, h2")]
    assert headings[0] == "CSE guidance assistant"
    assert [h.split()[0] for h in headings[2:]] == ["You", "Assistant"], headings


# --------------------------------------------------------------------------- keyboard only

def test_keyboard_only_pre_screen_to_its_outcome(driver, chat, helper, axe_source, artifacts):
    """Tab, Shift+Tab, Enter, Escape and typing only: no clicks anywhere in this test."""
    grant_clipboard(driver, chat)
    grant_clipboard(driver, helper.url)
    open_chat(driver, chat)
    tab_until(driver, lambda e: e.get_attribute("id") == "message", "the message box")
    before = len(bot_turns(driver))
    keyboard_type(driver, "I want to do a risk screening")
    wait_for_reply(driver, before, "immediate danger")
    keyboard_reply(driver, "No", "practitioner or as a parent")
    keyboard_reply(driver, "Parent or carer", "How old")
    keyboard_reply(driver, "13 to 15", "learning disability")
    keyboard_reply(driver, "No", "known to services")
    # the button's words are knowledge/'s (they changed with issue 15), not the test's
    keyboard_reply(driver, knowledge.get().pathways["new_case"].question_label, "Indicator 1 of 14")
    assert driver.find_element(By.ID, "progress").is_displayed()
    assert_no_axe_violations(driver, axe_source, "inside the pre-screen", MEASURED["axe"])
    shot(driver, artifacts, "30-keyboard-indicator-1")
    for n in range(1, 15):
        keyboard_reply(driver, "Medium" if n == 3 else "No concern",
                       f"Indicator {n + 1} of 14" if n < 14 else "other children")
    assert "all 14 indicators answered" in driver.find_element(By.ID, "progress-label").text
    keyboard_reply(driver, "No", "suspected offenders")
    outcome = keyboard_reply(driver, "No", "Pre-screen result: medium")

    # The summary: its lines as lines, and a real Copy button.
    summary = outcome.find_element(By.CSS_SELECTOR, ".bubble-summary")
    lines = [p.text for p in summary.find_elements(By.CSS_SELECTOR, ".summary-line")]
    assert lines[0].startswith("Date of pre-screen:") and "3. Education: medium" in lines
    assert "Summary to copy" not in "\n".join(lines), "the header is not part of what is copied"
    assert_no_axe_violations(driver, axe_source, "at the pre-screen outcome", MEASURED["axe"])
    shot(driver, artifacts, "31-keyboard-outcome")
    copy = tab_until(driver, lambda e: "copy-button" in (e.get_attribute("class") or ""), "the Copy button",
                     backwards=True)
    assert copy.tag_name == "button" and copy.accessible_name == "Copy summary"
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    status = summary.find_element(By.CSS_SELECTOR, ".copy-status")
    wait(driver, lambda d: status.text == "Summary copied.", "no 'copied' status")
    assert status.aria_role == "status"
    assert clipboard(driver) == "\n".join(lines)
    assert active(driver) == copy, "focus stays on the Copy button"

    # The process map for this child's route, inline, with a caption and a text alternative.
    answer = keyboard_reply(driver, "Show the process map", "Process map 3")
    img = wait(driver, lambda d: answer.find_element(By.CSS_SELECTOR, "figure img"), "no picture in the answer")
    wait(driver, lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", img),
         "the process map did not load")
    assert img.get_attribute("src") == f"{chat}/maps/map-3.png", "served by the page's own server"
    assert img.get_attribute("alt") == "Flowchart of the steps written out in the message above."
    caption = answer.find_element(By.CSS_SELECTOR, "figcaption .picture-title").text
    assert caption == f"Process map 3: {knowledge.get().pathways['new_case'].label}"
    order = driver.execute_script(
        "return [...arguments[0].querySelector('.turn-body').children].map(e => e.tagName + '.' + e.className)",
        answer)
    assert order[0].startswith("H2") and order[1].startswith("DIV.bubble") and order[2].startswith("FIGURE")
    assert order[-1] == "DIV.replies", "the buttons come after the whole reply"
    assert_no_axe_violations(driver, axe_source, "with the process map", MEASURED["axe"])
    shot(driver, artifacts, "32-keyboard-process-map")
    size = tab_until(driver, lambda e: "picture-size" in (e.get_attribute("class") or ""), "Full size",
                     backwards=True)
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    assert size.get_attribute("aria-pressed") == "true"
    assert_no_axe_violations(driver, axe_source, "with the process map at full size", MEASURED["axe"])

    # Leave by keyboard; the clipboard no longer holds the summary.
    ActionChains(driver).send_keys(Keys.ESCAPE).send_keys(Keys.ESCAPE).perform()
    wait(driver, lambda d: d.current_url == f"{helper.url}/exit-test.html", "Escape twice did not leave")
    driver.find_element(By.ID, "neutral").click()  # the checker (not the user) focuses the page to read
    assert clipboard(driver) == "", "the summary the page copied is cleared on Quick exit"


# --------------------------------------------------------------------------- zoom and small screens

SIZES = [
    pytest.param(320, 200, 4, id="400pc-zoom-of-1280x800"),
    pytest.param(320, 256, 1, id="320x256"),
    pytest.param(640, 400, 2, id="200pc-zoom-of-1280x800"),
    pytest.param(740, 360, 2, id="phone-held-sideways"),
    pytest.param(360, 740, 2, id="phone"),
]

PAGE_FITS = "return document.documentElement.scrollWidth <= document.documentElement.clientWidth"
IN_VIEW_ON_TOP = """
const r = arguments[0].getBoundingClientRect();
const hit = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
return r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth
       && (hit === arguments[0] || arguments[0].contains(hit));
"""


@pytest.mark.parametrize(("width", "height", "scale"), SIZES)
def test_the_conversation_stays_readable(driver, chat, axe_source, artifacts, width, height, scale):
    set_viewport(driver, width, height, scale)
    open_chat(driver, chat)
    assert driver.execute_script("return [innerWidth, innerHeight]") == [width, height]
    reply = ask(driver, "what are the warning signs", "three or more")
    name = f"{width}x{height}"
    seen = visible_log_height(driver)
    MEASURED["visible_log_height"][name] = round(seen)
    assert seen >= 0.6 * height, f"only {seen:.0f} px of {height} show the conversation"
    assert driver.execute_script(PAGE_FITS), "no scrolling sideways (WCAG 1.4.10)"
    # The answer's beginning is in view, under the header.
    heading = reply.find_element(By.CSS_SELECTOR, "h2")
    assert driver.execute_script(IN_VIEW_ON_TOP, heading), "the new answer is not shown"
    shot(driver, artifacts, f"40-reflow-{name}-answer")
    # Every line of it can be scrolled to and read, none under the header.
    for part in reply.find_elements(By.CSS_SELECTOR, "h2, p, li, .reply-button"):
        assert covered_by(driver, part) == "", f"{part.text[:40]!r} is covered by {covered_by(driver, part)}"
    # Quick exit is on screen wherever the reader is.
    exit_button = driver.find_element(By.ID, "quick-exit")
    for part in reply.find_elements(By.CSS_SELECTOR, "p, li"):
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", part)
        assert driver.execute_script(IN_VIEW_ON_TOP, exit_button), "Quick exit went out of view"
    # The message box is reached by keyboard and is not hidden when it has focus.
    driver.execute_script("document.getElementById('quick-exit').focus()")
    tab_until(driver, lambda e: e.get_attribute("id") == "message", "the message box")
    assert driver.execute_script(IN_VIEW_ON_TOP, active(driver)), "the focused message box is hidden"
    assert_no_axe_violations(driver, axe_source, f"at {name}", MEASURED["axe"])
    # The pre-screen's buttons can be reached and read as well.
    ask(driver, "I want to do a risk screening", "immediate danger")
    for button in bot_turns(driver)[-1].find_elements(By.CSS_SELECTOR, ".reply-button"):
        assert covered_by(driver, button, "end") == ""
    shot(driver, artifacts, f"41-reflow-{name}-pre-screen")


# --------------------------------------------------------------------------- notice, answers, order

def test_the_notice_is_short_dismissible_and_comes_back_from_the_header(driver, fake_chat, artifacts):
    set_viewport(driver, 360, 740, 2, mobile=True)
    open_chat(driver, fake_chat)
    notice = driver.find_element(By.ID, "notice")
    toggle = driver.find_element(By.ID, "notice-toggle")
    line = driver.execute_script("return parseFloat(getComputedStyle(document.querySelector('.notice-text')).lineHeight)")
    text_height = driver.find_element(By.CSS_SELECTOR, ".notice-text").size["height"]
    assert text_height <= 2 * line + 10, "the notice is at most two lines on a phone"
    top = driver.find_element(By.CSS_SELECTOR, ".topbar").size["height"] + notice.size["height"]
    MEASURED["phone_header_and_notice_px"] = top
    assert top <= 0.15 * 740, f"header and notice take {top} px of 740"
    assert "999" in notice.text
    assert toggle.get_attribute("aria-expanded") == "true" and toggle.get_attribute("aria-controls") == "notice"
    close = driver.find_element(By.ID, "notice-close")
    assert close.accessible_name == "Hide the safety notice"
    close.click()
    assert not notice.is_displayed() and toggle.get_attribute("aria-expanded") == "false"
    assert active(driver) == toggle, "focus goes to the header button that brings it back"
    shot(driver, artifacts, "50-notice-hidden")
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    assert notice.is_displayed() and toggle.get_attribute("aria-expanded") == "true"
    assert toggle.accessible_name == "Safety notice"


def test_a_clicked_answer_is_announced_and_keeps_focus(driver, fake_chat, helper):
    open_chat(driver, fake_chat)
    ask(driver, "hello", "Fake Rasa heard")
    button = bot_turns(driver)[-1].find_element(By.CSS_SELECTOR, ".reply-button")
    ActionChains(driver).move_to_element(button).click().perform()  # a mouse click
    wait_for_reply(driver, 1, "Fake Rasa heard: /more")
    assert active(driver) == button, "focus stays on the answer given"
    assert button.accessible_name == "Tell me more (your answer)"
    assert button.get_attribute("aria-disabled") == "true" and button.is_enabled(), "still focusable"
    sent = len(helper.received)
    button.click()  # a closed answer cannot be sent again
    ask(driver, "next", "Fake Rasa heard: next")
    assert [m for _, m in helper.received[sent:]] == ["next"]
    # The next answer given takes over: the earlier one leaves the Tab order.
    second = bot_turns(driver)[-1].find_element(By.CSS_SELECTOR, ".reply-button")
    second.click()
    wait_for_reply(driver, 3, "Fake Rasa heard: /more")
    assert not button.is_enabled() and active(driver) == second
    assert second.accessible_name == "Tell me more (your answer)"


def test_buttons_come_after_the_whole_reply(driver, fake_chat, artifacts):
    open_chat(driver, fake_chat)
    reply = ask(driver, "two messages please", "999")
    parts = driver.execute_script(
        "return [...arguments[0].querySelector('.turn-body').children].map(e => e.className)", reply)
    assert parts == ["turn-meta", "bubble", "bubble", "replies"], parts
    assert reply.find_elements(By.CSS_SELECTOR, ".bubble")[1].text == "If a child is in immediate danger, call 999."
    click_reply(driver, "A related topic", "Fake Rasa heard: /related")
