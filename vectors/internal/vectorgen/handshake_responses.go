package vectorgen

import (
	"strings"

	"github.com/wskit/wskit/vectors"
)

// respVector starts a response vector: the client sent request and
// received response.
func respVector(id, desc, source string, reqs []string, request head, response string) vectors.ResponseVector {
	if source == "" {
		source = "generated"
	}
	return vectors.ResponseVector{
		Common:   vectors.Common{ID: id, Description: desc, Source: source, Requirements: reqs},
		Request:  request.text(),
		Response: response,
	}
}

func respOK(id, desc, source string, reqs []string, request head, response string, subprotocol string, exts ...vectors.ExtensionValue) vectors.ResponseVector {
	v := respVector(id, desc, source, reqs, request, response)
	v.Accept = &vectors.ResponseAccept{Subprotocol: subprotocol, Extensions: exts}
	return v
}

func respFail(id, desc string, reqs []string, request head, response string, status int, requirement string) vectors.ResponseVector {
	v := respVector(id, desc, "generated", append([]string{requirement}, reqs...), request, response)
	v.Error = &vectors.ResponseReject{Status: status, Requirement: requirement}
	return v
}

func ext(name string, params ...string) vectors.ExtensionValue {
	e := vectors.ExtensionValue{Name: name}
	for i := 0; i+1 < len(params); i += 2 {
		e.Params = append(e.Params, vectors.HeaderField{Name: params[i], Value: params[i+1]})
	}
	return e
}

