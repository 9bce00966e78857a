package loopback

import (
	"strconv"

	"github.com/wskit/wskit/handshake"
)

// echoPage is the page served at "/": it connects back to the server in
// the browser's own WebSocket and shows the connection's state, the
// negotiated subprotocol and extensions, and every message sent and
// echoed, so a browser can be tried against the server by hand or by a
// script (the elements have IDs; window.wskitEcho counts the echoes that
// matched what was sent). It needs nothing from anywhere else.
const echoPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>wskit loopback echo</title>
<style>
body { font: 15px/1.4 system-ui, sans-serif; max-width: 48em; margin: 2em auto; padding: 0 1em; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2em 1em; }
dt { font-weight: bold; }
textarea { width: 100%; box-sizing: border-box; font-family: monospace; }
#log { border: 1px solid #ccc; padding: .5em; min-height: 10em; max-height: 30em; overflow: auto; white-space: pre-wrap; overflow-wrap: anywhere; font-family: monospace; }
.sent { color: #035; } .echo { color: #050; } .bad { color: #a00; font-weight: bold; } .info { color: #555; }
</style>
</head>
<body>
<h1>wskit loopback echo</h1>
<p>Every message sent from here is echoed by the server.</p>
<dl>
<dt>State</dt><dd id="state">connecting</dd>
<dt>URL</dt><dd id="url"></dd>
<dt>Subprotocol</dt><dd id="protocol"></dd>
<dt>Extensions</dt><dd id="extensions"></dd>
<dt>Echoes</dt><dd><span id="matched">0</span> matched, <span id="mismatched">0</span> differed</dd>
</dl>
<form id="form">
<textarea id="message" rows="3" autofocus>Hello, WebSocket</textarea>
<p><button id="send">Send</button> <button id="reconnect" type="button">Reconnect</button></p>
</form>
<div id="log"></div>
<script>
"use strict";
const $ = (id) => document.getElementById(id);
const states = ["connecting", "open", "closing", "closed"];
const pending = [];
window.wskitEcho = { matched: 0, mismatched: 0, closed: null };
const short = (s) => s.length > 200 ? s.slice(0, 200) + "... (" + s.length + " characters)" : s;
function log(kind, text) {
  const line = document.createElement("div");
  line.className = kind;
  line.textContent = kind + ": " + text;
  $("log").appendChild(line);
  $("log").scrollTop = $("log").scrollHeight;
}
let ws;
function connect() {
  const url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/";
  ws = new WebSocket(url);
  $("url").textContent = url;
  const show = () => {
    $("state").textContent = states[ws.readyState];
    $("protocol").textContent = ws.protocol || "none";
    $("extensions").textContent = ws.extensions || "none";
  };
  show();
  ws.onopen = () => { show(); log("info", "open"); };
  ws.onmessage = (e) => {
    const want = pending.shift();
    const ok = e.data === want;
    window.wskitEcho[ok ? "matched" : "mismatched"]++;
    $("matched").textContent = window.wskitEcho.matched;
    $("mismatched").textContent = window.wskitEcho.mismatched;
    log(ok ? "echo" : "bad", short(String(e.data)));
  };
  ws.onerror = () => log("bad", "error");
  ws.onclose = (e) => {
    show();
    window.wskitEcho.closed = { code: e.code, reason: e.reason, clean: e.wasClean };
    log("info", "closed: " + e.code + " " + e.reason + (e.wasClean ? "" : " (not clean)"));
  };
}
$("form").onsubmit = (e) => {
  e.preventDefault();
  const m = $("message").value;
  if (ws.readyState !== WebSocket.OPEN) { log("bad", "not open"); return; }
  pending.push(m);
  ws.send(m);
  log("sent", short(m));
};
$("reconnect").onclick = () => { if (ws) ws.close(1000, "reconnect"); connect(); };
connect();
</script>
</body>
</html>
`

// page answers a plain HTTP GET: the echo page at "/", 404 elsewhere.
func (c *conn) page(req *handshake.Request) {
	status, ctype, body := "200 OK", "text/html", echoPage
	if req.Resource() != "/" {
		status, ctype, body = "404 Not Found", "text/plain", "not found\n"
	}
	c.nc.Write([]byte("HTTP/1.1 " + status + "\r\nContent-Type: " + ctype + "; charset=utf-8\r\nContent-Length: " +
		strconv.Itoa(len(body)) + "\r\nConnection: close\r\n\r\n" + body))
}
