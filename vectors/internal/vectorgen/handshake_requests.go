package vectorgen

import (
	"strings"

	"github.com/wskit/wskit/vectors"
)

// Requirement lists shared by the accepted-request vectors: every valid
// request is answered with the 101 RFC 6455 section 4.2.2 describes.
var (
	response101Reqs = []string{"H-4.2.2-101", "H-4.2.2-upgrade", "H-4.2.2-connection", "H-4.2.2-accept", "H-11.3.3-accept-once"}
	allow           = []vectors.HeaderField{{Name: "Allow", Value: "GET"}}
	version13       = []vectors.HeaderField{{Name: "Sec-WebSocket-Version", Value: "13"}, {Name: "Upgrade", Value: "websocket"}}
)

// reqVector starts a request vector.
func reqVector(id, desc, source string, reqs []string, request string) vectors.RequestVector {
	if source == "" {
		source = "generated"
	}
	return vectors.RequestVector{
		Common:  vectors.Common{ID: id, Description: desc, Source: source, Requirements: reqs},
		Request: request,
	}
}

// accepted is a request vector the server accepts.
func accepted(id, desc, source string, reqs []string, h head, key string, policy *vectors.ServerPolicy, subprotocol, extensions string) vectors.RequestVector {
	v := reqVector(id, desc, source, append(append([]string(nil), response101Reqs...), reqs...), h.text())
	v.Server = policy
	v.Accept = &vectors.RequestAccept{Subprotocol: subprotocol, Extensions: extensions, Response: response101(key, subprotocol, extensions).text()}
	return v
}

// rejected is a request vector the server refuses.
func rejected(id, desc string, request string, status int, requirement string, header []vectors.HeaderField, more ...string) vectors.RequestVector {
	reqs := append([]string{requirement}, more...)
	v := reqVector(id, desc, "generated", reqs, request)
	v.Reject = &vectors.RequestReject{Status: status, Requirement: requirement, Header: header}
	return v
}

