"""The web chat page in real headless Chromium, against the real Rasa server (issue: web chat).

Screenshots land in artifacts/web/ for a person to look at.
"""

from __future__ import annotations

import html
import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import requests
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from cse_core import knowledge
from tests.assistant import free_port
from tests.web.browser import (
    USER_TURNS,
    active,
    ask,
    bot_turns,
    click_reply,
    console_errors,
    no_alert,
    open_chat,
    shot,
    stored,
    type_and_send,
    until,
    wait,
    wait_for_reply,
)
from tests.web.conftest import MAP_NAME, REAL_MAPS, ROOT, UNOFFERED_SENDER

# --------------------------------------------------------------------------- real Rasa

def test_a_typed_question_is_answered(driver, chat, artifacts):
    open_chat(driver, chat)
    shot(driver, artifacts, "01-welcome")
    reply = ask(driver, "what is the MEG", "Missing and Exploited Group")
    user = driver.find_elements(By.CSS_SELECTOR, USER_TURNS)[-1]
    assert user.text.endswith("what is the MEG")
    user_bubble = user.find_element(By.CSS_SELECTOR, ".bubble").rect
    bot_bubble = reply.find_element(By.CSS_SELECTOR, ".bubble").rect
    assert user_bubble["x"] > bot_bubble["x"] + 100, "user on the right, assistant on the left"
    # Newlines become separate lines; the section named at the end is set apart.
    assert len(reply.find_elements(By.CSS_SELECTOR, ".bubble p")) >= 3
    assert reply.find_element(By.CSS_SELECTOR, ".bubble-source").text.startswith("Source:")
    # Each turn starts with its heading (screen-reader users move by headings).
    assert [h.text.split()[0] for h in driver.find_elements(By.CSS_SELECTOR, "#log > .turn h2.turn-meta")] == \
        ["You", "Assistant"]
    # Nothing kept beyond the page's memory (issue 14).
    kept = stored(driver)
    assert (kept["session"], kept["local"], kept["cookies"]) == (0, 0, ""), kept
    assert not console_errors(driver)
    shot(driver, artifacts, "02-answer")


def test_a_related_topic_button_is_clicked(driver, chat, artifacts):
    open_chat(driver, chat)
    reply = ask(driver, "what are the warning signs", "three or more")
    items = reply.find_elements(By.CSS_SELECTOR, ".bubble ul li")
    assert len(items) >= 4, "the '- ' lines are a real list"
    assert not any(li.text.startswith("- ") for li in items)
    buttons = reply.find_elements(By.CSS_SELECTOR, "button.reply-button")
    assert buttons and all(b.tag_name == "button" for b in buttons)
    title = "The 14 risk indicators"
    answer = click_reply(driver, title, "Engagement with services")
    assert driver.find_elements(By.CSS_SELECTOR, USER_TURNS)[-1].text.endswith(title), "the title is shown, not the payload"
    assert "/ask_" not in driver.find_element(By.ID, "log").text
    closed = reply.find_elements(By.CSS_SELECTOR, "button.reply-button")
    assert all(not b.is_enabled() or b.get_attribute("aria-disabled") == "true" for b in closed), \
        "answered buttons are closed"
    chosen = [b for b in closed if "chosen" in b.get_attribute("class")]
    assert len(chosen) == 1 and chosen[0].accessible_name == f"{title} (your answer)", "the answer given is named"
    assert active(driver) == chosen[0], "focus stays on the answer given, not lost to the page"
    assert "section 2.1" in answer.text
    shot(driver, artifacts, "03-button-clicked")


