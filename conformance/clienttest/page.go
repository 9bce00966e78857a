package clienttest

import (
	"html"
	"strings"
)

// page is served at "/": the API's description, and a runner that plays
// every case in the browser's own WebSocket, the way a client harness
// does (getCaseCount, then runCase for each case, echoing every message,
// then updateReports), and shows the browser's verdicts from /results,
// fetched before updateReports (which may stop the server).
// With ?agent=NAME&autorun=1 it starts at once; window.wskitSuite holds
// its progress and, at the end, the results, for scripts that drive a
// browser. It needs nothing from anywhere else.
var page = strings.Replace(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>wskit client suite</title>
<style>
body { font: 15px/1.4 system-ui, sans-serif; max-width: 56em; margin: 2em auto; padding: 0 1em; }
pre { background: #f6f6f6; padding: .5em; overflow: auto; }
table { border-collapse: collapse; }
td, th { border: 1px solid #ccc; padding: .1em .5em; text-align: left; }
.OK { color: #050; } .FAILED, .UNCLEAN, .WRONG { color: #a00; font-weight: bold; } .NON-STRICT, .INFORMATIONAL { color: #850; }
</style>
</head>
<body>
<h1>wskit client suite</h1>
<p>Runs every case in this browser's own <code>WebSocket</code>: the server plays each case, the
page echoes every message it receives, and the server judges the browser.</p>
<form id="form"><label>Agent <input id="agent" size="30"></label> <button id="run">Run all cases</button></form>
<p id="status">idle</p>
<table id="summary"></table>
<details><summary>The API, for client test harnesses</summary><pre>@API@</pre></details>
<script>
"use strict";
const $ = (id) => document.getElementById(id);
const base = (location.protocol === "https:" ? "wss://" : "ws://") + location.host;
const params = new URLSearchParams(location.search);
window.wskitSuite = { count: 0, done: 0, finished: false, results: null, error: null };
$("agent").value = params.get("agent") || navigator.userAgent.replace(/^.*\) /, "").split(" ")[0] || "browser";

// open connects to path and resolves when the connection closes; each
// message goes to onMessage.
function open(path, onMessage) {
  return new Promise((resolve) => {
    let ws;
    try { ws = new WebSocket(base + path); } catch (e) { resolve(); return; }
    ws.binaryType = "arraybuffer";
    ws.onmessage = (e) => onMessage(ws, e.data);
    ws.onclose = () => resolve();
  });
}

async function run(agent) {
  const s = window.wskitSuite;
  const a = encodeURIComponent(agent);
  $("run").disabled = true;
  await open("/getCaseCount", (ws, data) => { s.count = parseInt(data, 10); });
  if (!(s.count > 0)) { s.error = "no case count"; $("status").textContent = s.error; return; }
  for (let i = 1; i <= s.count; i++) {
    $("status").textContent = "case " + i + " of " + s.count;
    await open("/runCase?case=" + i + "&agent=" + a, (ws, data) => {
      try { ws.send(data); } catch (e) { /* the connection is closing */ }
    });
    s.done = i;
  }
  // The last case's status waits for its verdict; then every result is
  // in, and the reports can be written (which may stop the server).
  await open("/getCaseStatus?case=" + s.count + "&agent=" + a, () => {});
  const resp = await fetch("/results?agent=" + a);
  s.results = await resp.json();
  show(s.results);
  await open("/updateReports?agent=" + a, () => {});
  s.finished = true;
  $("status").textContent = "done: " + s.count + " cases";
  $("run").disabled = false;
}

// show tabulates the verdicts: how many cases got each.
function show(results) {
  const counts = {};
  const walk = (v) => {
    if (v && typeof v === "object") {
      if (typeof v.behavior === "string") {
        const k = v.behavior + " / " + v.behaviorClose;
        counts[k] = (counts[k] || 0) + 1;
      } else {
        Object.values(v).forEach(walk);
      }
    }
  };
  walk(results);
  const t = $("summary");
  t.textContent = "";
  const head = t.insertRow();
  ["behavior / close", "cases"].forEach((h) => { const c = document.createElement("th"); c.textContent = h; head.appendChild(c); });
  for (const [k, n] of Object.entries(counts).sort()) {
    const r = t.insertRow();
    r.insertCell().textContent = k;
    r.cells[0].className = /FAILED|WRONG|UNCLEAN/.test(k) ? "FAILED" : k.split(" ")[0];
    r.insertCell().textContent = n;
  }
}

$("form").onsubmit = (e) => {
  e.preventDefault();
  run($("agent").value).catch((err) => { window.wskitSuite.error = String(err); $("status").textContent = String(err); });
};
if (params.get("autorun") === "1") {
  run($("agent").value).catch((err) => { window.wskitSuite.error = String(err); $("status").textContent = String(err); });
}
</script>
</body>
</html>
`, "@API@", html.EscapeString(apiHelp), 1)
