"""Microsoft Teams channel (Azure Bot, single-tenant) served at /webhooks/teams/webhook.

Rasa 3.6's built-in ``botframework`` channel only gets tokens from the multi-tenant
``botframework.com`` authority, which Microsoft no longer offers for new bots, blocks the
event loop with ``requests`` and trusts the JWT's own ``alg`` header. This channel:

- gets a client-credentials token from ``login.microsoftonline.com/<tenant_id>`` (single
  tenant; multi-tenant only if ``tenant_id`` is empty) and caches it until shortly before
  it expires;
- validates every incoming request's Bot Framework JWT (issuer, audience, expiry, RS256
  signature against the published keys, the key's channel endorsement and the
  ``serviceUrl`` claim, so a token can't be replayed to send our token elsewhere);
- answers Bot Framework at once (202) and replies to the activity asynchronously, since
  the connector gives up on a webhook after 15 seconds;
- never logs what the user wrote (it may identify a child).

credentials.yml (values from the environment, never committed)::

    bot.channels.teams.TeamsInput:
      app_id: ${TEAMS_APP_ID}
      app_password: ${TEAMS_APP_PASSWORD}
      tenant_id: ${TEAMS_TENANT_ID}
"""

from __future__ import annotations

import asyncio
import html
import ipaddress
import logging
import mimetypes
import os
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import quote, urlsplit

import aiohttp
import jwt
import yarl
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import gateway
from cse_core import identity

logger = logging.getLogger(__name__)

DEFAULT_TOKEN_URL = "https://login.microsoftonline.com/{tenant_id}/oauth2/v2.0/token"
MULTI_TENANT = "botframework.com"
DEFAULT_SCOPE = "https://api.botframework.com/.default"
DEFAULT_OPENID_METADATA_URL = "https://login.botframework.com/v1/.well-known/openidconfiguration"
BOT_FRAMEWORK_ISSUER = "https://api.botframework.com"
HERO_CARD = "application/vnd.microsoft.card.hero"

HTTP_TIMEOUT = aiohttp.ClientTimeout(total=10)
TOKEN_EARLY_REFRESH_S = 300  # renew this long before expiry so a reply never carries a dying token
JWKS_MAX_AGE_S = 24 * 3600  # Microsoft rotates its signing keys; re-read them daily
JWKS_MIN_REFETCH_S = 300  # fetch keys at most this often (unknown key ids, outages: no refetch storms)
CLOCK_SKEW_S = 300  # Bot Framework guidance: allow 5 minutes of clock skew
SEND_ATTEMPTS = 3
MAX_RETRY_WAIT_S = 5.0
RECENT_ACTIVITIES = 1000  # the connector redelivers on timeouts; answer each activity once

_ENV_REF = re.compile(r"\$\{([^}]+)\}")
_BEARER = re.compile(r"Bearer\s+(\S+)\s*$", re.IGNORECASE)


class TeamsConfigError(ValueError):
    """credentials.yml is missing or misstates a Teams setting."""


class AuthError(Exception):
    """An incoming request is not a genuine Bot Framework request for this bot."""


class TokenError(Exception):
    """Microsoft Entra ID did not issue a token."""


# ---------------------------------------------------------------------------- settings


def resolve_env(value: Any) -> str:
    """A credential value with ``${VAR}`` references filled in from the environment.

    Rasa resolves unquoted ``${VAR}`` itself; quoted ones reach us verbatim. A variable
    that is not set is an error rather than silently empty: an empty tenant would
    quietly switch the bot to the multi-tenant authority.
    """
    if value is None:
        return ""
    text = str(value).strip()
    missing = [name for name in _ENV_REF.findall(text) if name not in os.environ]
    if missing:
        raise TeamsConfigError(f"Teams channel: set the environment variable(s) {', '.join(missing)}")
    return _ENV_REF.sub(lambda m: os.environ[m.group(1)], text).strip()


def as_bool(value: Any) -> bool:
    return value is True or str(value).strip().lower() in {"true", "yes", "1", "on"}


