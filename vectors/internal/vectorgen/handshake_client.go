package vectorgen

import (
	"encoding/base64"
	"strings"

	"github.com/wskit/wskit/vectors"
)

func urlVectors() []vectors.URLVector {
	ok := func(id, desc, url string, secure bool, addr, host, resource string, reqs ...string) vectors.URLVector {
		return vectors.URLVector{
			Common: vectors.Common{ID: id, Description: desc, Source: "generated", Requirements: append([]string{"H-3-uri-valid"}, reqs...)},
			URL:    url, Secure: secure, Addr: addr, Host: host, Resource: resource,
		}
	}
	bad := func(id, desc, url, requirement string) vectors.URLVector {
		return vectors.URLVector{
			Common: vectors.Common{ID: id, Description: desc, Source: "generated", Requirements: []string{requirement}},
			URL:    url, Error: requirement,
		}
	}
	return []vectors.URLVector{
		ok("url-rfc6455", "The RFC example's endpoint", "ws://server.example.com/chat", false, "server.example.com:80", "server.example.com", "/chat", "H-4.1-req-host", "H-4.1-req-target"),
		ok("url-wss-upper-case-scheme", "The scheme compares case-insensitively; an empty path is /", "WSS://Example.com", true, "Example.com:443", "Example.com", "/", "H-4.1-req-target"),
		ok("url-default-port-written", "An explicit default port is left out of Host", "ws://example.com:80/", false, "example.com:80", "example.com", "/", "H-4.1-req-host"),
		ok("url-wss-default-port-written", "An explicit default wss port is left out of Host", "wss://example.com:443/x", true, "example.com:443", "example.com", "/x", "H-4.1-req-host"),
		ok("url-other-port", "A port that is not the scheme's default goes into Host", "ws://example.com:443/", false, "example.com:443", "example.com:443", "/", "H-4.1-req-host"),
		ok("url-ipv6", "An IPv6 literal with a port and a query", "ws://[::1]:9001/echo?x=1&y=2", false, "[::1]:9001", "[::1]:9001", "/echo?x=1&y=2", "H-4.1-req-host", "H-4.1-req-target"),
		ok("url-escaped-hash", "A '#' written as %23 belongs to the path", "ws://example.com/a%23b", false, "example.com:80", "example.com", "/a%23b", "H-3-no-fragment", "H-4.1-req-target"),
		ok("url-empty-query", "An empty query adds no '?' to the resource name", "ws://example.com/p?", false, "example.com:80", "example.com", "/p", "H-4.1-req-target"),
		ok("url-query-no-path", "A query without a path", "ws://example.com?q=1", false, "example.com:80", "example.com", "/?q=1", "H-4.1-req-target"),
		bad("url-fragment", "A fragment is never part of a WebSocket URI", "ws://example.com/chat#top", "H-3-no-fragment"),
		bad("url-empty-fragment", "Even an empty fragment", "ws://example.com/chat#", "H-3-no-fragment"),
		bad("url-http", "The http scheme is not a WebSocket URI", "http://example.com/chat", "H-3-uri-valid"),
		bad("url-no-host", "No authority", "ws:/chat", "H-3-uri-valid"),
		bad("url-empty-host", "An empty host with a port", "ws://:80/chat", "H-3-uri-valid"),
		bad("url-userinfo", "User information is not part of a WebSocket URI", "ws://user:pw@example.com/", "H-3-uri-valid"),
		bad("url-port-zero", "Port 0", "ws://example.com:0/", "H-3-uri-valid"),
		bad("url-port-too-big", "Port 65536", "ws://example.com:65536/", "H-3-uri-valid"),
		bad("url-no-scheme", "A host and path without a scheme", "example.com/chat", "H-3-uri-valid"),
		bad("url-non-ascii-host", "A host that is not ASCII (IDNs go in as A-labels)", "ws://b\u00fccher.example/", "H-3-uri-valid"),
	}
}