def test_a_screening_shows_its_progress(driver, chat, artifacts):
    open_chat(driver, chat)
    ask(driver, "I want to do a risk screening", "immediate danger")
    assert not driver.find_element(By.ID, "progress").is_displayed()
    click_reply(driver, "No", "practitioner or as a parent")
    click_reply(driver, "Practitioner", "How old")
    ask(driver, "14", "learning disability")
    click_reply(driver, "No", "known to services")
    click_reply(driver, "A new case (not open to Early Help or Social Care)", "Indicator 1 of 14")
    bar = driver.find_element(By.CSS_SELECTOR, "[role=progressbar]")
    assert driver.find_element(By.ID, "progress").is_displayed()
    assert (bar.get_attribute("aria-valuenow"), bar.get_attribute("aria-valuemax")) == ("1", "14")
    assert "indicator 1 of 14" in driver.find_element(By.ID, "progress-label").text
    shot(driver, artifacts, "04-screening-indicator-1")
    click_reply(driver, "Medium", "Indicator 2 of 14")
    assert bar.get_attribute("aria-valuenow") == "2"
    track = driver.find_element(By.ID, "progressbar").size["width"]
    wait(driver, lambda d: abs(d.find_element(By.ID, "progress-fill").size["width"] - track * 2 / 14) < 2,
         "the bar is not filled to 2/14", timeout=5)  # it grows with a short transition
    assert not console_errors(driver)
    shot(driver, artifacts, "05-screening-indicator-2")


def test_typed_html_is_shown_as_text(driver, chat, artifacts):
    open_chat(driver, chat)
    attack = "<script>alert(1)</script>"
    ask(driver, attack)
    assert no_alert(driver)
    bubble = driver.find_elements(By.CSS_SELECTOR, f"{USER_TURNS} .bubble")[-1]
    assert bubble.text == attack
    assert driver.execute_script("return document.querySelectorAll('#log script').length") == 0
    shot(driver, artifacts, "06-script-as-text")


def test_keyboard_only(driver, chat, artifacts):
    open_chat(driver, chat)
    keys = ActionChains(driver)
    reached = []
    for _ in range(12):
        keys.send_keys(Keys.TAB).perform()
        focused = driver.switch_to.active_element
        reached.append(focused.get_attribute("id") or focused.get_attribute("class"))
        if focused.get_attribute("id") == "message":
            break
    assert reached[-1] == "message", f"Tab never reached the message box: {reached}"
    assert reached[:2] == ["skip-link", "quick-exit"], f"Quick exit comes first after the skip link: {reached}"
    box = driver.switch_to.active_element
    assert box.value_of_css_property("outline-style") != "none", "focus is visible"
    label = driver.find_element(By.CSS_SELECTOR, "label[for=message]")
    assert label.get_attribute("textContent").strip() == "Type your message"
    shot(driver, artifacts, "07-keyboard-focus")
    before = len(bot_turns(driver))
    keys.send_keys("who chairs the MEG").send_keys(Keys.ENTER).perform()
    wait_for_reply(driver, before, "Durham Constabulary")
    assert driver.switch_to.active_element.get_attribute("id") == "message", "focus stays in the box"
    # Back to the reply buttons with Shift+Tab, and choose one with Enter.
    for _ in range(6):
        keys.key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
        if "reply-button" in (driver.switch_to.active_element.get_attribute("class") or ""):
            break
    chosen = driver.switch_to.active_element
    assert "reply-button" in chosen.get_attribute("class")
    assert chosen.value_of_css_property("outline-style") != "none", "focus is visible"
    shot(driver, artifacts, "08-keyboard-on-a-button")
    title = chosen.text
    before = len(bot_turns(driver))
    keys.send_keys(Keys.ENTER).perform()
    wait_for_reply(driver, before)
    assert driver.find_elements(By.CSS_SELECTOR, USER_TURNS)[-1].text.endswith(title)
    # Focus stays on the answer given, which says it was chosen; Tab goes on into the reply.
    assert active(driver) == chosen and chosen.accessible_name == f"{title} (your answer)"
    assert chosen.get_attribute("aria-disabled") == "true"
    keys.send_keys(Keys.TAB).perform()
    assert bot_turns(driver)[-1].find_elements(By.CSS_SELECTOR, "a, button")[0] == active(driver)
    shot(driver, artifacts, "08-keyboard-reply-answered")


