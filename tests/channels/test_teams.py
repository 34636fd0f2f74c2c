"""The Teams channel (bot/channels/teams.py) end to end: the real Rasa server and action
server, a fake Entra ID token endpoint / Bot Framework OpenID metadata, and a fake Bot
Framework service URL, all on 127.0.0.1.

Rasa is started here (not by tests/conftest.py's `server`, which serves the repo's
credentials.yml) with the same pattern: the trained model on free ports, a throw-away SQLite
database, and a credentials file in a temp folder naming the fake Microsoft endpoints.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import requests

from bot.channels import teams
from tests.assistant import MODEL, running_assistant
from tests.channels.fake_botframework import (
    APP_ID,
    APP_PASSWORD,
    TENANT_ID,
    FakeConnector,
    FakeLogin,
    FakeServers,
    Recorded,
    activity,
    new_rsa_key,
    start_connector,
    start_login,
)

HTTP_TIMEOUT = 30
REPLY_TIMEOUT = 60
HERO = "application/vnd.microsoft.card.hero"


# ------------------------------------------------------------- Rasa with the channel


@dataclass
class TeamsServer:
    url: str
    login: FakeLogin
    connector: FakeConnector
    logs: dict[str, Path]

    @property
    def webhook(self) -> str:
        return f"{self.url}/webhooks/teams/webhook"


def credentials_yaml(login: FakeLogin) -> str:
    # app_id unquoted (Rasa fills in ${...}), app_password quoted (the channel must).
    return (
        "bot.channels.teams.TeamsInput:\n"
        "  app_id: ${TEAMS_TEST_APP_ID}\n"
        '  app_password: "${TEAMS_TEST_APP_PASSWORD}"\n'
        f"  tenant_id: {TENANT_ID}\n"
        f'  token_url: "{login.token_url()}"\n'
        f'  openid_metadata_url: "{login.openid_metadata_url}"\n'
    )


@pytest.fixture(scope="module")
def fake_servers() -> Iterator[FakeServers]:
    servers = FakeServers()
    yield servers
    servers.close()


@pytest.fixture(scope="module")
def teams_server(tmp_path_factory: pytest.TempPathFactory, fake_servers: FakeServers) -> Iterator[TeamsServer]:
    if not MODEL.exists():
        pytest.fail("no trained model: run `make train` (make test does)")
    login, connector = start_login(fake_servers), start_connector(fake_servers)
    work = tmp_path_factory.mktemp("teams")
    credentials = work / "credentials.yml"
    credentials.write_text(credentials_yaml(login), encoding="utf-8")
    env = {"TEAMS_TEST_APP_ID": APP_ID, "TEAMS_TEST_APP_PASSWORD": APP_PASSWORD}
    with running_assistant(work, env=env, credentials=credentials, ready_path="/webhooks/teams/") as running:
        yield TeamsServer(running["url"], login, connector, running["logs"])

def post(server: TeamsServer, act: dict[str, Any], token: str | None = "valid") -> requests.Response:
    """POST an activity to the Teams webhook, signed like the connector signs it unless told otherwise."""
    if token == "valid":
        token = server.login.sign(audience=APP_ID, service_url=act["serviceUrl"])
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.post(server.webhook, json=act, headers=headers, timeout=HTTP_TIMEOUT)


def say(server: TeamsServer, text: str, **kwargs: Any) -> dict[str, Any]:
    act = activity(server.connector.base_url, text, **kwargs)
    r = post(server, act)
    assert r.status_code == 202, r.text
    return act


def reply_text(replies: list[Recorded]) -> str:
    """All the text the bot sent: message text and hero card text."""
    parts = []
    for r in replies:
        parts.append(r.body.get("text") or "")
        parts += [a["content"].get("text", "") for a in r.body.get("attachments") or [] if a["contentType"] == HERO]
    return "\n".join(parts)


def replies_until(server: TeamsServer, act: dict[str, Any], expected: str) -> list[Recorded]:
    """Wait until the bot has replied in this conversation and its replies contain `expected`."""
    conversation = act["conversation"]["id"]
    deadline = time.monotonic() + REPLY_TIMEOUT
    while time.monotonic() < deadline:
        replies = server.connector.sent_to(conversation)
        if replies and expected in reply_text(replies):
            return replies
        time.sleep(0.2)
    raise AssertionError(f"no reply containing {expected!r}; got {reply_text(server.connector.sent_to(conversation))!r}"
                         f"\n{log_tails(server)}")


def answered_after(server: TeamsServer, **kwargs: Any) -> None:
    """A barrier instead of a fixed sleep: one more message, waited for until it is answered.

    What was posted before it has been worked on by then: a reply it caused would have come."""
    act = say(server, "what is the MEG", **kwargs)
    deadline = time.monotonic() + REPLY_TIMEOUT
    while not [r for r in server.connector.sent_to(act["conversation"]["id"])
               if r.match.get("activity") == act["id"]]:
        assert time.monotonic() < deadline, f"no reply to the barrier message\n{log_tails(server)}"
        time.sleep(0.1)


def log_tails(server: TeamsServer, lines: int = 15) -> str:
    """The end of the servers' logs, to say why a reply never came (they hold no user text)."""
    return "\n".join(f"--- {name}.log\n" + "\n".join(path.read_text(encoding="utf-8").splitlines()[-lines:])
                     for name, path in server.logs.items())