@dataclass(frozen=True)
class TeamsSettings:
    app_id: str
    app_password: str
    tenant_id: str = ""
    token_url: str = DEFAULT_TOKEN_URL
    scope: str = DEFAULT_SCOPE
    openid_metadata_url: str = DEFAULT_OPENID_METADATA_URL
    skip_auth: bool = False

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any]) -> TeamsSettings:
        get = {key: resolve_env(credentials.get(key)) for key in (
            "app_id", "app_password", "tenant_id", "token_url", "scope", "openid_metadata_url")}
        settings = cls(app_id=get["app_id"], app_password=get["app_password"], tenant_id=get["tenant_id"],
                       token_url=get["token_url"] or DEFAULT_TOKEN_URL, scope=get["scope"] or DEFAULT_SCOPE,
                       openid_metadata_url=get["openid_metadata_url"] or DEFAULT_OPENID_METADATA_URL,
                       skip_auth=as_bool(resolve_env(credentials.get("skip_auth"))))
        settings.check()
        return settings

    def check(self) -> None:
        if not self.skip_auth and not (self.app_id and self.app_password):
            raise TeamsConfigError("Teams channel: app_id and app_password are required "
                                   "(skip_auth: true is for the local Bot Framework Emulator only)")

    @property
    def token_endpoint(self) -> str:
        """The tenant's token endpoint; ``{tenant_id}`` in an overriding URL is filled in too."""
        return self.token_url.replace("{tenant_id}", self.tenant_id or MULTI_TENANT)

    @property
    def sends_token(self) -> bool:
        """Emulator use without credentials sends replies unauthenticated."""
        return bool(self.app_id and self.app_password)


# ------------------------------------------------------------------------ outgoing auth


class TokenCache:
    """A client-credentials access token, shared by all replies, renewed before expiry."""

    def __init__(self, settings: TeamsSettings) -> None:
        self.settings = settings
        self._token = ""
        self._expires_at = 0.0
        self._lock = asyncio.Lock()

    async def bearer(self) -> str:
        # One fetch even when several replies need a token at the same moment.
        async with self._lock:
            if not self._token or time.monotonic() >= self._expires_at:
                self._token, lifetime = await self._fetch()
                self._expires_at = time.monotonic() + max(lifetime - TOKEN_EARLY_REFRESH_S, lifetime / 2)
            return self._token

    def invalidate(self) -> None:
        self._token = ""

    async def _fetch(self) -> tuple[str, float]:
        form = {"grant_type": "client_credentials", "client_id": self.settings.app_id,
                "client_secret": self.settings.app_password, "scope": self.settings.scope}
        async with aiohttp.ClientSession(timeout=HTTP_TIMEOUT) as session, \
                session.post(self.settings.token_endpoint, data=form) as resp:
            try:
                body = await resp.json(content_type=None)
            except ValueError:  # an HTML error page from a proxy, say
                body = None
        if resp.status != HTTPStatus.OK or not isinstance(body, dict) or not body.get("access_token"):
            # Entra's error code (e.g. invalid_client) helps; the response never holds the secret.
            error = body.get("error") if isinstance(body, dict) else None
            raise TokenError(f"token request to {self.settings.token_endpoint} failed: {resp.status} {error or ''}")
        return str(body["access_token"]), float(body.get("expires_in") or 3600)


# ------------------------------------------------------------------------ incoming auth


