"""Driving the chat page in Chromium: the steps the web tests share (conftest.py starts things)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from tests.web.conftest import WAIT

BOT_TURNS = "#log > .turn-bot:not(#typing)"
USER_TURNS = "#log > .turn-user"
# axe-core's tags for every WCAG 2.0, 2.1 and 2.2 success criterion at level A and AA.
WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def wait(driver: Any, condition: Any, message: str, timeout: float = WAIT) -> Any:
    return WebDriverWait(driver, timeout, poll_frequency=0.1).until(condition, message)


def until(condition: Callable[[], Any], message: str, timeout: float = WAIT) -> Any:
    """Poll `condition` (outside the browser) until it is true, up to a deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(message)
        time.sleep(0.1)


def open_chat(driver: Any, url: str) -> None:
    driver.get(f"{url}/")
    wait(driver, lambda d: d.execute_script("return document.documentElement.classList.contains('ready')"),
         "the chat script did not start")


def bot_turns(driver: Any) -> list[Any]:
    return driver.find_elements(By.CSS_SELECTOR, BOT_TURNS)


def type_and_send(driver: Any, text: str) -> None:
    box = driver.find_element(By.ID, "message")
    box.send_keys(text)
    box.send_keys(Keys.ENTER)


def wait_for_reply(driver: Any, before: int, containing: str = "") -> Any:
    """Wait for a new bot turn (after `before` of them), optionally containing some text."""
    def arrived(d: Any) -> Any:
        turns = bot_turns(d)
        if len(turns) <= before or d.find_element(By.ID, "typing").is_displayed():
            return False
        return turns[-1] if containing in turns[-1].text else False
    return wait(driver, arrived, f"no reply containing {containing!r}")


def ask(driver: Any, text: str, containing: str = "") -> Any:
    before = len(bot_turns(driver))
    type_and_send(driver, text)
    return wait_for_reply(driver, before, containing)


def reply_buttons(driver: Any) -> list[Any]:
    return bot_turns(driver)[-1].find_elements(By.CSS_SELECTOR, "button.reply-button")


def click_reply(driver: Any, title: str, containing: str = "") -> Any:
    before = len(bot_turns(driver))
    buttons = reply_buttons(driver)
    matching = [b for b in buttons if b.text == title]
    assert matching, f"no button {title!r} among {[b.text for b in buttons]}"
    matching[0].click()
    return wait_for_reply(driver, before, containing)


def active(driver: Any) -> Any:
    return driver.switch_to.active_element


def tab_until(driver: Any, matches: Any, what: str, limit: int = 40, backwards: bool = False) -> Any:
    """Press Tab (or Shift+Tab) until the focused element matches; return it."""
    keys = ActionChains(driver)
    seen = []
    for _ in range(limit):
        if backwards:
            keys.key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
        else:
            keys.send_keys(Keys.TAB).perform()
        element = active(driver)
        if matches(element):
            return element
        seen.append(element.get_attribute("id") or element.get_attribute("class") or element.tag_name)
    raise AssertionError(f"Tab never reached {what}; focus went to {seen}")


def is_reply_button(title: str) -> Any:
    def matches(element: Any) -> bool:
        return "reply-button" in (element.get_attribute("class") or "") and element.text == title
    return matches


def keyboard_reply(driver: Any, title: str, containing: str = "") -> Any:
    """Choose a reply with the keyboard only: Tab to the button, press Enter, wait for the answer."""
    before = len(bot_turns(driver))
    button = tab_until(driver, is_reply_button(title), f"the {title!r} button")
    assert button.value_of_css_property("outline-style") != "none", "focus is visible"
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    return wait_for_reply(driver, before, containing)


def shot(driver: Any, artifacts: Path, name: str) -> None:
    driver.save_screenshot(str(artifacts / f"{name}.png"))


def no_alert(driver: Any) -> bool:
    try:
        driver.switch_to.alert.dismiss()
    except NoAlertPresentException:
        return True
    return False


def console_errors(driver: Any) -> list[str]:
    """Errors the page logged: script errors, Content-Security-Policy violations, failed loads."""
    return [e["message"] for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


def stored(driver: Any) -> dict[str, Any]:
    """Everything this origin keeps in the browser beyond the page's memory."""
    return driver.execute_script(
        "return {session: sessionStorage.length, local: localStorage.length, cookies: document.cookie,"
        " history: history.length, hash: location.hash}")


def set_viewport(driver: Any, width: int, height: int, scale: float = 1, mobile: bool = False) -> None:
    """The CSS viewport a zoomed or small screen gives: 400% zoom at 1280x800 is 320x200 at scale 4."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": scale, "mobile": mobile})


# The height of the conversation log that can be seen: inside the viewport and not under a
# header or footer that stays in place (sticky or fixed).
VISIBLE_LOG = """
const log = document.getElementById('log').getBoundingClientRect();
let top = Math.max(log.top, 0), bottom = Math.min(log.bottom, innerHeight);
for (const e of document.querySelectorAll('body *')) {
  const s = getComputedStyle(e);
  if ((s.position !== 'sticky' && s.position !== 'fixed') || !e.getClientRects().length || s.visibility !== 'visible') continue;
  const r = e.getBoundingClientRect();
  if (r.top <= top + 1 && r.bottom > top) top = r.bottom;
  if (r.bottom >= bottom - 1 && r.top < bottom) bottom = r.top;
}
return Math.max(0, bottom - top);
"""


def visible_log_height(driver: Any) -> float:
    return driver.execute_script(VISIBLE_LOG)


# Is the element's top-left corner, once scrolled into view, really on top (not under a
# sticky header)? Returns what covers it, or "".
UNCOVERED = """
const e = arguments[0];
e.scrollIntoView({block: arguments[1]});
const r = e.getBoundingClientRect();
const x = Math.min(r.left + 4, innerWidth - 1), y = Math.min(r.top + 4, innerHeight - 1);
if (r.bottom < 0 || r.top > innerHeight) return 'outside the viewport';
const hit = document.elementFromPoint(x, y);
return hit && (hit === e || e.contains(hit)) ? '' : (hit ? hit.tagName + '.' + hit.className : 'nothing');
"""


def covered_by(driver: Any, element: Any, block: str = "start") -> str:
    return driver.execute_script(UNCOVERED, element, block)


def run_axe(driver: Any, source: str, rules: list[str] | None = None) -> dict[str, Any]:
    """axe-core on the page as it is now: WCAG 2.0/2.1/2.2 A and AA rules (or the given rules)."""
    if not driver.execute_script("return Boolean(window.axe)"):
        driver.execute_script(source)  # a DevTools evaluation: the page's CSP does not apply
    run_only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": WCAG_A_AA}
    result = driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        axe.run(document, {runOnly: arguments[0], resultTypes: ['violations', 'incomplete']})
          .then(r => done({
            version: axe.version,
            violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
              nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || ''))})),
            incomplete: r.incomplete.map(v => v.id + ' (' + v.nodes.length + ')'),
            passes: r.passes.map(v => v.id)}))
          .catch(e => done({error: String(e)}));
    """, run_only)
    assert "error" not in result, result
    return result


def assert_no_axe_violations(driver: Any, source: str, where: str, report: list[dict[str, Any]] | None = None) -> None:
    result = run_axe(driver, source)
    if report is not None:
        report.append({"where": where, "violations": len(result["violations"]), "passes": len(result["passes"]),
                       "incomplete": result["incomplete"]})
    assert result["passes"], f"axe checked nothing {where}"
    assert not result["violations"], f"axe-core {result['version']} found WCAG A/AA violations {where}: " \
                                     f"{result['violations']}"