// clientHead writes the request wskit's client builds, in its documented
// field order; extra fields named like a built-in one replace it.
func clientHead(target, host string, nonce []byte, protocols, extensions string, extra []vectors.HeaderField) string {
	h := head{"GET " + target + " HTTP/1.1", []hf{
		{"Host", host},
		{"Upgrade", "websocket"},
		{"Connection", "Upgrade"},
		{"Sec-WebSocket-Key", base64.StdEncoding.EncodeToString(nonce)},
		{"Sec-WebSocket-Version", "13"},
	}}
	if protocols != "" {
		h = h.add("Sec-WebSocket-Protocol", protocols)
	}
	if extensions != "" {
		h = h.add("Sec-WebSocket-Extensions", extensions)
	}
	builtIn := len(h.fields)
	replaced := map[int]bool{}
next:
	for _, f := range extra {
		for i := 0; i < builtIn; i++ {
			if !replaced[i] && strings.EqualFold(h.fields[i].name, f.Name) {
				h.fields[i], replaced[i] = hf{f.Name, f.Value}, true
				continue next
			}
		}
		h = h.add(f.Name, f.Value)
	}
	return h.text()
}

func clientRequestVectors() []vectors.ClientRequestVector {
	base := []string{"H-4.1-req-http", "H-4.1-req-upgrade", "H-4.1-req-connection", "H-4.1-req-key", "H-4.1-req-version", "H-4.1-req-host", "H-4.1-req-target"}
	ok := func(id, desc, source, url string, nonce []byte, protos []string, exts []vectors.ExtensionValue, extra []vectors.HeaderField, request string, reqs ...string) vectors.ClientRequestVector {
		return vectors.ClientRequestVector{
			Common: vectors.Common{ID: id, Description: desc, Source: source, Requirements: append(append([]string(nil), base...), reqs...)},
			URL:    url, Nonce: nonce, Subprotocols: protos, Extensions: exts, Header: extra, Request: request,
		}
	}
	bad := func(id, desc, url string, protos []string, exts []vectors.ExtensionValue, extra []vectors.HeaderField, requirement string) vectors.ClientRequestVector {
		return vectors.ClientRequestVector{
			Common: vectors.Common{ID: id, Description: desc, Source: "generated", Requirements: []string{requirement}},
			URL:    url, Nonce: derive(id, 16), Subprotocols: protos, Extensions: exts, Header: extra, Error: requirement,
		}
	}
	sample := []byte("the sample nonce")
	origin := []vectors.HeaderField{{Name: "Origin", Value: "http://example.com"}}
	seedNonce := derive("build-browser-like", 16)
	pmd := []vectors.ExtensionValue{ext("permessage-deflate", "client_max_window_bits", "")}
	ua := []vectors.HeaderField{{Name: "User-Agent", Value: "wskit-conformance/1"}, {Name: "Origin", Value: "http://127.0.0.1:8080"}}
	fallback := []vectors.ExtensionValue{
		ext("permessage-deflate", "client_max_window_bits", "", "server_max_window_bits", "10"),
		ext("permessage-deflate", "client_max_window_bits", ""),
	}
	override := []vectors.HeaderField{{Name: "Upgrade", Value: "WebSocket"}, {Name: "Connection", Value: "keep-alive, Upgrade"}, {Name: "Connection", Value: "close"}}
	portNonce := derive("build-port-and-query", 16)
	wssNonce := derive("build-wss-default-port", 16)
	overrideNonce := derive("build-override-fields", 16)
	fallbackNonce := derive("build-extension-fallback", 16)
	return []vectors.ClientRequestVector{
		ok("build-rfc6455-1.3", "The RFC example request, rebuilt from its URL, nonce, subprotocols and Origin", "RFC6455 1.3",
			"ws://server.example.com/chat", sample, []string{"chat", "superchat"}, nil, origin,
			clientHead("/chat", "server.example.com", sample, "chat, superchat", "", origin), "H-4.1-req-protocols", "H-4.1-req-origin"),
		ok("build-browser-like", "A request like the seed tutorial's browser one: permessage-deflate with a bare client_max_window_bits, User-Agent and Origin", "seed tutorial",
			"ws://localhost:8888/", seedNonce, nil, pmd, ua,
			clientHead("/", "localhost:8888", seedNonce, "", "permessage-deflate; client_max_window_bits", ua), "H-9.1-ext-grammar", "H-4.1-req-origin"),
		ok("build-port-and-query", "A port that is not the default, a path and a query", "generated",
			"ws://example.com:8080/a/b?c=d&e", portNonce, nil, nil, nil,
			clientHead("/a/b?c=d&e", "example.com:8080", portNonce, "", "", nil)),
		ok("build-wss-default-port", "wss with its default port written out: Host has no port, the target is /", "generated",
			"wss://example.com:443", wssNonce, nil, nil, nil,
			clientHead("/", "example.com", wssNonce, "", "", nil)),
		ok("build-override-fields", "Extra fields named like built-in ones replace them in place (Upgrade: WebSocket, a keep-alive Connection); a second Connection is appended", "generated",
			"ws://example.com/", overrideNonce, nil, nil, override,
			clientHead("/", "example.com", overrideNonce, "", "", override)),
		ok("build-extension-fallback", "RFC 7692 section 7.1.3's offer with a fallback, in one field", "RFC7692 7.1.3",
			"ws://example.com/", fallbackNonce, nil, fallback, nil,
			clientHead("/", "example.com", fallbackNonce, "", "permessage-deflate; client_max_window_bits; server_max_window_bits=10, permessage-deflate; client_max_window_bits", nil), "H-9.1-ext-grammar"),
		bad("build-protocol-duplicate", "The same subprotocol offered twice", "ws://example.com/", []string{"chat", "chat"}, nil, nil, "H-4.1-req-protocols"),
		bad("build-protocol-not-token", "A subprotocol with a space", "ws://example.com/", []string{"chat room"}, nil, nil, "H-4.1-req-protocols"),
		bad("build-protocol-empty", "An empty subprotocol name", "ws://example.com/", []string{""}, nil, nil, "H-4.1-req-protocols"),
		bad("build-extension-value", "An extension parameter value that is not a token", "ws://example.com/", nil,
			[]vectors.ExtensionValue{ext("x-foo", "bits", "1 0")}, nil, "H-9.1-ext-grammar"),
		bad("build-field-injection", "An extra field value with CRLF, which would inject a field", "ws://example.com/", nil, nil,
			[]vectors.HeaderField{{Name: "User-Agent", Value: "x\r\nEvil: 1"}}, "H-4.1-req-http"),
		bad("build-fragment", "A URL with a fragment", "ws://example.com/#x", nil, nil, nil, "H-3-no-fragment"),
	}
}