class BotFrameworkJwtVerifier:
    """Checks the ``Authorization`` header of requests from the Bot Framework connector."""

    def __init__(self, app_id: str, openid_metadata_url: str) -> None:
        self.app_id = app_id
        self.openid_metadata_url = openid_metadata_url
        self._keys: dict[str, dict[str, Any]] = {}
        self._fetched_at = 0.0
        self._attempted_at: float | None = None
        self._lock = asyncio.Lock()

    async def verify(self, auth_header: str | None, activity: dict[str, Any]) -> dict[str, Any]:
        """The token's claims if it is valid for this bot and this activity; AuthError otherwise."""
        token = bearer_token(auth_header)
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise AuthError("malformed token") from exc
        if header.get("alg") != "RS256":  # never let the token choose its own algorithm
            raise AuthError("unexpected signing algorithm")
        jwk = await self._key(str(header.get("kid") or ""))
        check_endorsement(jwk, activity.get("channelId"))
        try:
            claims = jwt.decode(token, key=jwt.PyJWK(jwk, algorithm="RS256").key, algorithms=["RS256"],
                                audience=self.app_id, issuer=BOT_FRAMEWORK_ISSUER, leeway=CLOCK_SKEW_S,
                                options={"require": ["exp", "iss", "aud"]})
        except jwt.PyJWTError as exc:
            raise AuthError(f"token rejected: {exc.__class__.__name__}") from exc
        check_service_url(claims, activity.get("serviceUrl"))
        return claims

    async def _key(self, kid: str) -> dict[str, Any]:
        async with self._lock:
            if self._refresh_due(kid):
                await self._refresh()
        if kid not in self._keys:
            raise AuthError("unknown signing key")
        return self._keys[kid]

    def _refresh_due(self, kid: str) -> bool:
        now = time.monotonic()
        if self._attempted_at is not None and now - self._attempted_at < JWKS_MIN_REFETCH_S:
            return False  # at most one fetch per few minutes, even for unknown key ids or while failing
        return self._attempted_at is None or kid not in self._keys or now - self._fetched_at > JWKS_MAX_AGE_S

    async def _refresh(self) -> None:
        self._attempted_at = time.monotonic()
        try:
            async with aiohttp.ClientSession(timeout=HTTP_TIMEOUT) as session:
                metadata = await get_json(session, self.openid_metadata_url)
                jwks = await get_json(session, str(metadata["jwks_uri"]))
            self._keys = {str(k["kid"]): k for k in jwks.get("keys", []) if k.get("kid")}
            self._fetched_at = time.monotonic()
        except (aiohttp.ClientError, asyncio.TimeoutError, KeyError, TypeError, ValueError) as exc:
            # Keep the keys we had: a brief outage at Microsoft shouldn't lock every user out.
            logger.warning("Teams: could not refresh Bot Framework signing keys (%s)", exc.__class__.__name__)


async def get_json(session: aiohttp.ClientSession, url: str) -> dict[str, Any]:
    async with session.get(url) as resp:
        resp.raise_for_status()
        return await resp.json(content_type=None)


def bearer_token(auth_header: str | None) -> str:
    match = _BEARER.match(auth_header or "")
    if not match:
        raise AuthError("no bearer token")
    return match.group(1)


def check_endorsement(jwk: dict[str, Any], channel_id: Any) -> None:
    """Microsoft's keys list the channels they may sign for; the activity's must be one."""
    endorsements = jwk.get("endorsements")
    if endorsements is not None and channel_id not in endorsements:
        raise AuthError("signing key not endorsed for this channel")


def check_service_url(claims: dict[str, Any], service_url: Any) -> None:
    """The token names the connector it came from; replies (with our token) go only there."""
    claimed = claims.get("serviceUrl") or claims.get("serviceurl")
    if not claimed or not service_url or str(claimed).rstrip("/") != str(service_url).rstrip("/"):
        raise AuthError("serviceUrl does not match the token")


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# ----------------------------------------------------------------------------- replies


def as_html(text: str) -> str:
    """Teams renders bot text as its XML/HTML subset: escape it and keep the line breaks."""
    return html.escape(text.strip(), quote=False).replace("\n", "<br>")


def card_action(button: dict[str, Any]) -> dict[str, Any]:
    """A button as a card action that sends Rasa the same payload as over REST.

    imBack posts its value into the chat as if the user typed it: right for "Yes" or
    "Not sure", but an intent payload ('/ask_mesa{"topic":"mesa"}') would show as code.
    messageBack sends its ``text`` to the bot and shows ``displayText`` in the chat."""
    title = str(button.get("title", ""))
    payload = str(button.get("payload", title))
    if payload == title:
        return {"type": "imBack", "title": title, "value": payload}
    return {"type": "messageBack", "title": title, "displayText": title, "text": payload}