# ------------------------------------------------------------------- end to end (Rasa)


def test_an_answer_is_replied_to_the_activity_with_the_token(teams_server):
    act = say(teams_server, "what is the MEG")
    replies = replies_until(teams_server, act, "Missing and Exploited Group")
    for r in replies:
        assert r.headers["Authorization"] == f"Bearer {teams_server.login.access_token}"
        assert r.match == {"conversation": act["conversation"]["id"], "activity": act["id"]}
        assert r.body["type"] == "message"
        assert r.body["replyToId"] == act["id"]
        assert r.body["recipient"]["id"] == act["from"]["id"]
        assert r.body["from"]["id"] == act["recipient"]["id"]
    assert "not monitored" in reply_text(replies)  # the disclaimer, as a text message


def test_the_token_came_from_the_tenant_with_the_client_credentials(teams_server):
    replies_until(teams_server, say(teams_server, "what is MESA"), "MESA")
    request = teams_server.login.token_requests.items[0]
    assert request.path == f"/{TENANT_ID}/oauth2/v2.0/token"
    assert request.body == {"grant_type": "client_credentials", "client_id": APP_ID, "client_secret": APP_PASSWORD,
                            "scope": "https://api.botframework.com/.default"}


def test_buttons_become_a_hero_card_with_imback_actions(teams_server):
    act = say(teams_server, "I want to do a risk screening")
    replies = replies_until(teams_server, act, "immediate danger")
    cards = [a for r in replies for a in r.body.get("attachments") or [] if a["contentType"] == HERO]
    assert cards, [r.body for r in replies]
    card = cards[-1]["content"]
    assert "immediate danger" in card["text"]
    assert [(b["type"], b["title"], b["value"]) for b in card["buttons"]] == [
        ("imBack", "Yes", "Yes"), ("imBack", "No", "No"), ("imBack", "Not sure", "Not sure")]


def test_a_button_with_an_intent_payload_is_a_messageback_showing_its_title(teams_server):
    replies = replies_until(teams_server, say(teams_server, "what is the MEG"), "Missing and Exploited Group")
    buttons = [b for r in replies for a in r.body.get("attachments") or [] for b in a["content"].get("buttons", [])]
    assert {"type": "messageBack", "title": "The MESA subgroup", "displayText": "The MESA subgroup",
            "text": '/ask_mesa{"topic":"mesa"}'} in buttons
    # Pressing it: Teams sends the messageBack's text as the activity's text.
    pressed = say(teams_server, '/ask_mesa{"topic":"mesa"}')
    assert "MESA" in reply_text(replies_until(teams_server, pressed, "MESA"))


