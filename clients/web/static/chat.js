/* Web chat for the CSE guidance assistant.
 *
 * Talks to Rasa's REST channel: POST {rasa}/webhooks/rest/webhook {sender, message}
 * -> [{text, buttons: [{title, payload}], image}]. Plain modern JavaScript, no build step.
 * Every piece of bot or user text is inserted as text (textContent / text nodes), never
 * as HTML.
 *
 * Keeps nothing (issue 14): the conversation lives in this page's memory only: no
 * sessionStorage, localStorage or cookies, and a reload starts afresh. The page adds no
 * history entry (the skip link moves focus by script). Quick exit asks the page server to
 * end the conversation on the server (POST end, a beacon that outlives the page), clears
 * the page and replaces this history entry with a neutral site, so Back cannot return here.
 */
(() => {
  "use strict";

  const DEFAULT_EXIT_URL = "https://www.bbc.co.uk/weather";
  const DEFAULT_RASA_PORT = 5005;
  const END_PATH = "end"; // clients/web/server.py, relative to the page (works behind a path prefix)
  const REQUEST_TIMEOUT_MS = 45000;
  const ESCAPE_WINDOW_MS = 1500;
  const CLEAR_WAIT_MS = 250; // the longest Quick exit waits for the clipboard to be emptied
  const UNAVAILABLE = "The assistant is not available right now. If a child is in immediate danger, call 999.";
  const NO_REPLY = "Sorry, no answer came back. Please try asking in a different way.";
  const COPIED = "Summary copied.";
  const COPY_BY_HAND = "Copying did not work here. The summary is selected: press Ctrl+C (or Cmd+C) to copy it.";
  const YOUR_ANSWER = " (your answer)";
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
    topbar: document.querySelector(".topbar"),
    skip: $("skip-link"),
    quickExit: $("quick-exit"),
    exitHint: $("exit-hint"),
    notice: $("notice"),
    noticeToggle: $("notice-toggle"),
    noticeClose: $("notice-close"),
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

  const squash = (text) => String(text).replace(/\s+/g, " ").trim();

  /** The summary's first line, from knowledge/ via the page server ("" if not set). */
  const SUMMARY_HEADER = squash(meta("summary-header"));

  /** {"map-1.png": "Process map 1: ..."}: the process maps the page server has, by file name. */
  const MAP_TITLES = (() => {
    try {
      const titles = JSON.parse(meta("map-titles") || "{}");
      return titles && typeof titles === "object" ? titles : {};
    } catch (_) {
      return {};
    }
  })();

  // ---------------------------------------------------------------- the conversation, in memory only

  function newSenderId() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return "web-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  const state = {
    sender: newSenderId(), // this page's conversation; gone with the page
    talked: false, // something was sent, so the server may hold a conversation
    copied: false, // the page put a summary on the clipboard
    exited: false,
  };

  // ---------------------------------------------------------------- quick exit

  let inFlight = null;

  /** Ask the page server to end this conversation on the server. A beacon is sent even
   * as the page goes away, and needs no answer. */
  function endConversation() {
    if (!state.talked) return;
    const url = new URL(END_PATH, document.baseURI).href;
    try {
      if (navigator.sendBeacon && navigator.sendBeacon(url, state.sender)) return;
    } catch (_) { /* try fetch */ }
    try {
      fetch(url, { method: "POST", body: state.sender, keepalive: true, credentials: "omit",
                   cache: "no-store", referrerPolicy: "no-referrer" }).catch(() => {});
    } catch (_) { /* leaving anyway */ }
  }

  /** Empty the clipboard if the page put the summary there; resolves within CLEAR_WAIT_MS. */
  function clearClipboard() {
    if (!state.copied || !navigator.clipboard) return null;
    const cleared = navigator.clipboard.writeText("").catch(() => {});
    return Promise.race([cleared, new Promise((resolve) => { setTimeout(resolve, CLEAR_WAIT_MS); })]);
  }

  function quickExit(event) {
    if (event) event.preventDefault();
    const target = exitUrl();
    // replace(): this page's history entry becomes the neutral site; Back skips the chat.
    const leave = () => window.location.replace(target);
    let waitFor = null;
    try {
      if (!state.exited) {
        state.exited = true;
        document.documentElement.classList.add("exiting");
        try { if (inFlight) inFlight.abort(); } catch (_) { /* leaving anyway */ }
        endConversation();
        state.sender = "";
        els.log.replaceChildren();
        els.input.value = "";
        // The clipboard outlives the page: a copied summary would be a trail.
        waitFor = clearClipboard();
      }
    } catch (_) {
      /* nothing may stop the exit */
    }
    if (waitFor) waitFor.then(leave, leave);
    else leave();
  }

  let lastEscape = -Infinity;
  let hintTimer = 0;

  function onKeydown(event) {
    if (event.key !== "Escape" || event.repeat) return;
    const now = performance.now();
    if (now - lastEscape <= ESCAPE_WINDOW_MS) {
      quickExit(event);
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

  function lines(text) {
    return String(text).replace(/\r\n?/g, "\n").split("\n");
  }

  /** Lines become paragraphs, "- " lines become a list, "Source: ..." is set quieter. */
  function formatText(text) {
    const frag = document.createDocumentFragment();
    let list = null;
    for (const line of lines(text)) {
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

  function isSummary(text) {
    return Boolean(SUMMARY_HEADER) && squash(lines(text)[0] || "") === SUMMARY_HEADER;
  }

  /** The pre-screen summary: its lines as lines, and a real Copy button for the lines under the header. */
  function summaryBubble(text) {
    const [header, ...rest] = lines(text);
    const body = rest.filter((line) => line.trim()).join("\n");
    const bubble = el("div", "bubble bubble-summary");
    bubble.append(el("p", "bubble-line", header.trim()));
    const box = el("div", "summary-text");
    for (const line of body.split("\n")) box.append(el("p", "summary-line", line));
    const actions = el("div", "summary-actions");
    const button = el("button", "solid-button copy-button", "Copy summary");
    button.type = "button";
    const status = el("span", "copy-status");
    status.setAttribute("role", "status");
    copyTexts.set(button, { text: body, box, status });
    actions.append(button, status);
    bubble.append(box, actions);
    return bubble;
  }

  const copyTexts = new WeakMap();

  /** Copy by the old route: a hidden text area's selection. */
  function copyBySelection(text) {
    const area = el("textarea", "visually-hidden");
    area.value = text;
    area.setAttribute("aria-hidden", "true");
    area.tabIndex = -1;
    document.body.append(area);
    try {
      area.select();
      return document.execCommand("copy");
    } catch (_) {
      return false;
    } finally {
      area.remove();
    }
  }

  async function copySummary(button) {
    const summary = copyTexts.get(button);
    if (!summary) return;
    let copied = false;
    try {
      await navigator.clipboard.writeText(summary.text);
      copied = true;
    } catch (_) {
      copied = copyBySelection(summary.text);
      button.focus({ preventScroll: true });
    }
    state.copied = state.copied || copied;
    summary.status.textContent = "";
    if (copied) {
      summary.status.textContent = COPIED;
      return;
    }
    // Leave the summary selected so it can be copied by hand.
    const range = document.createRange();
    range.selectNodeContents(summary.box);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    summary.status.textContent = COPY_BY_HAND;
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

  /** A process map the page server knows: its title, and its address on this page's own server. */
  function knownMap(url) {
    const parts = url.pathname.split("/");
    const name = decodeURIComponent(parts.pop() || "");
    if (parts.pop() !== "maps" || !Object.prototype.hasOwnProperty.call(MAP_TITLES, name)) return null;
    return { title: String(MAP_TITLES[name]), src: new URL(`maps/${encodeURIComponent(name)}`, document.baseURI) };
  }

  /** A picture inline in the conversation, with a text alternative and an in-page "Full size"
   * (no new tab: a new tab would be a trail the quick exit cannot clear). */
  function imageBubble(message, afterText) {
    let url;
    try {
      url = new URL(message.image, location.href);
    } catch (_) {
      return null;
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") return null;
    const map = knownMap(url);
    const figure = el("figure", "bubble bubble-image");
    const frame = el("div", "picture-frame");
    const img = el("img");
    if (map) {
      img.alt = afterText ? "Flowchart of the steps written out in the message above." : "Flowchart.";
    } else {
      img.alt = altFor(message);
    }
    img.decoding = "async";
    img.src = (map ? map.src : url).href;
    img.addEventListener("load", () => keepAtEnd());
    img.addEventListener("error", () => {
      frame.replaceWith(el("p", "bubble-line image-missing", `The picture could not be shown (${map ? map.title : img.alt}).`));
      size.remove();
    });
    frame.append(img);
    const caption = el("figcaption", "picture-caption");
    if (map) caption.append(el("span", "picture-title", map.title));
    const size = el("button", "picture-size", "Full size");
    size.type = "button";
    size.setAttribute("aria-pressed", "false");
    caption.append(size);
    figure.append(frame, caption);
    return figure;
  }

  function toggleFullSize(button) {
    const figure = button.closest(".bubble-image");
    const frame = figure.querySelector(".picture-frame");
    const on = !figure.classList.contains("full-size");
    figure.classList.toggle("full-size", on);
    button.setAttribute("aria-pressed", String(on));
    // A region that scrolls must be reachable by keyboard (WCAG 2.1.1).
    if (on) {
      frame.tabIndex = 0;
      frame.setAttribute("role", "region");
      frame.setAttribute("aria-label", "Picture at full size");
    } else {
      frame.removeAttribute("tabindex");
      frame.removeAttribute("role");
      frame.removeAttribute("aria-label");
    }
  }

  function repliesGroup(buttons) {
    const group = el("div", "replies");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Suggested replies");
    for (const b of buttons) {
      const button = el("button", "reply-button", b.title);
      button.type = "button";
      button.dataset.payload = b.payload;
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
    // A heading per turn: "Assistant 14:02" / "You 14:02".
    const heading = el("h2", "turn-meta");
    heading.append(el("span", "turn-who", bot ? "Assistant" : "You"));
    const time = timeLabel(turn.time);
    if (time) {
      const t = el("time", "turn-time", time);
      t.dateTime = turn.time;
      heading.append(" ", t);
    }
    body.append(heading);
    const buttons = [];
    let afterText = false;
    for (const message of turn.messages) {
      if (message.text) {
        if (bot && isSummary(message.text)) {
          body.append(summaryBubble(message.text));
        } else {
          const bubble = el("div", `bubble${message.notice ? " bubble-notice" : ""}`);
          bubble.append(formatText(message.text));
          body.append(bubble);
        }
        afterText = true;
      }
      if (message.image) {
        const figure = imageBubble(message, afterText);
        if (figure) body.append(figure);
      }
      if (message.buttons) buttons.push(...message.buttons);
    }
    // Buttons after everything the reply says, never between its messages (the 999 line
    // may come after an answer).
    if (buttons.length) body.append(repliesGroup(buttons));
    node.append(body);
    return node;
  }

  function addTurnNode(node) {
    els.log.insertBefore(node, els.typing);
  }

  // ---------------------------------------------------------------- scrolling

  let followTurn = null;

  /** Short screens: the page scrolls, not the log (chat.css). */
  function pageScrolls() {
    return getComputedStyle(els.log).overflowY === "visible";
  }

  function keepAtEnd() {
    if (pageScrolls()) {
      const page = document.scrollingElement || document.documentElement;
      if (followTurn && followTurn.isConnected) {
        const room = window.innerHeight - els.topbar.getBoundingClientRect().height;
        const toEnd = page.scrollHeight - (followTurn.getBoundingClientRect().top + window.scrollY);
        // All of the reply and the message box fit: show both; else the reply's beginning.
        if (toEnd > room) {
          followTurn.scrollIntoView({ block: "start" });
          return;
        }
      }
      page.scrollTop = page.scrollHeight;
      return;
    }
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
    const sender = state.sender;
    try {
      const response = await fetch(`${rasaUrl()}/webhooks/rest/webhook`, {
        method: "POST",
        // X-Conversation-Id: a load balancer keeps the conversation on one replica (docs/scaling.md)
        headers: { "Content-Type": "application/json", "X-Conversation-Id": sender },
        body: JSON.stringify({ sender, message }),
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

  const isClosed = (button) => button.disabled || button.getAttribute("aria-disabled") === "true";

  function markChosen(button, on) {
    button.classList.toggle("chosen", on);
    for (const part of button.querySelectorAll(".chosen-mark, .chosen-text")) part.remove();
    if (!on) return;
    const mark = el("span", "chosen-mark", "✓");
    mark.setAttribute("aria-hidden", "true");
    button.prepend(mark);
    button.append(el("span", "chosen-text visually-hidden", YOUR_ANSWER));
  }

  /**
   * Close every open reply button (they answer an earlier question); return them.
   * The chosen one says so in its name and stays focusable (aria-disabled), so focus stays
   * where the person left it; the others are disabled, out of the Tab order. An earlier
   * answer stops being a Tab stop once a newer one is given.
   */
  function closeReplies(chosen) {
    for (const old of els.log.querySelectorAll('.reply-button[aria-disabled="true"]')) {
      if (old !== chosen && old !== document.activeElement) {
        old.removeAttribute("aria-disabled");
        old.disabled = true;
      }
    }
    const open = Array.from(els.log.querySelectorAll(".reply-button")).filter((b) => !isClosed(b));
    for (const button of open) {
      if (button === chosen) button.setAttribute("aria-disabled", "true");
      else button.disabled = true;
    }
    if (chosen) markChosen(chosen, true);
    return open;
  }

  function reopenReplies(buttons, chosen) {
    for (const button of buttons) {
      button.disabled = false;
      button.removeAttribute("aria-disabled");
    }
    if (chosen) markChosen(chosen, false);
  }

  /**
   * Send `payload` to Rasa, showing `shown` as the user's message.
   * typed: it came from the text box, so it goes back there if sending fails.
   */
  async function send(payload, shown, { typed = false, chosen = null } = {}) {
    if (busy || state.exited || !payload.trim()) return;
    showError("");
    const closed = closeReplies(chosen);
    const userTurn = { who: "user", time: new Date().toISOString(), messages: [{ text: shown }] };
    const userNode = renderTurn(userTurn);
    addTurnNode(userNode);
    followTurn = null;
    state.talked = true;
    setBusy(true);
    let replies;
    try {
      replies = await postToRasa(payload);
    } catch (_) {
      if (state.exited) return;
      userNode.remove();
      reopenReplies(closed, chosen);
      if (typed && !els.input.value) els.input.value = shown;
      showError(UNAVAILABLE);
      setBusy(false);
      return;
    }
    if (state.exited) return;
    let messages = normalise(replies);
    if (!messages.length) messages = [{ text: NO_REPLY, notice: true, buttons: [] }];
    const botTurn = { who: "bot", time: new Date().toISOString(), messages };
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

  function onLogClick(event) {
    const copy = event.target.closest(".copy-button");
    if (copy) {
      copySummary(copy);
      return;
    }
    const size = event.target.closest(".picture-size");
    if (size) {
      toggleFullSize(size);
      return;
    }
    const button = event.target.closest(".reply-button");
    if (!button || isClosed(button) || busy) return;
    // Focus stays on the answer given (a click may not have focused it, as in Safari): the
    // reply follows it in reading and Tab order. No jump to the text box, which would pop
    // up a phone's keyboard.
    if (document.activeElement !== button) button.focus({ preventScroll: true });
    const title = button.textContent;
    send(button.dataset.payload || title, title, { chosen: button });
  }

  function setNotice(shown) {
    els.notice.hidden = !shown;
    els.noticeToggle.setAttribute("aria-expanded", String(shown));
  }

  function start() {
    els.quickExit.addEventListener("click", quickExit);
    document.addEventListener("keydown", onKeydown);
    // The skip link moves focus itself: following "#message" would add a history entry
    // that leads back here after a quick exit.
    els.skip.addEventListener("click", (event) => {
      event.preventDefault();
      els.input.focus();
    });
    els.noticeToggle.addEventListener("click", () => setNotice(els.notice.hidden));
    els.noticeClose.addEventListener("click", () => {
      setNotice(false);
      els.noticeToggle.focus();
    });
    els.form.addEventListener("submit", onSubmit);
    els.log.addEventListener("click", onLogClick);
    window.addEventListener("resize", () => { if (!pageScrolls()) keepAtEnd(); });
    // Shown again from the back/forward cache after a quick exit: leave again.
    window.addEventListener("pageshow", (event) => {
      if (event.persisted && state.exited) window.location.replace(exitUrl());
    });
    document.documentElement.classList.add("ready");
  }

  start();
})();