func responseVectors() []vectors.ResponseVector {
	var out []vectors.ResponseVector
	add := func(v ...vectors.ResponseVector) { out = append(out, v...) }
	rfcResp := response101(rfcHandshakeKey, "chat", "")
	plain := response101(rfcHandshakeKey, "", "")
	status := []string{"H-4.1-resp-status"}

	// Completed handshakes.
	add(respOK("resp-rfc6455-1.3", "The RFC's response to the RFC's request: subprotocol chat", "RFC6455 1.3",
		[]string{"H-4.1-resp-accept", "H-4.1-resp-subprotocol", "H-4.1-resp-upgrade", "H-4.1-resp-connection"}, rfcRequest, rfcResp.text(), "chat"))
	add(respOK("resp-no-subprotocol", "No Sec-WebSocket-Protocol in the response: the null subprotocol", "RFC6455 1.3",
		[]string{"H-4.1-resp-subprotocol"}, rfcRequest, plain.text(), ""))
	lower := head{"HTTP/1.1 101 Switching Protocols", []hf{
		{"upgrade", "WebSocket"}, {"connection", "upgrade"}, {"sec-websocket-accept", accept(rfcHandshakeKey, guid)}, {"sec-websocket-protocol", "chat"},
	}}
	add(respOK("resp-lowercase", "Lower-case names and a mixed-case Upgrade token", "",
		[]string{"H-4.1-resp-upgrade", "H-4.1-resp-connection"}, rfcRequest, lower.text(), "chat"))
	add(respOK("resp-connection-list", "Connection lists upgrade among other options", "",
		[]string{"H-4.1-resp-connection"}, rfcRequest, plain.set("Connection", "keep-alive, Upgrade").text(), ""))
	add(respOK("resp-seed-browser", "The seed tutorial's browser request answered with permessage-deflate", "seed tutorial",
		[]string{"H-4.1-resp-extensions", "H-4.1-resp-accept"}, seedRequest, response101(seedKey, "", "permessage-deflate").text(), "", ext("permessage-deflate")))
	twoOffers := minimalRequest.add("Sec-WebSocket-Extensions", "foo, bar")
	add(respOK("resp-extensions-two-lines", "The accepted extensions over two fields: RFC 6455 section 11.3.2 forbids the server to split them, section 4.2.2 allows it; wskit's client merges them in order", "",
		[]string{"H-4.1-resp-extensions", "H-11.3.2-extensions-once"}, twoOffers,
		response101(rfcHandshakeKey, "", "").add("Sec-WebSocket-Extensions", "bar").add("Sec-WebSocket-Extensions", "foo").text(), "", ext("bar"), ext("foo")))
	pmdOffer := minimalRequest.add("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits")
	add(respOK("resp-extension-quoted-param", `An accepted extension with a quoted parameter value, client_max_window_bits="10"`, "RFC7692 7.1.2.2",
		[]string{"H-4.1-resp-extensions", "H-9.1-ext-grammar"}, pmdOffer,
		response101(rfcHandshakeKey, "", `permessage-deflate; client_max_window_bits="10"`).text(), "", ext("permessage-deflate", "client_max_window_bits", "10")))
	add(respOK("resp-obs-fold", "A folded Connection line: RFC 9112 section 5.2 says a user agent MUST replace the fold with a space", "",
		[]string{"H-4.1-resp-connection", "H-4.1-resp-conform"}, rfcRequest,
		strings.Replace(plain.text(), "Connection: Upgrade\r\n", "Connection:\r\n Upgrade\r\n", 1), ""))
	add(respOK("resp-ows-accept", "Whitespace around the accept value is not part of it", "",
		[]string{"H-4.1-resp-accept"}, rfcRequest, plain.set("Sec-WebSocket-Accept", " \t"+accept(rfcHandshakeKey, guid)+"  ").text(), ""))
	add(respOK("resp-empty-reason", "An empty reason phrase (the space before it stays)", "",
		[]string{"H-4.1-resp-conform"}, rfcRequest, plain.withStart("HTTP/1.1 101 ").text(), ""))
	add(respOK("resp-extra-fields", "Fields the client does not know are ignored", "",
		[]string{"H-4.1-resp-conform"}, rfcRequest, plain.add("Server", "wskit").add("Date", "Sun, 06 Nov 1994 08:49:37 GMT").text(), ""))
	frame := respOK("resp-trailing-frame", "The server's first frame, an unmasked Hello, arrives with the head and is handed on untouched", "RFC6455 5.7",
		[]string{"H-4.1-resp-accept"}, rfcRequest, rfcResp.text(), "chat")
	frame.Trailing = vectors.Hex{0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}
	add(frame)

	// Unfinished heads: the client waits and sends nothing (H-4.1-wait).
	for _, p := range []struct{ id, desc, text string }{
		{"resp-need-more-empty", "Nothing received yet", ""},
		{"resp-need-more-no-empty-line", "The RFC response without its final empty line", strings.TrimSuffix(rfcResp.text(), "\r\n")},
		{"resp-need-more-status-line", "Half a status line", "HTTP/1.1 10"},
	} {
		v := respVector(p.id, p.desc, "generated", []string{"H-4.1-wait"}, rfcRequest, p.text)
		v.NeedMore = true
		add(v)
	}

	// H-4.1-resp-status: anything but 101 ends the handshake.
	add(respFail("resp-404", "404 Not Found", status, rfcRequest, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", 404, "H-4.1-resp-status"))
	add(respFail("resp-426", "426 with the versions the server speaks", status, rfcRequest,
		"HTTP/1.1 426 Upgrade Required\r\nSec-WebSocket-Version: 13, 8, 7\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nContent-Length: 0\r\n\r\n", 426, "H-4.1-resp-status"))
	add(respFail("resp-400-version", "The section 4.4 answer: 400 with Sec-WebSocket-Version over two lines", status, rfcRequest,
		"HTTP/1.1 400 Bad Request\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Version: 8, 7\r\nContent-Length: 0\r\n\r\n", 400, "H-4.1-resp-status"))
	add(respFail("resp-200", "200 OK from a server that does not upgrade", status, rfcRequest, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n", 200, "H-4.1-resp-status"))
	add(respFail("resp-401", "401 asking for authentication (section 4.2.2 lets the server do so first)", append(status, "H-4.2.2-auth/redirect"), rfcRequest,
		"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"chat\"\r\nContent-Length: 0\r\n\r\n", 401, "H-4.1-resp-status"))
	add(respFail("resp-302", "A redirect, which the client may follow as plain HTTP (section 4.2.2)", append(status, "H-4.2.2-auth/redirect"), rfcRequest,
		"HTTP/1.1 302 Found\r\nLocation: ws://other.example.com/chat\r\nContent-Length: 0\r\n\r\n", 302, "H-4.1-resp-status"))
	add(respFail("resp-100", "An interim 100 Continue is not 101 either", status, rfcRequest, "HTTP/1.1 100 Continue\r\n\r\n", 100, "H-4.1-resp-status"))

	// H-4.1-resp-upgrade: the response's Upgrade equals websocket.
	add(respFail("resp-upgrade-missing", "No Upgrade field", nil, rfcRequest, plain.del("Upgrade").text(), 101, "H-4.1-resp-upgrade"))
	add(respFail("resp-upgrade-list", "Upgrade: websocket, h2c: a response must name websocket alone", nil, rfcRequest, plain.set("Upgrade", "websocket, h2c").text(), 101, "H-4.1-resp-upgrade"))
	add(respFail("resp-upgrade-other", "Upgrade: h2c", nil, rfcRequest, plain.set("Upgrade", "h2c").text(), 101, "H-4.1-resp-upgrade"))
	add(respFail("resp-upgrade-versioned", "Upgrade: websocket/13 is not websocket", nil, rfcRequest, plain.set("Upgrade", "websocket/13").text(), 101, "H-4.1-resp-upgrade"))

	// H-4.1-resp-connection.
	add(respFail("resp-connection-missing", "No Connection field", nil, rfcRequest, plain.del("Connection").text(), 101, "H-4.1-resp-connection"))
	add(respFail("resp-connection-keep-alive", "Connection: keep-alive", nil, rfcRequest, plain.set("Connection", "keep-alive").text(), 101, "H-4.1-resp-connection"))
	add(respFail("resp-connection-close", "Connection: close", nil, rfcRequest, plain.set("Connection", "close").text(), 101, "H-4.1-resp-connection"))

	// H-4.1-resp-accept.
	add(respFail("resp-accept-missing", "No Sec-WebSocket-Accept", nil, rfcRequest, plain.del("Sec-WebSocket-Accept").text(), 101, "H-4.1-resp-accept"))
	add(respFail("resp-accept-wrong-guid", "The accept computed with the seed tutorial's mistyped GUID", nil, rfcRequest,
		plain.set("Sec-WebSocket-Accept", accept(rfcHandshakeKey, "258EAF5-E914-47DA-95CA-C5AB0DC85B11")).text(), 101, "H-4.1-resp-accept"))
	add(respFail("resp-accept-case", "The right accept with its letters case-swapped: base64 is case-sensitive", nil, rfcRequest,
		plain.set("Sec-WebSocket-Accept", swapCase(accept(rfcHandshakeKey, guid))).text(), 101, "H-4.1-resp-accept"))
	add(respFail("resp-accept-decoded-key", "The accept computed on the key's decoded bytes instead of the key string", nil, rfcRequest,
		plain.set("Sec-WebSocket-Accept", accept("the sample nonce", guid)).text(), 101, "H-4.1-resp-accept"))
	add(respFail("resp-accept-other-key", "The accept of another key", nil, rfcRequest,
		plain.set("Sec-WebSocket-Accept", accept("AQIDBAUGBwgJCgsMDQ4PEC==", guid)).text(), 101, "H-4.1-resp-accept"))
	add(respFail("resp-accept-twice", "The right accept twice (RFC 6455 section 11.3.3)", []string{"H-11.3.3-accept-once"}, rfcRequest,
		plain.add("Sec-WebSocket-Accept", accept(rfcHandshakeKey, guid)).text(), 101, "H-4.1-resp-accept"))
	add(respFail("resp-accept-empty", "An empty accept", nil, rfcRequest, plain.set("Sec-WebSocket-Accept", "").text(), 101, "H-4.1-resp-accept"))

	// H-4.1-resp-extensions.
	add(respFail("resp-ext-none-offered", "An extension in the response to a request that offered none", nil, rfcRequest,
		response101(rfcHandshakeKey, "", "permessage-deflate").text(), 101, "H-4.1-resp-extensions"))
	add(respFail("resp-ext-not-offered", "foo was offered, bar accepted", nil, minimalRequest.add("Sec-WebSocket-Extensions", "foo"),
		response101(rfcHandshakeKey, "", "bar").text(), 101, "H-4.1-resp-extensions"))
	add(respFail("resp-ext-malformed", "A response extension list that does not parse", []string{"H-9.1-ext-grammar"}, minimalRequest.add("Sec-WebSocket-Extensions", "foo"),
		response101(rfcHandshakeKey, "", "foo junk").text(), 101, "H-4.1-resp-extensions"))
	add(respFail("resp-ext-quoted-not-token", "A quoted parameter value that is not a token", []string{"H-9.1-ext-grammar"}, minimalRequest.add("Sec-WebSocket-Extensions", "foo"),
		response101(rfcHandshakeKey, "", `foo; x="a b"`).text(), 101, "H-4.1-resp-extensions"))
	add(respFail("resp-ext-case", "Extension names compare case-sensitively: Foo was not offered", nil, minimalRequest.add("Sec-WebSocket-Extensions", "foo"),
		response101(rfcHandshakeKey, "", "Foo").text(), 101, "H-4.1-resp-extensions"))

	// H-4.1-resp-subprotocol.
	add(respFail("resp-protocol-none-offered", "A subprotocol in the response to a request that offered none", nil, minimalRequest,
		response101(rfcHandshakeKey, "chat", "").text(), 101, "H-4.1-resp-subprotocol"))
	add(respFail("resp-protocol-not-offered", "mqtt was not offered", nil, rfcRequest,
		response101(rfcHandshakeKey, "mqtt", "").text(), 101, "H-4.1-resp-subprotocol"))
	add(respFail("resp-protocol-list", "The response names both offered subprotocols", nil, rfcRequest,
		response101(rfcHandshakeKey, "chat, superchat", "").text(), 101, "H-4.1-resp-subprotocol"))
	add(respFail("resp-protocol-twice", "Sec-WebSocket-Protocol: chat twice (RFC 6455 section 11.3.4)", []string{"H-11.3.4-protocol-once"}, rfcRequest,
		rfcResp.add("Sec-WebSocket-Protocol", "chat").text(), 101, "H-4.1-resp-subprotocol"))
	add(respFail("resp-protocol-empty", "An empty Sec-WebSocket-Protocol", nil, rfcRequest,
		plain.add("Sec-WebSocket-Protocol", "").text(), 101, "H-4.1-resp-subprotocol"))
	add(respFail("resp-protocol-case", "Subprotocol names compare case-sensitively: Chat was not offered", nil, rfcRequest,
		response101(rfcHandshakeKey, "Chat", "").text(), 101, "H-4.1-resp-subprotocol"))

	// H-4.1-resp-conform: any other violation.
	p := plain.text()
	add(respFail("resp-http-1.0", "A 101 in HTTP/1.0, which has no 1xx responses", nil, rfcRequest, plain.withStart("HTTP/1.0 101 Switching Protocols").text(), 101, "H-4.1-resp-conform"))
	add(respFail("resp-content-length", "Content-Length in a 101 (RFC 9110 section 8.6 forbids it)", nil, rfcRequest, plain.add("Content-Length", "0").text(), 101, "H-4.1-resp-conform"))
	add(respFail("resp-transfer-encoding", "Transfer-Encoding in a 101 (RFC 9112 section 6.1 forbids it)", nil, rfcRequest, plain.add("Transfer-Encoding", "chunked").text(), 101, "H-4.1-resp-conform"))
	add(respFail("resp-bare-lf", "Lines end with LF alone", nil, rfcRequest, strings.ReplaceAll(p, "\r\n", "\n"), 0, "H-4.1-resp-conform"))
	add(respFail("resp-no-reason-space", "HTTP/1.1 101 without the space before the (empty) reason phrase", nil, rfcRequest, plain.withStart("HTTP/1.1 101").text(), 0, "H-4.1-resp-conform"))
	add(respFail("resp-status-letters", "A status code with a letter O for a zero", nil, rfcRequest, plain.withStart("HTTP/1.1 1O1 Switching Protocols").text(), 0, "H-4.1-resp-conform"))
	add(respFail("resp-space-after-status-line", "Whitespace before the first field (RFC 9112 section 2.2)", nil, rfcRequest, strings.Replace(p, "Protocols\r\n", "Protocols\r\n ", 1), 0, "H-4.1-resp-conform"))
	add(respFail("resp-no-colon", "A field line without a colon", nil, rfcRequest, strings.Replace(p, "Upgrade: websocket", "Upgrade websocket", 1), 0, "H-4.1-resp-conform"))
	add(respFail("resp-http-2", "HTTP/2.0 in an HTTP/1.x status line", nil, rfcRequest, plain.withStart("HTTP/2.0 101 Switching Protocols").text(), 101, "H-4.1-resp-conform"))
	add(respFail("resp-empty-status-line", "The response starts with an empty line", nil, rfcRequest, "\r\n"+p, 0, "H-4.1-resp-conform"))

	// H-10.4-limits.
	add(respFail("resp-limit-over", "A response head of 8193 bytes", nil, rfcRequest, padTo(plain, DefaultMaxHeadSize+1).text(), 0, "H-10.4-limits"))
	return out
}