def test_the_token_is_cached_across_messages(teams_server):
    for question, fact in (("what is the MEG", "Missing and Exploited Group"), ("what is sexting", "nude")):
        replies_until(teams_server, say(teams_server, question), fact)
    assert len(teams_server.login.token_requests.items) == 1


def test_a_team_channel_message_is_answered_without_the_bot_mention(teams_server):
    conversation = f"19:{uuid.uuid4().hex}@thread.tacv2;messageid=1712345678901"
    mention = "<at>CSE Guide</at>"
    act = say(teams_server, f"{mention} what is the MEG", conversation_id=conversation,
              entities=[{"type": "mention", "text": mention, "mentioned": {"id": "28:test-bot", "name": "CSE Guide"}}])
    replies = replies_until(teams_server, act, "Missing and Exploited Group")
    # Encoded as Microsoft's SDKs encode it, so the connector reads the id back intact.
    assert {r.path for r in replies} == {
        f"/v3/conversations/{quote(conversation, safe='')}/activities/{act['id']}"}


def test_the_same_user_keeps_one_conversation(teams_server):
    user = f"29:{uuid.uuid4().hex}"
    first = say(teams_server, "what is the MEG", user_id=user)
    replies_until(teams_server, first, "not monitored")
    second = say(teams_server, "and what is MESA", user_id=user)
    replies = replies_until(teams_server, second, "MESA")
    assert "not monitored" not in reply_text(replies)  # the disclaimer came once, for this sender


def test_a_redelivered_activity_is_answered_once(teams_server):
    act = activity(teams_server.connector.base_url, "what is sexting")
    assert post(teams_server, act).status_code == 202
    again = post(teams_server, act)
    assert (again.status_code, again.text) == (200, "duplicate")
    replies_until(teams_server, act, "nude")


def bad_requests(server: TeamsServer) -> dict[str, tuple[dict[str, Any], str | None]]:
    """Activities with a missing or bad JWT, each in its own conversation."""
    url, login = server.connector.base_url, server.login

    def act() -> dict[str, Any]:
        return activity(url, "what is the MEG")

    other_key = new_rsa_key()
    cases = {
        "missing": None,
        "not a JWT": "not-a-jwt",
        "signed by another key": login.sign(audience=APP_ID, service_url=url, key=other_key),
        "unknown key id": login.sign(audience=APP_ID, service_url=url, key=other_key, kid="attacker"),
        "another bot's audience": login.sign(audience=str(uuid.uuid4()), service_url=url),
        "wrong issuer": login.sign(audience=APP_ID, service_url=url, issuer="https://evil.example"),
        "expired": login.sign(audience=APP_ID, service_url=url, lifetime=-3600),
        "for another service URL": login.sign(audience=APP_ID, service_url="http://127.0.0.1:9/"),
    }
    return {name: (act(), token) for name, token in cases.items()}


def test_a_bad_or_missing_jwt_is_401_and_nothing_is_sent(teams_server):
    sent_before = len(teams_server.connector.activities.items)
    requests_ = bad_requests(teams_server)
    for name, (act, token) in requests_.items():
        assert post(teams_server, act, token=token).status_code == 401, name
    answered_after(teams_server)  # a reply to any of them would have come before this one
    assert not [r for r in teams_server.connector.activities.items[sent_before:]
                if r.match["conversation"] in {a["conversation"]["id"] for a, _ in requests_.values()}]


def test_non_message_activities_are_ignored_with_200(teams_server):
    act = activity(teams_server.connector.base_url, "", kind="conversationUpdate",
                   membersAdded=[{"id": "28:test-bot"}])
    assert post(teams_server, act).status_code == 200
    answered_after(teams_server)
    assert teams_server.connector.sent_to(act["conversation"]["id"]) == []


def test_malformed_body_is_400(teams_server):
    r = requests.post(teams_server.webhook, data="{", headers={"Content-Type": "application/json"},
                      timeout=HTTP_TIMEOUT)
    assert r.status_code == 400