def test_layout_at_360_px(driver, chat, artifacts):
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 360, "height": 740, "deviceScaleFactor": 2, "mobile": True})
    open_chat(driver, chat)
    assert driver.execute_script("return window.innerWidth") == 360
    shot(driver, artifacts, "09-phone-welcome")
    ask(driver, "what are the warning signs", "three or more")
    ask(driver, "https://www.example.org/a-very-long-address-without-any-spaces-in-it-at-all-0123456789abcdef")
    layout = driver.execute_script("""
        const bad = [...document.querySelectorAll('.app *')].filter(e => {
          const r = e.getBoundingClientRect(); return r.width && (r.right > innerWidth + 0.5 || r.left < -0.5);
        }).filter(e => !e.closest('.visually-hidden') && !e.classList.contains('skip-link'));
        const exit = document.getElementById('quick-exit').getBoundingClientRect();
        const box = document.getElementById('message').getBoundingClientRect();
        return {page: document.documentElement.scrollWidth, body: document.body.scrollWidth,
                log: [document.getElementById('log').scrollWidth, document.getElementById('log').clientWidth],
                outside: bad.map(e => e.tagName + '.' + e.className),
                exit: [exit.left, exit.right, exit.top, exit.bottom], box: [box.left, box.right, box.bottom],
                height: innerHeight};
    """)
    assert layout["page"] <= 360 and layout["body"] <= 360, layout
    assert layout["log"][0] <= layout["log"][1], layout
    assert not layout["outside"], layout
    assert layout["exit"][0] >= 0 and layout["exit"][1] <= 360 and layout["exit"][2] >= 0, "Quick exit in view"
    assert layout["box"][0] >= 0 and layout["box"][1] <= 360 and layout["box"][2] <= layout["height"]
    shot(driver, artifacts, "10-phone-answer")
    ask(driver, "I want to do a risk screening", "immediate danger")
    shot(driver, artifacts, "11-phone-screening")


CONTRAST = """
const lum = (c) => { const [r, g, b] = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                     return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
const rgba = (s) => (s.match(/[\\d.]+/g) || []).map(Number);
const background = (e) => { for (; e; e = e.parentElement) { const c = rgba(getComputedStyle(e).backgroundColor);
                            if (c.length === 3 || c[3] > 0) return c.slice(0, 3); } return [255, 255, 255]; };
const failures = [];
for (const e of document.querySelectorAll('body *')) {
  if (![...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
  if (!e.getClientRects().length || e.closest('.visually-hidden, [hidden], :disabled')) continue;
  const style = getComputedStyle(e);
  if (style.visibility !== 'visible') continue;
  const fg = lum(rgba(style.color).slice(0, 3)), bg = lum(background(e));
  const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
  const size = parseFloat(style.fontSize), large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
  if (ratio < (large ? 3 : 4.5)) failures.push(`${e.tagName}.${e.className}: ${ratio.toFixed(2)}`);
}
return failures;
"""


def test_text_contrast_meets_wcag_aa(driver, chat, artifacts):
    open_chat(driver, chat)
    assert driver.execute_script(CONTRAST) == []
    ask(driver, "I want to do a risk screening", "immediate danger")
    click_reply(driver, "No", "practitioner or as a parent")
    driver.execute_script("document.getElementById('error').hidden = false;"
                          "document.getElementById('error').textContent = 'error line';"
                          "document.getElementById('progress').hidden = false;")
    assert driver.execute_script(CONTRAST) == []


# --------------------------------------------------------------------------- fake Rasa endpoint

def test_a_picture_is_shown_inline(driver, fake_chat, helper, artifacts):
    open_chat(driver, fake_chat)
    first = len(helper.senders)
    reply = ask(driver, "show me the map", "process map")
    img = wait(driver, lambda d: reply.find_element(By.CSS_SELECTOR, "img"), "no <img> in the reply")
    wait(driver, lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth", img),
         "the picture did not load")
    assert img.get_attribute("naturalWidth") == "480"
    assert img.get_attribute("alt") == "Picture: Early help process map", "a picture the page does not know: its name"
    assert img.get_attribute("src").endswith(f"/maps/{MAP_NAME}")
    assert not console_errors(driver)
    shot(driver, artifacts, "12-picture")
    # Full size in the page itself (a new tab would be a trail Quick exit cannot clear).
    assert not reply.find_elements(By.CSS_SELECTOR, "a[target]")
    size = reply.find_element(By.CSS_SELECTOR, "button.picture-size")
    assert size.get_attribute("aria-pressed") == "false"
    size.click()
    frame = reply.find_element(By.CSS_SELECTOR, ".picture-frame")
    assert size.get_attribute("aria-pressed") == "true" and img.size["width"] == 480
    assert frame.get_attribute("tabindex") == "0", "a region that scrolls can be reached by keyboard"
    size.click()
    assert size.get_attribute("aria-pressed") == "false" and frame.get_attribute("tabindex") is None
    # One sender for the page's conversation, and the same in X-Conversation-Id for a load balancer.
    ask(driver, "hello", "Fake Rasa heard")
    senders = helper.senders[first:]
    assert len(senders) == 2 and len(set(senders)) == 1 and senders[0].startswith("web-")
    assert helper.conversation_ids[-1] == helper.senders[-1]


