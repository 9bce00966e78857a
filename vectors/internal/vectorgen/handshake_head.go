package vectorgen

import "strings"

// The generator's own tiny HTTP head builder: heads are written out field
// by field from RFC 6455's examples, so that the vectors do not depend on
// package handshake.

// hf is one header field line.
type hf struct{ name, value string }

// head is a start line and header fields.
type head struct {
	start  string
	fields []hf
}

// text writes the head with CRLF line ends and the final empty line.
func (h head) text() string {
	var b strings.Builder
	b.WriteString(h.start)
	b.WriteString("\r\n")
	for _, f := range h.fields {
		b.WriteString(f.name)
		b.WriteString(": ")
		b.WriteString(f.value)
		b.WriteString("\r\n")
	}
	b.WriteString("\r\n")
	return b.String()
}

// withStart returns a copy of h with another start line.
func (h head) withStart(start string) head {
	return head{start, h.fields}
}

// set returns a copy of h in which the first field named name (compared
// case-insensitively) has the given value, or with the field appended.
func (h head) set(name, value string) head {
	out := head{start: h.start}
	done := false
	for _, f := range h.fields {
		if !done && strings.EqualFold(f.name, name) {
			f, done = hf{f.name, value}, true
		}
		out.fields = append(out.fields, f)
	}
	if !done {
		out.fields = append(out.fields, hf{name, value})
	}
	return out
}

// rename returns a copy of h with every field named name (in any case)
// spelled newName.
func (h head) rename(name, newName string) head {
	out := head{start: h.start}
	for _, f := range h.fields {
		if strings.EqualFold(f.name, name) {
			f.name = newName
		}
		out.fields = append(out.fields, f)
	}
	return out
}

// del returns a copy of h without the fields named name.
func (h head) del(name string) head {
	out := head{start: h.start}
	for _, f := range h.fields {
		if !strings.EqualFold(f.name, name) {
			out.fields = append(out.fields, f)
		}
	}
	return out
}

// add returns a copy of h with a field appended.
func (h head) add(name, value string) head {
	return head{h.start, append(append([]hf(nil), h.fields...), hf{name, value})}
}

// rfcRequest is the client request of RFC 6455 sections 1.2 and 1.3, field for
// field.
var rfcRequest = head{"GET /chat HTTP/1.1", []hf{
	{"Host", "server.example.com"},
	{"Upgrade", "websocket"},
	{"Connection", "Upgrade"},
	{"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
	{"Origin", "http://example.com"},
	{"Sec-WebSocket-Protocol", "chat, superchat"},
	{"Sec-WebSocket-Version", "13"},
}}

// rfcHandshakeKey is the key of the RFC's example.
const rfcHandshakeKey = "dGhlIHNhbXBsZSBub25jZQ=="

// minimalRequest has only the fields a server requires.
var minimalRequest = head{"GET /chat HTTP/1.1", []hf{
	{"Host", "server.example.com"},
	{"Upgrade", "websocket"},
	{"Connection", "Upgrade"},
	{"Sec-WebSocket-Key", rfcHandshakeKey},
	{"Sec-WebSocket-Version", "13"},
}}

// seedRequest is the browser request shown in the seed tutorial
// (../shared/seed), field for field and in the order shown there. Its
// response there is not reused: the accept value is computed.
var seedRequest = head{"GET / HTTP/1.1", []hf{
	{"Accept-Encoding", "gzip, deflate, br"},
	{"Accept-Language", "zh-CN,zh;q=0.9"},
	{"Cache-Control", "no-cache"},
	{"Connection", "Upgrade"},
	{"Host", "localhost:8888"},
	{"Origin", "http://127.0.0.1:8080"},
	{"Pragma", "no-cache"},
	{"Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits"},
	{"Sec-WebSocket-Key", "PTJ1jznYuIh0LHj5uWUegg=="},
	{"Sec-WebSocket-Version", "13"},
	{"Upgrade", "websocket"},
	{"User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36"},
}}

const seedKey = "PTJ1jznYuIh0LHj5uWUegg=="

// response101 writes the 101 answer RFC 6455 section 4.2.2 describes, in
// the field order wskit's server uses: Upgrade, Connection,
// Sec-WebSocket-Accept, then Sec-WebSocket-Protocol and
// Sec-WebSocket-Extensions when not empty.
func response101(key, subprotocol, extensions string) head {
	h := head{"HTTP/1.1 101 Switching Protocols", []hf{
		{"Upgrade", "websocket"},
		{"Connection", "Upgrade"},
		{"Sec-WebSocket-Accept", accept(key, guid)},
	}}
	if subprotocol != "" {
		h = h.add("Sec-WebSocket-Protocol", subprotocol)
	}
	if extensions != "" {
		h = h.add("Sec-WebSocket-Extensions", extensions)
	}
	return h
}