func extensionsVectors() []vectors.ExtensionsVector {
	reqs := []string{"H-9.1-ext-grammar"}
	ok := func(id, desc, source string, lines []string, formatted string, exts ...vectors.ExtensionValue) vectors.ExtensionsVector {
		if source == "" {
			source = "generated"
		}
		return vectors.ExtensionsVector{Common: vectors.Common{ID: id, Description: desc, Source: source, Requirements: reqs},
			Lines: lines, Extensions: exts, Formatted: formatted}
	}
	bad := func(id, desc string, lines ...string) vectors.ExtensionsVector {
		return vectors.ExtensionsVector{Common: vectors.Common{ID: id, Description: desc, Source: "generated", Requirements: reqs},
			Lines: lines, Error: true}
	}
	return []vectors.ExtensionsVector{
		ok("ext-pmd", "The bare permessage-deflate offer", "RFC7692 7.1.3", []string{"permessage-deflate"}, "permessage-deflate", ext("permessage-deflate")),
		ok("ext-pmd-bare-param", "A parameter without a value", "seed tutorial", []string{"permessage-deflate; client_max_window_bits"},
			"permessage-deflate; client_max_window_bits", ext("permessage-deflate", "client_max_window_bits", "")),
		ok("ext-pmd-fallback", "RFC 7692's offer with a fallback, spaces around the comma", "RFC7692 7.1.3",
			[]string{"permessage-deflate; client_max_window_bits; server_max_window_bits=10 , permessage-deflate; client_max_window_bits"},
			"permessage-deflate; client_max_window_bits; server_max_window_bits=10, permessage-deflate; client_max_window_bits",
			ext("permessage-deflate", "client_max_window_bits", "", "server_max_window_bits", "10"), ext("permessage-deflate", "client_max_window_bits", "")),
		ok("ext-rfc6455-mux", "RFC 6455 section 9.1's example", "RFC6455 9.1", []string{"mux; max-channels=4; flow-control, deflate-stream"},
			"mux; max-channels=4; flow-control, deflate-stream", ext("mux", "max-channels", "4", "flow-control", ""), ext("deflate-stream")),
		ok("ext-two-elements", "foo, bar; baz=2 is two extensions", "", []string{"foo, bar; baz=2"}, "foo, bar; baz=2", ext("foo"), ext("bar", "baz", "2")),
		ok("ext-quoted", `A quoted value that unescapes to a token: x="10" is x=10`, "RFC7692 5.2", []string{`permessage-foo; x="10"`}, "permessage-foo; x=10", ext("permessage-foo", "x", "10")),
		ok("ext-quoted-pair", `A quoted-pair inside a quoted value: "1\0" is 10`, "", []string{`foo; x="1\0"`}, "foo; x=10", ext("foo", "x", "10")),
		ok("ext-ows", "Optional whitespace around every separator", "", []string{" foo ;  a = 1 ;b\t,\tbar "}, "foo; a=1; b, bar", ext("foo", "a", "1", "b", ""), ext("bar")),
		ok("ext-empty-elements", "Empty list elements are skipped", "", []string{", foo, ,bar,"}, "foo, bar", ext("foo"), ext("bar")),
		ok("ext-two-lines", "Two field lines are one list, in order", "", []string{"foo", "bar; x=1"}, "foo, bar; x=1", ext("foo"), ext("bar", "x", "1")),
		ok("ext-empty-second-line", "An empty line next to a non-empty one only adds an empty element", "", []string{"foo", ""}, "foo", ext("foo")),
		ok("ext-repeated-param", "A repeated parameter is a matter for the extension, not the grammar", "", []string{"foo; a; a=1"}, "foo; a; a=1", ext("foo", "a", "", "a", "1")),
		bad("ext-junk", "A second token without a separator", "foo junk"),
		bad("ext-quoted-separators", `A quoted value that does not unescape to a token (RFC 6455 section 9.1)`, `foo; bar="b,a;z"`),
		bad("ext-quoted-space", "A quoted value with a space", `foo; x="1 0"`),
		bad("ext-quoted-empty", "An empty quoted value is not a token", `foo; x=""`),
		bad("ext-unterminated", "An unterminated quoted-string", `foo; x="10`),
		bad("ext-empty", "An empty value: 1#extension needs one element", ""),
		bad("ext-only-commas", "Only empty elements", " , ,"),
		bad("ext-leading-semicolon", "A parameter without an extension", "; foo"),
		bad("ext-trailing-semicolon", "A semicolon without a parameter", "foo;"),
		bad("ext-double-semicolon", "Two semicolons in a row", "foo;;x"),
		bad("ext-param-no-name", "A parameter without a name", "foo; =1"),
		bad("ext-param-no-value", "An equals sign without a value", "foo; x="),
		bad("ext-value-on-name", "A value on the extension name", "foo=1"),
		bad("ext-separator-in-name", "An extension name with a separator", "fo/o"),
		bad("ext-second-line-bad", "A bad second line spoils the list", "foo", "bar baz"),
	}
}