def test_bot_html_is_shown_as_text_and_typing_shows(driver, fake_chat, artifacts):
    open_chat(driver, fake_chat)
    reply = ask(driver, "html please")
    assert no_alert(driver)
    assert reply.find_element(By.CSS_SELECTOR, ".bubble").text == '<b>bold</b> <img src=x onerror="alert(2)">'
    assert not reply.find_elements(By.CSS_SELECTOR, ".bubble b, .bubble img")
    before = len(bot_turns(driver))
    type_and_send(driver, "slow please")
    wait(driver, lambda d: d.find_element(By.ID, "typing").is_displayed(), "no typing indicator", timeout=2)
    shot(driver, artifacts, "13-typing")
    wait_for_reply(driver, before, "waiting")
    assert not driver.find_element(By.ID, "typing").is_displayed()


def test_escape_twice_is_a_quick_exit(driver, fake_chat, helper):
    open_chat(driver, fake_chat)
    ask(driver, "hello", "Fake Rasa heard")
    keys = ActionChains(driver)
    keys.send_keys(Keys.ESCAPE).perform()
    assert driver.find_element(By.ID, "exit-hint").text == "Press Escape again to leave this site."
    keys.send_keys(Keys.ESCAPE).perform()
    wait(driver, lambda d: d.current_url == f"{helper.url}/exit-test.html", "Escape twice did not leave")


def test_rasa_unreachable_keeps_the_text(driver, web_server, artifacts):
    dead = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    open_chat(driver, web_server(dead))
    type_and_send(driver, "is anyone there?")
    error = wait(driver, lambda d: d.find_element(By.ID, "error").is_displayed() and d.find_element(By.ID, "error"),
                 "no error line")
    assert error.text == "The assistant is not available right now. If a child is in immediate danger, call 999."
    assert error.get_attribute("role") == "alert"
    assert driver.find_element(By.ID, "message").get_attribute("value") == "is anyone there?"
    assert not driver.find_elements(By.CSS_SELECTOR, USER_TURNS), "the unsent message is not shown as sent"
    shot(driver, artifacts, "14-unreachable")


def test_a_server_error_is_reported_too(driver, fake_chat):
    open_chat(driver, fake_chat)
    type_and_send(driver, "break please")
    wait(driver, lambda d: d.find_element(By.ID, "error").is_displayed(), "no error line")
    assert driver.find_element(By.ID, "message").get_attribute("value") == "break please"
    reply = ask(driver, "hello again", "Fake Rasa heard")  # and the next message clears it
    assert reply and not driver.find_element(By.ID, "error").is_displayed()


# --------------------------------------------------------------------------- clients/web/server.py itself

def test_the_server_sets_the_rasa_url_and_security_headers(web_server, maps_dir):
    rasa = "http://127.0.0.1:5999"
    base = web_server(rasa)
    page = requests.get(f"{base}/", timeout=10)
    assert page.status_code == 200
    assert f'<meta name="rasa-url" content="{rasa}">' in page.text
    assert '<meta name="exit-url" content="https://www.bbc.co.uk/weather">' in page.text
    csp = page.headers["Content-Security-Policy"]
    assert f"connect-src 'self' {rasa}" in csp and "script-src 'self'" in csp and "default-src 'none'" in csp
    assert "unsafe-inline" not in csp
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert page.headers["Cache-Control"] == "no-store"
    js = requests.get(f"{base}/chat.js", timeout=10)
    assert js.status_code == 200 and js.headers["Content-Type"].startswith("text/javascript")
    assert js.headers["X-Content-Type-Options"] == "nosniff"
    picture = requests.get(f"{base}/maps/{MAP_NAME}", timeout=10)
    assert picture.status_code == 200 and picture.headers["Content-Type"] == "image/png"
    assert picture.content == (maps_dir / MAP_NAME).read_bytes()
    for path in ("/maps/../conftest.py", "/maps/%2e%2e/%2e%2e/etc/passwd", "/../server.py", "/maps/missing.png",
                 "/maps/", "/.gitignore"):
        r = requests.get(f"{base}{path}", timeout=10)
        assert r.status_code == 404, path
        assert r.headers["X-Content-Type-Options"] == "nosniff", path


