"""Quick exit leaves no trail (issue 17 item 2, issue 14 item 4), in real headless Chromium.

No history entry made by the page, nothing kept in the browser, the conversation ended on
the server, and Back after the exit does not return to the chat.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.web.browser import (
    active,
    ask,
    bot_turns,
    click_reply,
    open_chat,
    shot,
    stored,
    until,
    wait,
)


def said_by(helper: Any, sender: str) -> list[str]:
    return [message for who, message in helper.received if who == sender]


def test_quick_exit_leaves_no_trail(driver, fake_chat, helper, artifacts):
    start_page = f"{helper.url}/start.html"
    exit_page = f"{helper.url}/exit-test.html"
    driver.get(start_page)
    open_chat(driver, fake_chat)
    before = stored(driver)
    first = len(helper.received)

    # The skip link moves focus without adding "#message" to the history, by keyboard...
    keys = ActionChains(driver)
    keys.send_keys(Keys.TAB).perform()
    assert active(driver).get_attribute("id") == "skip-link"
    keys.send_keys(Keys.ENTER).perform()
    assert active(driver).get_attribute("id") == "message"
    # ...and by pointer (it is off screen until focused: a script click, as a tap would be).
    driver.execute_script("document.getElementById('skip-link').click()")
    assert active(driver).get_attribute("id") == "message"

    # A conversation using everything on the page that could navigate.
    ask(driver, "hello", "Fake Rasa heard")
    click_reply(driver, "Tell me more", "Fake Rasa heard: /more")
    driver.find_element(By.ID, "notice-close").click()
    driver.find_element(By.ID, "notice-toggle").click()
    reply = ask(driver, "show me the map", "process map")
    reply.find_element(By.CSS_SELECTOR, "button.picture-size").click()
    during = stored(driver)
    assert during["history"] == before["history"] and during["hash"] == "", (before, during)
    assert (during["session"], during["local"], during["cookies"]) == (0, 0, ""), during
    senders = {who for who, _ in helper.received[first:]}
    assert len(senders) == 1, "one conversation"
    sender = senders.pop()

    driver.find_element(By.ID, "quick-exit").click()
    wait(driver, lambda d: d.current_url == exit_page, "Quick exit did not leave")
    shot(driver, artifacts, "20-quick-exit-neutral-page")
    driver.back()
    wait(driver, lambda d: d.current_url == start_page, "Back did not go to the page before the chat")
    assert driver.find_element(By.ID, "start").is_displayed()
    assert not driver.find_elements(By.ID, "log") and "Fake Rasa" not in driver.page_source
    driver.forward()
    wait(driver, lambda d: d.current_url == exit_page, "Forward did not go to the neutral page")
    # The page server ended the conversation through the REST channel: asked, then confirmed.
    until(lambda: said_by(helper, sender)[-2:] == ["/forget_conversation", "/affirm"],
          f"the conversation was not ended on the server: {said_by(helper, sender)}")


def test_a_reload_starts_afresh_and_keeps_nothing(driver, fake_chat, helper):
    open_chat(driver, fake_chat)
    ask(driver, "hello", "Fake Rasa heard")
    first = helper.senders[-1]
    driver.refresh()
    wait(driver, lambda d: d.execute_script("return document.documentElement.classList.contains('ready')"),
         "the page did not load again")
    assert not bot_turns(driver), "the conversation is not kept across a reload"
    kept = stored(driver)
    assert (kept["session"], kept["local"], kept["cookies"]) == (0, 0, ""), kept
    ask(driver, "hello again", "Fake Rasa heard")
    assert helper.senders[-1] != first and helper.senders[-1].startswith("web-"), "a new conversation"


def conversations(db: Path) -> dict[str, int]:
    """Events per conversation in the real Rasa's tracker store (SQLite, read-only)."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return dict(conn.execute("SELECT sender_id, COUNT(*) FROM events GROUP BY sender_id").fetchall())


def test_quick_exit_deletes_the_conversation_on_the_real_server(driver, chat, server, artifacts):
    db = server["db"]
    before = conversations(db)
    open_chat(driver, chat)
    ask(driver, "I want to do a risk screening", "immediate danger")
    click_reply(driver, "No", "practitioner or as a parent")  # inside the pre-screen form
    # The store's key for this page's conversation, however the server names it.
    new = until(lambda: set(conversations(db)) - set(before), "the conversation was not stored")
    assert len(new) == 1
    key = new.pop()
    assert conversations(db)[key] > 0
    driver.find_element(By.ID, "quick-exit").click()
    wait(driver, lambda d: "exit-test.html" in d.current_url, "Quick exit did not leave")
    until(lambda: key not in conversations(db), "the conversation is still stored after Quick exit")