def test_the_users_words_are_not_logged(teams_server):
    act = say(teams_server, "what is the MEG Zephyrine Quillfeather")
    replies_until(teams_server, act, "")  # any reply
    # The same sender's next turn waits for this one to finish, logging and saving included.
    answered_after(teams_server, user_id=act["from"]["id"], conversation_id=act["conversation"]["id"])
    for log in teams_server.logs.values():
        assert "Zephyrine" not in log.read_text(encoding="utf-8")


# --------------------------------------------------------------- the parts, in-process


def settings(**overrides: Any) -> teams.TeamsSettings:
    return teams.TeamsSettings(**{"app_id": "app", "app_password": "pw", **overrides})


def test_single_tenant_token_endpoint_and_multi_tenant_fallback():
    assert settings(tenant_id="t-1").token_endpoint == "https://login.microsoftonline.com/t-1/oauth2/v2.0/token"
    assert settings().token_endpoint == "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token"
    assert settings(tenant_id="t-1", token_url="http://127.0.0.1:1/tok").token_endpoint == "http://127.0.0.1:1/tok"


def test_credentials_resolve_environment_variables(monkeypatch):
    monkeypatch.setenv("TEAMS_X_ID", "the-app")
    monkeypatch.setenv("TEAMS_X_TENANT", "")
    s = teams.TeamsSettings.from_credentials({"app_id": "${TEAMS_X_ID}", "app_password": "pw",
                                              "tenant_id": "${TEAMS_X_TENANT}"})
    assert (s.app_id, s.tenant_id, s.scope, s.skip_auth) == ("the-app", "", teams.DEFAULT_SCOPE, False)
    monkeypatch.delenv("TEAMS_X_ID")
    with pytest.raises(teams.TeamsConfigError, match="TEAMS_X_ID"):
        teams.TeamsSettings.from_credentials({"app_id": "${TEAMS_X_ID}", "app_password": "pw"})


def test_credentials_are_required_unless_auth_is_explicitly_skipped():
    with pytest.raises(teams.TeamsConfigError):
        teams.TeamsSettings.from_credentials({"app_id": "", "app_password": ""})
    with pytest.raises(teams.TeamsConfigError):
        teams.TeamsSettings.from_credentials({"skip_auth": "no"})
    assert teams.TeamsSettings.from_credentials({"skip_auth": True}).skip_auth


def test_skip_auth_accepts_only_a_local_emulator():
    channel = teams.TeamsInput(settings(skip_auth=True))
    local = activity("http://localhost:50123", "hi")
    remote = activity("https://smba.trafficmanager.net/uk/", "hi")
    assert asyncio.run(channel.authenticate(None, local)) is None
    assert asyncio.run(channel.authenticate(None, remote)).status == 403


def test_the_token_is_renewed_before_it_expires(fake_servers: FakeServers):
    login = start_login(fake_servers, expires_in=1)  # cached for half its life: 0.5 s
    cache = teams.TokenCache(settings(token_url=login.token_url(), tenant_id="t"))

    async def twice() -> tuple[str, str, str]:
        first, again = await cache.bearer(), await cache.bearer()
        await asyncio.sleep(0.7)
        return first, again, await cache.bearer()

    assert asyncio.run(twice()) == (login.access_token,) * 3
    assert [r.path for r in login.token_requests.items] == ["/t/oauth2/v2.0/token"] * 2


def test_a_reply_that_cannot_be_sent_is_logged_not_raised(caplog):
    dead = "http://127.0.0.1:9/{tenant_id}/oauth2/v2.0/token"  # port 9: nothing listens
    cache = teams.TokenCache(settings(token_url=dead, app_password="s3cr3t-value"))
    output = teams.TeamsOutput(activity("http://127.0.0.1:9", "hi"), cache)
    with caplog.at_level(logging.INFO, logger="bot.channels.teams"):
        asyncio.run(output.send_text_message("user", "my private words"))
    assert "reply not sent" in caplog.text
    assert "s3cr3t-value" not in caplog.text and "my private words" not in caplog.text