def hero_card(text: str | None, buttons: Iterable[dict[str, Any]]) -> dict[str, Any]:
    actions = [card_action(b) for b in buttons]
    content: dict[str, Any] = {"buttons": actions}
    if text:
        content["text"] = as_html(text)
    return {"contentType": HERO_CARD, "content": content}


def image_attachment(url: str) -> dict[str, Any]:
    content_type = mimetypes.guess_type(urlsplit(url).path)[0] or "image/png"
    return {"contentType": content_type, "contentUrl": url}


class TeamsOutput(OutputChannel):
    """Replies to one incoming Teams activity."""

    @classmethod
    def name(cls) -> str:
        return "teams"

    def __init__(self, activity: dict[str, Any], tokens: TokenCache) -> None:
        self.activity = activity
        self.tokens = tokens

    @property
    def reply_url(self) -> yarl.URL:
        service_url = str(self.activity["serviceUrl"]).rstrip("/")
        # Teams conversation ids contain ':', ';' and '@' ("19:...@thread.tacv2;messageid=1"): percent-encode
        # them as Microsoft's SDKs do, and stop yarl from decoding them again.
        conversation = quote(str(self.activity["conversation"]["id"]), safe="")
        activity_id = quote(str(self.activity["id"]), safe="")
        return yarl.URL(f"{service_url}/v3/conversations/{conversation}/activities/{activity_id}", encoded=True)

    def reply(self, **fields: Any) -> dict[str, Any]:
        return {"type": "message", "from": self.activity.get("recipient"), "recipient": self.activity.get("from"),
                "conversation": self.activity.get("conversation"), "replyToId": self.activity.get("id"), **fields}

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.post(self.reply(text=as_html(text), textFormat="xml"))

    async def send_text_with_buttons(self, recipient_id: str, text: str | None, buttons: list[dict[str, Any]],
                                     **kwargs: Any) -> None:
        await self.post(self.reply(attachments=[hero_card(text, buttons)]))

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self.post(self.reply(attachments=[image_attachment(image)]))

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        # A custom payload is a Bot Framework activity (e.g. an Adaptive Card) sent as given.
        await self.post({**self.reply(), **json_message})

    async def post(self, activity: dict[str, Any]) -> None:
        """Send one activity, retrying throttling and server errors; failures are logged, not raised,
        so the conversation is still stored."""
        for attempt in range(1, SEND_ATTEMPTS + 1):
            try:
                status, retry_after = await self._post_once(activity)
            except (TokenError, aiohttp.ClientError, asyncio.TimeoutError) as exc:
                logger.error("Teams: reply not sent: %s", exc)
                return
            if status < 300:
                return
            if status == HTTPStatus.UNAUTHORIZED:
                self.tokens.invalidate()  # e.g. secret rotated: the next attempt gets a fresh token
            elif status != HTTPStatus.TOO_MANY_REQUESTS and status < 500:
                break
            if attempt < SEND_ATTEMPTS:
                await asyncio.sleep(min(retry_after or attempt, MAX_RETRY_WAIT_S))
        logger.error("Teams: reply not sent: connector answered %s", status)

    async def _post_once(self, activity: dict[str, Any]) -> tuple[int, float | None]:
        headers = {"Content-Type": "application/json"}
        if self.tokens.settings.sends_token:
            headers["Authorization"] = f"Bearer {await self.tokens.bearer()}"
        async with aiohttp.ClientSession(timeout=HTTP_TIMEOUT) as session, \
                session.post(self.reply_url, json=activity, headers=headers) as resp:
            return resp.status, retry_after_seconds(resp.headers.get("Retry-After"))