func requestVectors() []vectors.RequestVector {
	var out []vectors.RequestVector
	add := func(v ...vectors.RequestVector) { out = append(out, v...) }

	// Valid requests.
	add(accepted("req-rfc6455-1.3", "The client request of RFC 6455 section 1.3; the server speaks chat, so it answers with the RFC's response", "RFC6455 1.3",
		[]string{"H-4.2.2-subprotocol", "H-11.3.4-protocol-once"},
		rfcRequest, rfcHandshakeKey, &vectors.ServerPolicy{Subprotocols: []string{"chat"}}, "chat", ""))
	add(accepted("req-rfc6455-1.3-no-subprotocol", "The RFC request to a server that speaks none of the offered subprotocols: no Sec-WebSocket-Protocol in the answer", "RFC6455 1.3",
		[]string{"H-4.2.2-subprotocol"}, rfcRequest, rfcHandshakeKey, nil, "", ""))
	add(accepted("req-rfc6455-1.3-server-preference", "The server speaks only superchat, the client's second choice", "RFC6455 1.3",
		[]string{"H-4.2.2-subprotocol"}, rfcRequest, rfcHandshakeKey, &vectors.ServerPolicy{Subprotocols: []string{"superchat"}}, "superchat", ""))
	add(accepted("req-seed-browser", "The browser request of the seed tutorial, offering permessage-deflate with a bare client_max_window_bits; the server accepts permessage-deflate without parameters", "seed tutorial",
		[]string{"H-4.2.2-extensions", "H-11.3.2-extensions-once", "H-9.1-ext-grammar"},
		seedRequest, seedKey, &vectors.ServerPolicy{Extensions: []string{"permessage-deflate"}}, "", "permessage-deflate"))
	add(accepted("req-seed-browser-declined", "The seed browser request to a server without extensions: declining is no error, and the answer has no Sec-WebSocket-Extensions", "seed tutorial",
		[]string{"H-4.2.2-extensions"}, seedRequest, seedKey, nil, "", ""))
	lowercase := minimalRequest
	for _, f := range minimalRequest.fields {
		lowercase = lowercase.rename(f.name, strings.ToLower(f.name))
	}
	add(accepted("req-lowercase-names", "Every field name in lower case, Upgrade: WebSocket in mixed case: names and the upgrade token compare case-insensitively", "",
		[]string{"H-4.2.1-upgrade", "H-4.2.1-host", "H-4.2.1-key"}, lowercase.set("upgrade", "WebSocket"), rfcHandshakeKey, nil, "", ""))
	mixed := minimalRequest.rename("Host", "HOST").rename("Upgrade", "uPgRaDe").rename("Connection", "CONNECTION").
		rename("Sec-WebSocket-Key", "sec-WEBSOCKET-key").rename("Sec-WebSocket-Version", "SEC-WEBSOCKET-VERSION")
	add(accepted("req-mixed-case", "Field names and values in odd cases: UPGRADE and WEBSOCKET tokens", "",
		[]string{"H-4.2.1-upgrade", "H-4.2.1-connection"}, mixed.set("uPgRaDe", "WEBSOCKET").set("CONNECTION", "UPGRADE"), rfcHandshakeKey, nil, "", ""))
	add(accepted("req-connection-keep-alive", "Connection: keep-alive, Upgrade, as Firefox sends it", "",
		[]string{"H-4.2.1-connection"}, minimalRequest.set("Connection", "keep-alive, Upgrade"), rfcHandshakeKey, nil, "", ""))
	add(accepted("req-connection-two-lines", "The Connection tokens over two field lines", "",
		[]string{"H-4.2.1-connection"}, minimalRequest.set("Connection", "keep-alive").add("Connection", "Upgrade"), rfcHandshakeKey, nil, "", ""))
	add(accepted("req-connection-empty-elements", "Connection with empty list elements, which a recipient accepts (RFC 9110 section 5.6.1)", "",
		[]string{"H-4.2.1-connection"}, minimalRequest.set("Connection", ", ,Upgrade,"), rfcHandshakeKey, nil, "", ""))
	add(accepted("req-upgrade-list", "Upgrade lists another protocol first: the request only has to contain websocket", "",
		[]string{"H-4.2.1-upgrade"}, minimalRequest.set("Upgrade", "foo/2, websocket"), rfcHandshakeKey, nil, "", ""))
	ncKey := "AQIDBAUGBwgJCgsMDQ4PEC=="
	add(accepted("req-key-noncanonical", "RFC 6455 section 4.1's own example key, non-canonical base64 (the last character's unused bits are set), decodes to 16 bytes and is accepted; the accept is computed on the string as sent", "RFC6455 4.1",
		[]string{"H-4.2.1-key"}, minimalRequest.set("Sec-WebSocket-Key", ncKey), ncKey, nil, "", ""))
	add(accepted("req-ows", "Spaces and tabs around every value: the key is hashed without them", "",
		[]string{"H-4.2.1-key", "H-4.2.1-version"},
		head{"GET /chat HTTP/1.1", []hf{
			{"Host", " server.example.com\t"}, {"Upgrade", "\t websocket"}, {"Connection", "Upgrade  "},
			{"Sec-WebSocket-Key", "\t " + rfcHandshakeKey + " \t"}, {"Sec-WebSocket-Version", " 13 "},
		}}, rfcHandshakeKey, nil, "", ""))
	add(withRequest(accepted("req-no-space-after-colon", "No space after any colon", "",
		[]string{"H-4.2.1-key"}, head{}, rfcHandshakeKey, nil, "", ""),
		"GET /chat HTTP/1.1\r\nHost:server.example.com\r\nUpgrade:websocket\r\nConnection:Upgrade\r\nSec-WebSocket-Key:"+rfcHandshakeKey+"\r\nSec-WebSocket-Version:13\r\n\r\n"))
	add(accepted("req-protocol-two-lines", "Sec-WebSocket-Protocol over two lines is one list; the server picks the client's first choice it speaks", "",
		[]string{"H-4.2.1-protocol-grammar", "H-4.2.2-subprotocol", "H-11.3.4-protocol-once"},
		minimalRequest.add("Sec-WebSocket-Protocol", "chat").add("Sec-WebSocket-Protocol", "superchat"), rfcHandshakeKey,
		&vectors.ServerPolicy{Subprotocols: []string{"superchat", "chat"}}, "chat", ""))
	add(accepted("req-protocol-empty-elements", "Sec-WebSocket-Protocol with empty list elements", "",
		[]string{"H-4.2.1-protocol-grammar"}, minimalRequest.add("Sec-WebSocket-Protocol", " , v2.chat.example ,"), rfcHandshakeKey,
		&vectors.ServerPolicy{Subprotocols: []string{"v2.chat.example"}}, "v2.chat.example", ""))
	add(accepted("req-extensions-two-lines", "Sec-WebSocket-Extensions over two lines is one list; the server answers both in one field", "",
		[]string{"H-9.1-ext-grammar", "H-4.2.2-extensions", "H-11.3.2-extensions-once"},
		minimalRequest.add("Sec-WebSocket-Extensions", "foo").add("Sec-WebSocket-Extensions", "bar; baz=2"), rfcHandshakeKey,
		&vectors.ServerPolicy{Extensions: []string{"bar", "foo"}}, "", "foo, bar"))
	add(accepted("req-extensions-rfc-example", "RFC 6455 section 9.1's example list; the server supports only deflate-stream", "RFC6455 9.1",
		[]string{"H-9.1-ext-grammar", "H-4.2.2-extensions"},
		minimalRequest.add("Sec-WebSocket-Extensions", "mux; max-channels=4; flow-control, deflate-stream"), rfcHandshakeKey,
		&vectors.ServerPolicy{Extensions: []string{"deflate-stream"}}, "", "deflate-stream"))
	add(accepted("req-extensions-fallback-offer", "RFC 7692 section 7.1.3's offer with a fallback, whitespace around the comma; the first offer of the name is accepted", "RFC7692 7.1.3",
		[]string{"H-9.1-ext-grammar", "H-4.2.2-extensions"},
		minimalRequest.add("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits; server_max_window_bits=10 , permessage-deflate; client_max_window_bits"), rfcHandshakeKey,
		&vectors.ServerPolicy{Extensions: []string{"permessage-deflate"}}, "", "permessage-deflate"))
	add(accepted("req-extensions-quoted", `A quoted parameter value that unescapes to a token: x="10"`, "RFC7692 5.2",
		[]string{"H-9.1-ext-grammar"}, minimalRequest.add("Sec-WebSocket-Extensions", `permessage-foo; x="10"`), rfcHandshakeKey, nil, "", ""))
	withFrame := reqVector("req-trailing-frame", "A masked text frame arrives with the head; it is handed on untouched", "generated",
		append([]string{"H-4.1-wait"}, response101Reqs...), minimalRequest.text())
	withFrame.Trailing = vectors.Hex{0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}
	withFrame.Accept = &vectors.RequestAccept{Response: response101(rfcHandshakeKey, "", "").text()}
	add(withFrame)
	add(withRequest(accepted("req-leading-empty-lines", "Two empty lines before the request line are skipped (RFC 9112 section 2.2)", "",
		[]string{"H-4.2.1-reject"}, minimalRequest, rfcHandshakeKey, nil, "", ""), "\r\n\r\n"+minimalRequest.text()))
	add(accepted("req-absolute-form", "An absolute http URI as request-target names the resource /chat", "",
		[]string{"H-4.1-req-target", "H-4.2.2-resource"}, minimalRequest.withStart("GET http://server.example.com/chat HTTP/1.1"), rfcHandshakeKey,
		&vectors.ServerPolicy{Resources: []string{"/chat"}}, "", ""))
	add(accepted("req-resource-query", "A resource name with a query", "",
		[]string{"H-4.2.2-resource"}, minimalRequest.withStart("GET /chat?room=1 HTTP/1.1"), rfcHandshakeKey,
		&vectors.ServerPolicy{Resources: []string{"/chat?room=1"}}, "", ""))
	add(accepted("req-http-1.2", "HTTP/1.2 is a later HTTP/1.x and may upgrade", "",
		[]string{"H-4.2.1-http11"}, minimalRequest.withStart("GET /chat HTTP/1.2"), rfcHandshakeKey, nil, "", ""))
	add(accepted("req-origin-allowed", "The server serves only http://example.com, and the RFC request comes from there", "RFC6455 1.3",
		[]string{"H-4.2.2-origin", "H-4.1-req-origin"}, rfcRequest, rfcHandshakeKey, &vectors.ServerPolicy{Origins: []string{"http://example.com"}}, "", ""))
	add(accepted("req-content-length-zero", "Content-Length: 0 announces no content", "",
		[]string{"H-4.2.1-reject"}, minimalRequest.add("Content-Length", "0"), rfcHandshakeKey, nil, "", ""))
	add(accepted("req-obs-text", "A field value with bytes above 0x7F (obs-text, here UTF-8) in a field the server ignores", "",
		[]string{"H-4.2.1-reject"}, minimalRequest.add("User-Agent", "caf\u00e9/1.0"), rfcHandshakeKey, nil, "", ""))
	add(accepted("req-ipv6-host", "An IPv6 literal with a port in Host", "",
		[]string{"H-4.2.1-host"}, minimalRequest.set("Host", "[::1]:9001"), rfcHandshakeKey, nil, "", ""))

	// Size limits (H-10.4-limits): the whole head counts, final empty line
	// included.
	exact := padTo(minimalRequest, DefaultMaxHeadSize)
	add(accepted("req-limit-exact", "A head of exactly 8192 bytes, the default limit", "",
		[]string{"H-10.4-limits"}, exact, rfcHandshakeKey, nil, "", ""))
	add(rejected("req-limit-over", "A head of 8193 bytes", padTo(minimalRequest, DefaultMaxHeadSize+1).text(), 431, "H-10.4-limits", nil, "H-10.7-http-status"))
	add(rejected("req-limit-long-target", "A request line longer than the limit: RFC 9112 section 3 requires 414 for an over-long request-target",
		minimalRequest.withStart("GET /"+strings.Repeat("a", DefaultMaxHeadSize)+" HTTP/1.1").text(), 414, "H-10.4-limits", nil))
	add(rejected("req-limit-method-fills", "8192 bytes of letters without a space or line end: the method alone fills the limit",
		strings.Repeat("A", DefaultMaxHeadSize), 400, "H-10.4-limits", nil))
	add(rejected("req-limit-endless-fields", "Header fields that go on past the limit without the final empty line",
		"GET /chat HTTP/1.1\r\n"+strings.Repeat("X-Flood: 1\r\n", DefaultMaxHeadSize/12+1), 431, "H-10.4-limits", nil))
	small := reqVector("req-limit-custom-fits", "A server limit of exactly the RFC request's size accepts it", "RFC6455 1.3",
		append([]string{"H-10.4-limits"}, response101Reqs...), rfcRequest.text())
	small.MaxHeadSize = len(rfcRequest.text())
	small.Accept = &vectors.RequestAccept{Response: response101(rfcHandshakeKey, "", "").text()}
	add(small)
	tooSmall := rejected("req-limit-custom-over", "A server limit one byte below the RFC request's size", rfcRequest.text(), 431, "H-10.4-limits", nil)
	tooSmall.MaxHeadSize = len(rfcRequest.text()) - 1
	add(tooSmall)

	// Unfinished heads.
	for _, p := range []struct{ id, desc, text string }{
		{"req-need-more-empty", "Nothing received yet", ""},
		{"req-need-more-no-empty-line", "The RFC request without its final empty line", strings.TrimSuffix(rfcRequest.text(), "\r\n")},
		{"req-need-more-cr", "The RFC request cut after the last CR", strings.TrimSuffix(rfcRequest.text(), "\n")},
		{"req-need-more-request-line", "Half a request line", "GET /ch"},
	} {
		v := reqVector(p.id, p.desc, "generated", []string{"H-4.2.1-reject", "H-10.4-limits"}, p.text)
		v.NeedMore = true
		add(v)
	}

	// H-4.2.1-reject: the head breaks the HTTP/1.1 grammar.
	m := minimalRequest.text()
	grammar := []struct{ id, desc, text string }{
		{"req-bare-lf", "Lines end with LF alone (RFC 9112 section 2.2 allows accepting it; wskit does not)", strings.ReplaceAll(m, "\r\n", "\n")},
		{"req-bare-lf-one-line", "One field line ends with LF alone", strings.Replace(m, "Upgrade: websocket\r\n", "Upgrade: websocket\n", 1)},
		{"req-bare-cr", "A bare CR inside a field value (RFC 9112 section 2.2)", strings.Replace(m, "Upgrade: websocket", "Upgrade: web\rsocket", 1)},
		{"req-obs-fold", "A folded field line (obs-fold, RFC 9112 section 5.2)", strings.Replace(m, "Connection: Upgrade\r\n", "Connection: keep-alive,\r\n Upgrade\r\n", 1)},
		{"req-space-after-start-line", "Whitespace before the first field line (RFC 9112 section 2.2)", strings.Replace(m, "HTTP/1.1\r\nHost", "HTTP/1.1\r\n Host", 1)},
		{"req-space-before-colon", "Whitespace between a field name and its colon (RFC 9112 section 5.1 requires 400)", strings.Replace(m, "Host:", "Host :", 1)},
		{"req-no-colon", "A field line without a colon", strings.Replace(m, "Host: server.example.com", "Host server.example.com", 1)},
		{"req-empty-name", "A field line with an empty name", strings.Replace(m, "\r\n\r\n", "\r\n: empty\r\n\r\n", 1)},
		{"req-nul-in-value", "A NUL byte in a field value (RFC 9110 section 5.5)", strings.Replace(m, "server.example.com", "server\x00.example.com", 1)},
		{"req-del-in-value", "A DEL byte in a field value", strings.Replace(m, "server.example.com", "server\x7f.example.com", 1)},
		{"req-nul-in-request-line", "A NUL byte in the request line", strings.Replace(m, "/chat", "/ch\x00at", 1)},
		{"req-double-space", "Two spaces between method and target", strings.Replace(m, "GET /chat", "GET  /chat", 1)},
		{"req-no-version", "A request line without the HTTP version", strings.Replace(m, "GET /chat HTTP/1.1", "GET /chat", 1)},
		{"req-lowercase-version", "The HTTP version in lower case (RFC 9112 section 2.3: case-sensitive)", strings.Replace(m, "HTTP/1.1", "http/1.1", 1)},
		{"req-version-two-digits", "HTTP/1.10 is not HTTP-version", strings.Replace(m, "HTTP/1.1", "HTTP/1.10", 1)},
		{"req-method-not-token", "A method that is not a token", strings.Replace(m, "GET", "G(T", 1)},
		{"req-target-fragment", "A request-target with a fragment", strings.Replace(m, "/chat", "/chat#top", 1)},
		{"req-target-asterisk", "The asterisk-form request-target", strings.Replace(m, "/chat", "*", 1)},
		{"req-target-authority", "The authority-form request-target", strings.Replace(m, "/chat", "server.example.com:80", 1)},
		{"req-target-ws-scheme", "An absolute ws URI as request-target: RFC 6455 section 4.1 allows only http and https", strings.Replace(m, "/chat", "ws://server.example.com/chat", 1)},
		{"req-target-non-ascii", "A request-target with a byte above 0x7F", strings.Replace(m, "/chat", "/ch\u00e9", 1)},
		{"req-content-length", "A handshake with content: the bytes after the head would be body and frames at once", strings.Replace(m, "\r\n\r\n", "\r\nContent-Length: 5\r\n\r\n", 1)},
		{"req-transfer-encoding", "A handshake with chunked content", strings.Replace(m, "\r\n\r\n", "\r\nTransfer-Encoding: chunked\r\n\r\n", 1)},
	}
	for _, g := range grammar {
		add(rejected(g.id, g.desc, g.text, 400, "H-4.2.1-reject", nil, "H-10.7-http-status"))
	}

	// H-4.2.1-method.
	add(rejected("req-method-post", "POST instead of GET: 405 with Allow: GET (RFC 9110 section 15.5.6)", minimalRequest.withStart("POST /chat HTTP/1.1").text(), 405, "H-4.2.1-method", allow))
	add(rejected("req-method-lowercase", "get in lower case: methods are case-sensitive", minimalRequest.withStart("get /chat HTTP/1.1").text(), 405, "H-4.2.1-method", allow))
	add(rejected("req-method-head", "HEAD instead of GET", minimalRequest.withStart("HEAD /chat HTTP/1.1").text(), 405, "H-4.2.1-method", allow))

	// H-4.2.1-http11.
	add(rejected("req-http-1.0", "HTTP/1.0: RFC 9110 section 7.8 makes the server ignore its Upgrade", minimalRequest.withStart("GET /chat HTTP/1.0").text(), 400, "H-4.2.1-http11", nil))
	add(rejected("req-http-0.9", "HTTP/0.9 in an HTTP/1.x request line", minimalRequest.withStart("GET /chat HTTP/0.9").text(), 400, "H-4.2.1-http11", nil))
	add(rejected("req-http-2.0", "HTTP/2.0 in an HTTP/1.x request line", minimalRequest.withStart("GET /chat HTTP/2.0").text(), 400, "H-4.2.1-http11", nil))

	// H-4.2.1-host (RFC 9112 section 3.2).
	add(rejected("req-host-missing", "No Host field", minimalRequest.del("Host").text(), 400, "H-4.2.1-host", nil))
	add(rejected("req-host-twice", "Two Host fields, even equal ones", minimalRequest.add("Host", "server.example.com").text(), 400, "H-4.2.1-host", nil))
	add(rejected("req-host-empty", "An empty Host field", minimalRequest.set("Host", "").text(), 400, "H-4.2.1-host", nil))
	add(rejected("req-host-space", "A Host with a space inside", minimalRequest.set("Host", "server example.com").text(), 400, "H-4.2.1-host", nil))
	add(rejected("req-host-bad-port", "A Host with a port that is not a number", minimalRequest.set("Host", "server.example.com:8o").text(), 400, "H-4.2.1-host", nil))
	add(rejected("req-host-open-bracket", "An IPv6 literal without its closing bracket", minimalRequest.set("Host", "[::1:9001").text(), 400, "H-4.2.1-host", nil))
	add(rejected("req-host-userinfo", "A Host with user information", minimalRequest.set("Host", "user@server.example.com").text(), 400, "H-4.2.1-host", nil))

	// H-4.2.1-upgrade.
	add(rejected("req-upgrade-missing", "No Upgrade field", minimalRequest.del("Upgrade").text(), 400, "H-4.2.1-upgrade", nil))
	add(rejected("req-upgrade-other", "Upgrade names another protocol", minimalRequest.set("Upgrade", "h2c").text(), 400, "H-4.2.1-upgrade", nil))
	add(rejected("req-upgrade-longer-token", "Upgrade: websocket2 is not websocket", minimalRequest.set("Upgrade", "websocket2").text(), 400, "H-4.2.1-upgrade", nil))
	add(rejected("req-upgrade-empty", "An empty Upgrade field", minimalRequest.set("Upgrade", "").text(), 400, "H-4.2.1-upgrade", nil))

	// H-4.2.1-connection.
	add(rejected("req-connection-missing", "No Connection field", minimalRequest.del("Connection").text(), 400, "H-4.2.1-connection", nil))
	add(rejected("req-connection-keep-alive-only", "Connection: keep-alive without Upgrade", minimalRequest.set("Connection", "keep-alive").text(), 400, "H-4.2.1-connection", nil))
	add(rejected("req-connection-upgrade-in-word", "Connection: Upgraded is not the token upgrade", minimalRequest.set("Connection", "Upgraded").text(), 400, "H-4.2.1-connection", nil))

	// H-4.2.1-key and H-11.3.1-key-once.
	for _, k := range []struct{ id, desc, key string }{
		{"req-key-unpadded", "The RFC key without its padding: 22 characters break the padded grammar, although an unpadded decoder gets 16 bytes", "dGhlIHNhbXBsZSBub25jZQ"},
		{"req-key-20-bytes", "A key of 20 bytes", "AQIDBAUGBwgJCgsMDQ4PEBESExQ="},
		{"req-key-32-bytes", "A key of 32 bytes", "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA="},
		{"req-key-15-bytes", "A key of 15 bytes (20 characters, no padding)", "AQIDBAUGBwgJCgsMDQ4P"},
		{"req-key-bad-char", "A key with a character outside the base64 alphabet", "dGhlIHNhbXBsZSBub25jZQ!="},
		{"req-key-url-alphabet", "A key in the URL-safe alphabet", "-_-_-_-_-_-_-_-_-_-_-w=="},
		{"req-key-inner-space", "A key with a space inside", "dGhlIHNhbXBs ZSBub25jZQ="},
		{"req-key-empty", "An empty key", ""},
		{"req-key-three-pad", "A key of 21 characters and three '='", "dGhlIHNhbXBsZSBub25jZ==="},
	} {
		add(rejected(k.id, k.desc, minimalRequest.set("Sec-WebSocket-Key", k.key).text(), 400, "H-4.2.1-key", nil))
	}
	add(rejected("req-key-missing", "No Sec-WebSocket-Key", minimalRequest.del("Sec-WebSocket-Key").text(), 400, "H-4.2.1-key", nil))
	add(rejected("req-key-twice-same", "Sec-WebSocket-Key twice with the same value", minimalRequest.add("Sec-WebSocket-Key", rfcHandshakeKey).text(), 400, "H-11.3.1-key-once", nil))
	add(rejected("req-key-twice-different", "Sec-WebSocket-Key twice with different values", minimalRequest.add("Sec-WebSocket-Key", ncKey).text(), 400, "H-11.3.1-key-once", nil))

	// H-4.2.1-version and H-11.3.5-version-once: 426 with every version
	// served (H-4.2.2-version-advertise, H-4.4-advertise-all) and, as RFC
	// 9110 section 15.5.22 requires of a 426, Upgrade.
	adv := []string{"H-4.2.2-version-advertise", "H-4.4-advertise-all"}
	for _, vv := range []struct{ id, desc, version string }{
		{"req-version-8", "Version 8 (hybi drafts)", "8"},
		{"req-version-14", "Version 14, unknown", "14"},
		{"req-version-leading-zero", "013: the grammar forbids leading zeros", "013"},
		{"req-version-256", "256: the ABNF's \"2\" DIGIT DIGIT lets it through, its comment limits versions to 0-255", "256"},
		{"req-version-list", "A list of versions in a request", "13, 8"},
		{"req-version-empty", "An empty version", ""},
		{"req-version-plus", "+13 is not a version", "+13"},
	} {
		add(rejected(vv.id, vv.desc, minimalRequest.set("Sec-WebSocket-Version", vv.version).text(), 426, "H-4.2.1-version", version13, adv...))
	}
	add(rejected("req-version-missing", "No Sec-WebSocket-Version", minimalRequest.del("Sec-WebSocket-Version").text(), 426, "H-4.2.1-version", version13, adv...))
	add(rejected("req-version-twice", "Sec-WebSocket-Version: 13 twice", minimalRequest.add("Sec-WebSocket-Version", "13").text(), 426, "H-11.3.5-version-once", version13, adv...))

	// H-4.2.1-protocol-grammar.
	for _, p := range []struct{ id, desc, value string }{
		{"req-protocol-space", "Two names separated by a space, not a comma", "chat superchat"},
		{"req-protocol-empty", "An empty Sec-WebSocket-Protocol", ""},
		{"req-protocol-only-commas", "A list of empty elements only", " , ,"},
		{"req-protocol-separator", "A name with a separator character", "ch@t"},
		{"req-protocol-duplicate", "The same name twice (names are unique, H-4.1-req-protocols)", "chat, chat"},
		{"req-protocol-quoted", "A quoted name", `"chat"`},
		{"req-protocol-params", "A name with a parameter", "chat;v=1"},
	} {
		add(rejected(p.id, p.desc, minimalRequest.add("Sec-WebSocket-Protocol", p.value).text(), 400, "H-4.2.1-protocol-grammar", nil))
	}

	// H-9.1-ext-grammar.
	for _, e := range []struct{ id, desc, value string }{
		{"req-ext-junk", "An extension followed by a second token without a separator", "foo junk"},
		{"req-ext-quoted-not-token", `A quoted value with commas and semicolons: it does not unescape to a token (gorilla accepts it)`, `foo; bar="b,a;z"`},
		{"req-ext-quoted-space", `A quoted value with a space`, `foo; x="1 0"`},
		{"req-ext-unterminated", "An unterminated quoted-string", `foo; x="10`},
		{"req-ext-empty", "An empty Sec-WebSocket-Extensions", ""},
		{"req-ext-semicolon", "A parameter list without an extension name", "; foo"},
		{"req-ext-trailing-semicolon", "A semicolon without a parameter", "foo;"},
		{"req-ext-no-param-name", "A parameter without a name", "foo; =1"},
		{"req-ext-no-value", "An equals sign without a value", "foo; x="},
	} {
		add(rejected(e.id, e.desc, minimalRequest.add("Sec-WebSocket-Extensions", e.value).text(), 400, "H-9.1-ext-grammar", nil))
	}

	// H-4.2.2-origin and H-4.2.2-resource: policy refusals.
	origin := rejected("req-origin-refused", "The server serves only https://app.example, the RFC request comes from http://example.com: 403", rfcRequest.text(), 403, "H-4.2.2-origin", nil, "H-4.1-req-origin")
	origin.Server = &vectors.ServerPolicy{Origins: []string{"https://app.example"}}
	add(origin)
	noOrigin := rejected("req-origin-missing", "The server requires an allowed Origin and the request has none: 403", minimalRequest.text(), 403, "H-4.2.2-origin", nil)
	noOrigin.Server = &vectors.ServerPolicy{Origins: []string{"https://app.example"}}
	add(noOrigin)
	resource := rejected("req-resource-unknown", "The server serves only /echo: 404 for /chat", minimalRequest.text(), 404, "H-4.2.2-resource", nil)
	resource.Server = &vectors.ServerPolicy{Resources: []string{"/echo"}}
	add(resource)
	query := rejected("req-resource-query-differs", "The query is part of the resource name: /echo?x=1 is not /echo", minimalRequest.withStart("GET /echo?x=1 HTTP/1.1").text(), 404, "H-4.2.2-resource", nil)
	query.Server = &vectors.ServerPolicy{Resources: []string{"/echo"}}
	add(query)
	return out
}

// withRequest replaces the request text of a vector.
func withRequest(v vectors.RequestVector, text string) vectors.RequestVector {
	v.Request = text
	return v
}

// DefaultMaxHeadSize is the server's default head limit, 8 KiB.
const DefaultMaxHeadSize = 8192

// padTo adds an X-Pad field so that h's text is exactly n bytes long.
func padTo(h head, n int) head {
	base := len(h.add("X-Pad", "").text())
	return h.add("X-Pad", strings.Repeat("p", n-base))
}
