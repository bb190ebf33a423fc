// The customer's side of the web chat. Everything received is shown with textContent (never
// as markup), links only as http(s) addresses the customer chooses to open.
"use strict";

const $ = (id) => document.getElementById(id);
if (new URLSearchParams(location.search).has("embedded")) {
  document.body.classList.add("embedded");
}
const log = $("log");
const MAX = 2000;
let socket = null;
let typingSent = false;
let typingTimer = null;
let ended = false;

function showError(text) {
  $("error").textContent = text;
  $("error").hidden = !text;
}

function scrollDown() {
  log.scrollTop = log.scrollHeight;
}

function addMessage(kind, author, text) {
  const item = document.createElement("li");
  item.className = kind;
  const who = document.createElement("div");
  who.className = "author";
  who.textContent = author;
  const bubble = document.createElement("div");
  bubble.className = "bubble";
  bubble.textContent = text;
  item.append(who, bubble);
  log.append(item);
  scrollDown();
}

function addNotice(text) {
  const item = document.createElement("li");
  item.className = "notice";
  item.textContent = text;
  log.append(item);
  scrollDown();
}

function isWebAddress(url) {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:";
  } catch (_) {
    return false;
  }
}

function addInvitation(author, url) {
  const item = document.createElement("li");
  item.className = "agent link";
  const card = document.createElement("div");
  card.className = "invitation";
  const title = document.createElement("div");
  title.className = "author";
  title.textContent = author + " invites you to open this page:";
  const address = document.createElement("div");
  address.className = "url";
  address.textContent = url;
  card.append(title, address);
  if (isWebAddress(url)) {
    const open = document.createElement("a");
    open.className = "open";
    open.href = url;
    open.target = "_blank";
    open.rel = "noopener noreferrer";
    open.textContent = "Open the page";
    card.append(open);
  }
  item.append(card);
  log.append(item);
  scrollDown();
}

function send(message) {
  if (socket && socket.readyState === WebSocket.OPEN) {
    socket.send(JSON.stringify(message));
  }
}

function setTyping(on) {
  if (on !== typingSent) {
    typingSent = on;
    send({ type: "typing", on });
  }
}

function finish(text) {
  ended = true;
  addNotice(text);
  $("typing").hidden = true;
  $("message").disabled = true;
  $("send").disabled = true;
  $("end").disabled = true;
  $("status").textContent = "This chat has ended.";
}

function onServer(event) {
  let message;
  try {
    message = JSON.parse(event.data);
  } catch (_) {
    return;
  }
  switch (message.type) {
    case "started":
      $("start-form").hidden = true;
      $("conversation").hidden = false;
      $("status").textContent = "Hello " + message.name + ". Write your question below.";
      $("message").focus();
      break;
    case "message":
      $("typing").hidden = true;
      addMessage("agent", message.author, message.text);
      break;
    case "typing":
      $("typing").textContent = message.author + " is typing…";
      $("typing").hidden = !message.on;
      break;
    case "link":
      addInvitation(message.author, message.url);
      break;
    case "notice":
      addNotice(message.text);
      break;
    case "ended":
      finish(message.text);
      break;
    case "error":
      showError(message.text);
      break;
  }
}

function connect(name) {
  const scheme = location.protocol === "https:" ? "wss://" : "ws://";
  socket = new WebSocket(scheme + location.host + "/ws");
  socket.addEventListener("open", () => send({ type: "start", name }));
  socket.addEventListener("message", onServer);
  socket.addEventListener("close", () => {
    if (!ended) {
      showError("The connection to the chat was lost. Reload the page to start again.");
    }
  });
}

$("start-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const name = $("name").value.trim();
  if (!name) {
    showError("Please enter your name to start.");
    return;
  }
  showError("");
  $("start").disabled = true;
  connect(name);
});

$("message").addEventListener("input", () => {
  const length = $("message").value.length;
  $("count").textContent = length + " / " + MAX;
  setTyping(length > 0);
  clearTimeout(typingTimer);
  typingTimer = setTimeout(() => setTyping(false), 4000);
});

$("message").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey) {
    event.preventDefault();
    $("message-form").requestSubmit();
  }
});

$("message-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const text = $("message").value;
  if (!text.trim() || ended) {
    return;
  }
  showError("");
  send({ type: "message", text });
  addMessage("you", "You", text);
  $("message").value = "";
  $("count").textContent = "0 / " + MAX;
  setTyping(false);
});

$("end").addEventListener("click", () => send({ type: "end" }));