def retry_after_seconds(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


# ---------------------------------------------------------------------------- webhook


def message_text(activity: dict[str, Any]) -> str:
    """What the user typed, without "@Bot" mentions (in a team channel every message has one)."""
    text = str(activity.get("text") or "")
    bot_id = (activity.get("recipient") or {}).get("id")
    for entity in activity.get("entities") or []:
        if entity.get("type") == "mention" and (entity.get("mentioned") or {}).get("id") == bot_id:
            text = text.replace(str(entity.get("text") or ""), " ")
    return " ".join(text.split())


def is_reply_target(activity: dict[str, Any]) -> bool:
    """An activity we can answer: it names the connector, the conversation and the sender."""
    return bool(activity.get("serviceUrl") and activity.get("id") and (activity.get("conversation") or {}).get("id")
                and (activity.get("from") or {}).get("id"))


class TeamsInput(InputChannel):
    """Receives Teams activities at /webhooks/teams/webhook."""

    @classmethod
    def name(cls) -> str:
        return "teams"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(TeamsSettings.from_credentials(credentials))

    def __init__(self, settings: TeamsSettings) -> None:
        self.settings = settings
        self.tokens = TokenCache(settings)
        self.verifier = BotFrameworkJwtVerifier(settings.app_id, settings.openid_metadata_url)
        self._recent: deque[tuple[str, str]] = deque(maxlen=RECENT_ACTIVITIES)
        self._tasks: set[asyncio.Task] = set()
        if settings.skip_auth:
            logger.warning("Teams: skip_auth is on: incoming requests are NOT authenticated. Use it only with "
                           "the local Bot Framework Emulator, never on a reachable host.")
        if settings.sends_token and not settings.tenant_id:
            logger.warning("Teams: no tenant_id: using the multi-tenant authority, which Microsoft no longer "
                           "offers for new bots; a Single Tenant bot needs its tenant_id.")
        logger.info("Teams: tokens from %s", settings.token_endpoint)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("teams_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            return await self.receive(request, on_new_message)

        return webhook

    async def receive(self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> HTTPResponse:
        activity = request.json if request.body else None  # Sanic answers malformed JSON with 400
        if not isinstance(activity, dict):
            return response.text("Expected a Bot Framework activity.", status=HTTPStatus.BAD_REQUEST)
        rejected = await self.authenticate(request.headers.get("Authorization"), activity)
        if rejected:
            return rejected
        if activity.get("type") != "message" or not is_reply_target(activity):
            return response.text("ignored")  # conversationUpdate, typing, invoke...: nothing to say
        key = (str(activity["conversation"]["id"]), str(activity["id"]))  # ids are unique per conversation only
        if key in self._recent:
            return response.text("duplicate")
        self._recent.append(key)
        text = message_text(activity)
        if not text:
            return response.text("ignored")  # e.g. only a file or an emoji reaction
        self.spawn(self.handle(request.app, activity, text, on_new_message))
        return response.text("accepted", status=HTTPStatus.ACCEPTED)

    async def authenticate(self, auth_header: str | None, activity: dict[str, Any]) -> HTTPResponse | None:
        if self.settings.skip_auth:
            # Even unauthenticated, never hand our token to a connector that isn't on this machine.
            if self.settings.sends_token and not is_loopback(str(activity.get("serviceUrl") or "")):
                logger.warning("Teams: skip_auth: refused a non-local serviceUrl")
                return response.text("Forbidden", status=HTTPStatus.FORBIDDEN)
            return None
        try:
            await self.verifier.verify(auth_header, activity)
        except AuthError as exc:
            logger.warning("Teams: rejected a request: %s", exc)
            return response.text("Unauthorized", status=HTTPStatus.UNAUTHORIZED)
        return None

    def spawn(self, coro: Awaitable[None]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)  # keep a reference until done, or the task may be collected mid-way
        task.add_done_callback(self._tasks.discard)

    async def handle(self, app: Sanic, activity: dict[str, Any], text: str,
                     on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        """One message through the same gateway as REST (limits, admission, deadlines, the
        replies when Rasa cannot answer), the replies posted to the conversation."""
        # Teams' per-user id, as a keyed hash namespaced "teams-": never stored raw (issue 14)
        sender_id = identity.sender_id(self.name(), str(activity["from"]["id"]))
        output = TeamsOutput(activity, self.tokens)
        reply = await gateway.converse(sender_id, text, self.name(), on_new_message)
        for message in reply.messages:  # as collected: send_response takes them without recipient_id
            await output.send_response(sender_id, {k: v for k, v in message.items() if k != "recipient_id"})
