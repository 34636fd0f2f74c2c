/* Web chat for the CSE guidance assistant.
 *
 * Talks to Rasa's REST channel: POST {rasa}/webhooks/rest/webhook {sender, message}
 * -> [{text, buttons: [{title, payload}], image}]. Plain modern JavaScript, no build step.
 * Every piece of bot or user text is inserted as text (textContent / text nodes), never
 * as HTML.
 */
(() => {
  "use strict";

  const KEYS = { sender: "cse-chat.sender", transcript: "cse-chat.transcript" };
  const DEFAULT_EXIT_URL = "https://www.bbc.co.uk/weather";
  const DEFAULT_RASA_PORT = 5005;
  const REQUEST_TIMEOUT_MS = 45000;
  const ESCAPE_WINDOW_MS = 1500;
  const UNAVAILABLE = "The assistant is not available right now. If a child is in immediate danger, call 999.";
  const NO_REPLY = "Sorry, no answer came back. Please try asking in a different way.";
  const INDICATOR = /Indicator (\d+) of (\d+)/i;
  const BULLET = /^\s*[-•*]\s+(.*)$/;
  // e-mail | web address | UK phone number or 999 (checked again in phoneHref).
  const LINK = new RegExp([
    String.raw`([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)`,
    String.raw`(https?:\/\/[^\s<>"]+|www\.[^\s<>"]+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:org\.uk|gov\.uk|police\.uk|nhs\.uk|co\.uk|org|com)\b(?:\/[^\s<>"]*)?)`,
    String.raw`(\b0\d{2,4} ?\d{3,4}(?: ?\d{3,4})?\b|\b999\b)`,
  ].join("|"), "g");

  const $ = (id) => document.getElementById(id);
  const els = {
    app: document.querySelector(".app"),
    quickExit: $("quick-exit"),
    exitHint: $("exit-hint"),
    progress: $("progress"),
    progressLabel: $("progress-label"),
    progressbar: $("progressbar"),
    progressFill: $("progress-fill"),
    log: $("log"),
    welcome: $("welcome"),
    typing: $("typing"),
    error: $("error"),
    form: $("composer"),
    input: $("message"),
    send: $("send"),
  };

  // ---------------------------------------------------------------- configuration

  function meta(name) {
    const tag = document.querySelector(`meta[name="${name}"]`);
    return tag ? tag.content.trim() : "";
  }

  function rasaUrl() {
    const configured = meta("rasa-url");
    if (configured) return configured.replace(/\/+$/, "");
    return `${location.protocol}//${location.hostname}:${DEFAULT_RASA_PORT}`;
  }

  function exitUrl() {
    try {
      const url = new URL(meta("exit-url") || DEFAULT_EXIT_URL, location.href);
      if (url.protocol === "https:" || url.protocol === "http:") return url.href;
    } catch (_) { /* fall through */ }
    return DEFAULT_EXIT_URL;
  }

  // ---------------------------------------------------------------- session state
  // One conversation per browser tab: sessionStorage. It may be unavailable (privacy
  // settings), so everything also works from memory.

  const memory = new Map();
  const store = {
    get(key) {
      try { return sessionStorage.getItem(key); } catch (_) { return memory.get(key) ?? null; }
    },
    set(key, value) {
      memory.set(key, value);
      try { sessionStorage.setItem(key, value); } catch (_) { /* memory only */ }
    },
    clear() {
      memory.clear();
      try { sessionStorage.clear(); } catch (_) { /* nothing stored */ }
    },
  };

  function senderId() {
    let id = store.get(KEYS.sender);
    if (!id) {
      const bytes = new Uint8Array(16);
      crypto.getRandomValues(bytes);
      id = "web-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
      store.set(KEYS.sender, id);
    }
    return id;
  }

  /** turns: [{who: "user"|"bot", time, messages: [{text, buttons, image, alt}], closed, chosen}] */
  let transcript = loadTranscript();

  function loadTranscript() {
    try {
      const turns = JSON.parse(store.get(KEYS.transcript) || "[]");
      return Array.isArray(turns) ? turns.filter((t) => t && Array.isArray(t.messages)) : [];
    } catch (_) {
      return [];
    }
  }

  function saveTranscript() {
    store.set(KEYS.transcript, JSON.stringify(transcript));
  }

  // ---------------------------------------------------------------- quick exit

  let inFlight = null;

  function quickExit() {
    const target = exitUrl();
    document.documentElement.classList.add("exiting");
    try { if (inFlight) inFlight.abort(); } catch (_) { /* leaving anyway */ }
    store.clear();
    transcript = [];
    try {
      els.log.replaceChildren();
      els.input.value = "";
    } catch (_) { /* leaving anyway */ }
    window.location.replace(target);
  }

  let lastEscape = -Infinity;
  let hintTimer = 0;

  function onKeydown(event) {
    if (event.key !== "Escape" || event.repeat) return;
    const now = performance.now();
    if (now - lastEscape <= ESCAPE_WINDOW_MS) {
      event.preventDefault();
      quickExit();
      return;
    }
    lastEscape = now;
    els.exitHint.textContent = "Press Escape again to leave this site.";
    clearTimeout(hintTimer);
    hintTimer = setTimeout(() => { els.exitHint.textContent = ""; }, ESCAPE_WINDOW_MS + 500);
  }

  // ---------------------------------------------------------------- rendering

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function timeLabel(iso) {
    try {
      return new Date(iso).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
    } catch (_) {
      return "";
    }
  }

  function phoneHref(number) {
    const digits = number.replace(/\s+/g, "");
    if (digits === "999") return "tel:999";
    return digits.length >= 8 && digits.length <= 11 ? `tel:${digits}` : null;
  }

  /** Append text to parent as text nodes, with e-mails, web addresses and phone numbers as links. */
  function appendInline(parent, text) {
    let last = 0;
    LINK.lastIndex = 0;
    for (let match = LINK.exec(text); match; match = LINK.exec(text)) {
      let [shown] = match;
      let href = null;
      if (match[1]) {
        href = `mailto:${shown}`;
      } else if (match[2]) {
        shown = shown.replace(/[.,;:!?)'"]+$/, "");
        href = /^https?:\/\//i.test(shown) ? shown : `https://${shown}`;
      } else {
        href = phoneHref(shown);
      }
      if (!href || !shown) continue;
      parent.append(document.createTextNode(text.slice(last, match.index)));
      const link = el("a", "inline-link", shown);
      link.href = href;
      if (match[2]) {
        link.target = "_blank";
        link.rel = "noopener noreferrer";
      }
      parent.append(link);
      last = match.index + shown.length;
      LINK.lastIndex = last;
    }
    parent.append(document.createTextNode(text.slice(last)));
  }

  /** Lines become paragraphs, "- " lines become a list, "Source: ..." is set quieter. */
  function formatText(text) {
    const frag = document.createDocumentFragment();
    let list = null;
    for (const line of String(text).replace(/\r\n?/g, "\n").split("\n")) {
      const bullet = BULLET.exec(line);
      if (bullet) {
        if (!list) {
          list = el("ul", "bubble-list");
          frag.append(list);
        }
        const item = el("li");
        appendInline(item, bullet[1]);
        list.append(item);
        continue;
      }
      list = null;
      if (!line.trim()) continue;
      const para = el("p", /^Source: /.test(line) ? "bubble-source" : "bubble-line");
      appendInline(para, line);
      frag.append(para);
    }
    return frag;
  }

  function altFor(message) {
    if (message.alt) return message.alt;
    try {
      const name = decodeURIComponent(new URL(message.image, location.href).pathname.split("/").pop() || "");
      const words = name.replace(/\.[a-z0-9]+$/i, "").replace(/[-_]+/g, " ").trim();
      if (words) return `Picture: ${words.charAt(0).toUpperCase()}${words.slice(1)}`;
    } catch (_) { /* generic below */ }
    return "Picture from the assistant";
  }

  function imageBubble(message) {
    let url;
    try {
      url = new URL(message.image, location.href);
    } catch (_) {
      return null;
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") return null;
    const figure = el("figure", "bubble bubble-image");
    const img = el("img");
    img.alt = altFor(message);
    img.decoding = "async";
    img.src = url.href;
    img.addEventListener("load", () => keepAtEnd());
    img.addEventListener("error", () => {
      img.replaceWith(el("p", "bubble-line image-missing", `The picture could not be shown (${img.alt}).`));
    });
    const open = el("a", "image-open", "Open picture full size");
    open.href = url.href;
    open.target = "_blank";
    open.rel = "noopener noreferrer";
    figure.append(img, open);
    return figure;
  }

  function repliesGroup(buttons, turn) {
    const group = el("div", "replies");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Suggested replies");
    for (const b of buttons) {
      const button = el("button", "reply-button", b.title);
      button.type = "button";
      button.dataset.payload = b.payload;
      if (turn.closed) {
        button.disabled = true;
        if (turn.chosen === b.title) button.classList.add("chosen");
      }
      group.append(button);
    }
    return group;
  }

  function renderTurn(turn) {
    const bot = turn.who === "bot";
    const node = el("div", `turn ${bot ? "turn-bot" : "turn-user"}`);
    if (bot) {
      const avatar = el("span", "avatar", "DSP");
      avatar.setAttribute("aria-hidden", "true");
      node.append(avatar);
    }
    const body = el("div", "turn-body");
    const metaLine = el("p", "turn-meta");
    metaLine.append(el("span", "turn-who", bot ? "Assistant" : "You"));
    const time = timeLabel(turn.time);
    if (time) {
      const t = el("time", "turn-time", time);
      t.dateTime = turn.time;
      metaLine.append(" ", t);
    }
    body.append(metaLine);
    for (const message of turn.messages) {
      if (message.text) {
        const bubble = el("div", `bubble${message.notice ? " bubble-notice" : ""}`);
        bubble.append(formatText(message.text));
        body.append(bubble);
      }
      if (message.image) {
        const figure = imageBubble(message);
        if (figure) body.append(figure);
      }
      if (message.buttons && message.buttons.length) body.append(repliesGroup(message.buttons, turn));
    }
    node.append(body);
    return node;
  }

  function addTurnNode(node) {
    els.log.insertBefore(node, els.typing);
  }

  // ---------------------------------------------------------------- scrolling

  let followTurn = null;

  function keepAtEnd() {
    const log = els.log;
    if (followTurn && followTurn.isConnected && followTurn.offsetHeight > log.clientHeight - 24) {
      // A long answer: show its beginning, the reader scrolls on.
      log.scrollTop = followTurn.offsetTop - 8;
    } else {
      log.scrollTop = log.scrollHeight;
    }
  }

  // ---------------------------------------------------------------- progress bar

  function setProgress(turn) {
    let found = null;
    for (const m of turn.messages) {
      const match = INDICATOR.exec(m.text || "");
      if (match) found = match;
    }
    const bar = els.progressbar;
    if (found) {
      const n = Number(found[1]);
      const total = Number(found[2]) || 14;
      bar.setAttribute("aria-valuemax", String(total));
      bar.setAttribute("aria-valuenow", String(n));
      bar.setAttribute("aria-valuetext", `Indicator ${n} of ${total}`);
      els.progressLabel.textContent = `Pre-screen: indicator ${n} of ${total}`;
      els.progressFill.style.width = `${Math.min(100, (100 * n) / total)}%`;
      els.progress.hidden = false;
      els.progress.dataset.done = "";
      return;
    }
    const max = bar.getAttribute("aria-valuemax");
    if (!els.progress.hidden && bar.getAttribute("aria-valuenow") === max && !els.progress.dataset.done) {
      els.progress.dataset.done = "yes";
      els.progressLabel.textContent = `Pre-screen: all ${max} indicators answered`;
      bar.setAttribute("aria-valuetext", `All ${max} indicators answered`);
      return;
    }
    els.progress.hidden = true;
  }

  // ---------------------------------------------------------------- talking to Rasa

  function normalise(replies) {
    const messages = [];
    for (const r of replies) {
      if (!r || typeof r !== "object") continue;
      const message = {};
      if (typeof r.text === "string" && r.text.trim()) message.text = r.text;
      const buttons = Array.isArray(r.buttons) ? r.buttons : [];
      message.buttons = buttons
        .filter((b) => b && (typeof b.title === "string" || typeof b.payload === "string"))
        .map((b) => ({ title: String(b.title ?? b.payload), payload: String(b.payload ?? b.title) }));
      if (typeof r.image === "string" && r.image) message.image = r.image;
      if (typeof r.alt === "string" && r.alt) message.alt = r.alt;
      if (message.text || message.image || message.buttons.length) messages.push(message);
    }
    return messages;
  }

  async function postToRasa(message) {
    const controller = new AbortController();
    inFlight = controller;
    const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    try {
      const response = await fetch(`${rasaUrl()}/webhooks/rest/webhook`, {
        method: "POST",
        // X-Conversation-Id: a load balancer keeps the conversation on one replica (docs/scaling.md)
        headers: { "Content-Type": "application/json", "X-Conversation-Id": senderId() },
        body: JSON.stringify({ sender: senderId(), message }),
        credentials: "omit",
        cache: "no-store",
        referrerPolicy: "no-referrer",
        signal: controller.signal,
      });
      if (!response.ok) throw new Error(`Rasa answered ${response.status}`);
      const data = await response.json();
      if (!Array.isArray(data)) throw new Error("Rasa's reply is not a list");
      return data;
    } finally {
      clearTimeout(timer);
      if (inFlight === controller) inFlight = null;
    }
  }

  let busy = false;

  function setBusy(on) {
    busy = on;
    els.typing.hidden = !on;
    els.log.setAttribute("aria-busy", on ? "true" : "false");
    els.send.setAttribute("aria-disabled", on ? "true" : "false");
    if (on) keepAtEnd();
  }

  function showError(text) {
    els.error.textContent = text;
    els.error.hidden = !text;
  }

  /** Disable every open reply button (they answer an earlier question); return them. */
  function closeReplies(chosen) {
    const open = Array.from(els.log.querySelectorAll(".reply-button:not([disabled])"));
    for (const button of open) button.disabled = true;
    if (chosen) chosen.classList.add("chosen");
    return open;
  }

  /**
   * Send `payload` to Rasa, showing `shown` as the user's message.
   * typed: it came from the text box, so it goes back there if sending fails.
   */
  async function send(payload, shown, { typed = false, chosen = null } = {}) {
    if (busy || !payload.trim()) return;
    showError("");
    const closed = closeReplies(chosen);
    const welcomeWasShown = !els.welcome.hidden;
    els.welcome.hidden = true;
    const userTurn = { who: "user", time: new Date().toISOString(), messages: [{ text: shown }] };
    const userNode = renderTurn(userTurn);
    addTurnNode(userNode);
    followTurn = null;
    setBusy(true);
    let replies;
    try {
      replies = await postToRasa(payload);
    } catch (_) {
      userNode.remove();
      for (const button of closed) button.disabled = false;
      if (chosen) chosen.classList.remove("chosen");
      els.welcome.hidden = !welcomeWasShown;
      if (typed && !els.input.value) els.input.value = shown;
      showError(UNAVAILABLE);
      setBusy(false);
      return;
    }
    for (const turn of transcript) {
      if (turn.who === "bot" && !turn.closed) {
        turn.closed = true;
        if (chosen) turn.chosen = chosen.textContent;
      }
    }
    let messages = normalise(replies);
    if (!messages.length) messages = [{ text: NO_REPLY, notice: true, buttons: [] }];
    const botTurn = { who: "bot", time: new Date().toISOString(), messages };
    transcript.push(userTurn, botTurn);
    saveTranscript();
    setBusy(false);
    const botNode = renderTurn(botTurn);
    addTurnNode(botNode);
    setProgress(botTurn);
    followTurn = botNode;
    keepAtEnd();
  }

  // ---------------------------------------------------------------- wiring

  function onSubmit(event) {
    event.preventDefault();
    const text = els.input.value;
    if (busy || !text.trim()) {
      els.input.focus();
      return;
    }
    els.input.value = "";
    els.input.focus();
    send(text.trim(), text.trim(), { typed: true });
  }

  function onReplyClick(event) {
    const button = event.target.closest(".reply-button");
    if (!button || button.disabled || busy) return;
    // Keyboard users carry on in the text box; a tap must not pop up the phone's keyboard.
    if (event.detail === 0) els.input.focus();
    send(button.dataset.payload || button.textContent, button.textContent, { chosen: button });
  }

  function restore() {
    if (!transcript.length) return;
    els.welcome.hidden = true;
    // Not read out again: the conversation is put back quietly after a reload.
    els.log.setAttribute("aria-live", "off");
    for (const turn of transcript) {
      addTurnNode(renderTurn(turn));
      if (turn.who === "bot") setProgress(turn);
    }
    followTurn = null;
    keepAtEnd();
    setTimeout(() => els.log.setAttribute("aria-live", "polite"), 0);
  }

  function start() {
    senderId();
    els.quickExit.addEventListener("click", quickExit);
    document.addEventListener("keydown", onKeydown);
    els.form.addEventListener("submit", onSubmit);
    els.log.addEventListener("click", onReplyClick);
    window.addEventListener("resize", () => keepAtEnd());
    restore();
    document.documentElement.classList.add("ready");
  }

  start();
})();