func protocolsVectors() []vectors.ProtocolsVector {
	reqs := []string{"H-4.2.1-protocol-grammar"}
	ok := func(id, desc, source string, lines []string, protos ...string) vectors.ProtocolsVector {
		if source == "" {
			source = "generated"
		}
		return vectors.ProtocolsVector{Common: vectors.Common{ID: id, Description: desc, Source: source, Requirements: reqs}, Lines: lines, Protocols: protos}
	}
	bad := func(id, desc string, extra []string, lines ...string) vectors.ProtocolsVector {
		return vectors.ProtocolsVector{Common: vectors.Common{ID: id, Description: desc, Source: "generated", Requirements: append(append([]string(nil), reqs...), extra...)}, Lines: lines, Error: true}
	}
	return []vectors.ProtocolsVector{
		ok("proto-rfc6455", "The RFC example's list", "RFC6455 1.3", []string{"chat, superchat"}, "chat", "superchat"),
		ok("proto-two-lines", "Two field lines are one list (RFC 6455 section 11.3.4)", "", []string{"chat", "superchat"}, "chat", "superchat"),
		ok("proto-ows-empty-elements", "Whitespace and empty elements", "", []string{" chat ,superchat,", ", v2.chat.example"}, "chat", "superchat", "v2.chat.example"),
		ok("proto-single", "One name with dots and digits", "", []string{"v1.chat.example"}, "v1.chat.example"),
		bad("proto-empty", "An empty value", nil, ""),
		bad("proto-only-commas", "Only empty elements", nil, " , "),
		bad("proto-space", "A space instead of a comma", nil, "chat superchat"),
		bad("proto-separator", "A separator inside a name", nil, "ch@t"),
		bad("proto-slash", "A slash inside a name", nil, "chat/1"),
		bad("proto-quoted", "A quoted name", nil, `"chat"`),
		bad("proto-duplicate", "A name listed twice", []string{"H-4.1-req-protocols"}, "chat, chat"),
		bad("proto-duplicate-across-lines", "A name listed twice over two lines", []string{"H-4.1-req-protocols"}, "chat", "superchat, chat"),
	}
}
