package loopback

import (
	"strconv"

	"github.com/wskit/wskit/handshake"
)

// echoPage is the page served at "/": it connects back to the server and
// shows what comes back, so a browser can be tried against it by hand.
const echoPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>wskit loopback echo</title>
<style>
body { font: 15px/1.4 system-ui, sans-serif; max-width: 40em; margin: 2em auto; }
#log { border: 1px solid #ccc; padding: .5em; min-height: 10em; white-space: pre-wrap; font-family: monospace; }
</style>
</head>
<body>
<h1>wskit loopback echo</h1>
<p>Every message sent here is echoed by the server.</p>
<form id="f"><input id="m" size="40" value="Hello, WebSocket" autofocus> <button>Send</button></form>
<div id="log"></div>
<script>
const log = (s) => { document.getElementById("log").textContent += s + "\n"; };
const ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/");
ws.onopen = () => log("open");
ws.onmessage = (e) => log("echo: " + e.data);
ws.onclose = (e) => log("closed: " + e.code + " " + e.reason);
document.getElementById("f").onsubmit = (e) => {
  e.preventDefault();
  const m = document.getElementById("m").value;
  ws.send(m);
  log("sent: " + m);
};
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