def listening_addresses(port: int) -> set[str]:
    """Local addresses listening on `port`, read from /proc/net/tcp (IPv4) and tcp6."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


def test_without_a_rasa_url_the_page_uses_its_own_host_on_port_5005(web_server):
    page = requests.get(f"{web_server('')}/", timeout=10)
    assert '<meta name="rasa-url" content="http://127.0.0.1:5005">' in page.text
    assert "connect-src 'self' http://127.0.0.1:5005;" in page.headers["Content-Security-Policy"]
    forged = requests.get(f"{web_server('')}/", headers={"Host": "x; script-src *"}, timeout=10)
    assert "script-src *" not in forged.headers["Content-Security-Policy"]
    assert "script-src" not in forged.text.split('name="rasa-url"')[1].split(">")[0]


def test_the_server_binds_loopback_only(web_server):
    base = web_server("http://127.0.0.1:5998")
    port = int(base.rsplit(":", 1)[1])
    assert listening_addresses(port) == {"0100007F"}, "clients/web/server.py listens on 127.0.0.1 only"


def test_the_server_refuses_a_bad_exit_url():
    r = subprocess.run([sys.executable, "-m", "clients.web.server", "--port", str(free_port()), "--exit-url", "javascript:alert(1)"],
                       capture_output=True, text=True, timeout=60, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert r.returncode == 2 and "not an absolute http(s) URL" in r.stderr


def test_the_page_takes_the_summary_line_and_map_titles_from_knowledge(web_server):
    k = knowledge.get()
    page = requests.get(f"{web_server('http://127.0.0.1:5997', maps=REAL_MAPS)}/", timeout=10).text

    def meta(name: str) -> str:
        return html.unescape(re.search(rf'<meta name="{name}" content="([^"]*)">', page).group(1))

    assert meta("summary-header") == k.message("screening.summary_header")
    titles = json.loads(meta("map-titles"))
    mapped = [p for p in k.pathways.values() if p.process_map is not None]
    assert mapped and sorted(titles) == sorted(f"map-{p.process_map}.png" for p in mapped)
    for p in mapped:  # the title drawn on the picture (cse_core/process_maps.py)
        assert titles[f"map-{p.process_map}.png"] == f"Process map {p.process_map}: {p.label}"
    # Only the maps this server has: none in a folder without them.
    assert '<meta name="map-titles" content="{}">' in requests.get(f"{web_server('http://127.0.0.1:5997')}/",
                                                                   timeout=10).text


def test_end_deletes_the_conversation_through_the_rest_channel(web_server, helper):
    base = web_server(f"{helper.url}/fake")
    sender = "web-" + secrets.token_hex(16)

    def said(who: str) -> list[str]:
        return [m for s, m in helper.received if s == who]

    r = requests.post(f"{base}/end", data=sender, timeout=10)
    assert r.status_code == 202 and r.headers["Cache-Control"] == "no-store"
    until(lambda: said(sender) == ["/forget_conversation", "/affirm"], f"not forgotten: {said(sender)}")
    # Confirmed only when the assistant asked (a model that answers otherwise gets no stray "/affirm").
    assert requests.post(f"{base}/end", data=UNOFFERED_SENDER, timeout=10).status_code == 202
    until(lambda: "did not offer to delete" in web_server.log(base), "no log line for a refused forget")
    assert said(UNOFFERED_SENDER) == ["/forget_conversation"]
    assert UNOFFERED_SENDER not in web_server.log(base), "sender ids are not logged"
    # Only a page's sender id: nothing else reaches Rasa.
    before = len(helper.received)
    for body in ("", "nonsense", "web-XYZ", sender.upper(), f"{sender}0", "teams-" + "0" * 32, "x" * 5000):
        assert requests.post(f"{base}/end", data=body, timeout=10).status_code in (400, 413), body
    assert requests.get(f"{base}/end", timeout=10).status_code == 404
    assert len(helper.received) == before
