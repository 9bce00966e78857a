package spec

// catalogue lists every normative rule of RFC 6455 and RFC 7692 that wskit
// tracks, in the order of ../shared/reference/spec.md. Each row cites its
// section through its ID. To add a rule, append a row here (see
// CONTRIBUTING.md); IDs are never renamed or reused.
var catalogue = []Requirement{
	// RFC 6455 section 3 and 4.1: what a client builds.
	req("H-3-uri-valid", Must, RoleClient, "host, port, resource name and secure flag form a valid ws/wss URI; otherwise the client fails"),
	req("H-3-no-fragment", MustNot, RoleClient, "a ws/wss URI has no fragment; a literal '#' is escaped as %23"),
	req("H-4.1-one-connecting", Must, RoleClient, "at most one connection per remote IP:port is in the CONNECTING state at a time"),
	req("H-4.1-tls-sni", Must, RoleClient, "for wss, TLS (with SNI) completes before the handshake is sent; a TLS failure fails the connection"),
	req("H-4.1-req-http", Must, RoleClient, "the opening handshake is a valid HTTP request: method GET, HTTP version at least 1.1"),
	req("H-4.1-req-target", Must, RoleClient, "the request-target is the resource name or an absolute http/https URI that matches it"),
	req("H-4.1-req-host", Must, RoleClient, "the request carries Host with the host, plus :port when the port is not the default"),
	req("H-4.1-req-upgrade", Must, RoleClient, "the request's Upgrade header includes the keyword websocket"),
	req("H-4.1-req-connection", Must, RoleClient, "the request's Connection header includes the token Upgrade"),
	req("H-4.1-req-key", Must, RoleClient, "Sec-WebSocket-Key is the padded base64 of 16 fresh random bytes"),
	req("H-4.1-req-origin", Must, RoleClient, "browser clients send Origin with the script's origin; other clients may"),
	req("H-4.1-req-version", Must, RoleClient, "Sec-WebSocket-Version is 13"),
	req("H-4.1-req-protocols", Must, RoleClient, "Sec-WebSocket-Protocol, if sent, is a list of unique tokens in order of preference"),
	req("H-4.1-wait", Must, RoleClient, "after sending the handshake the client sends nothing until the response arrives"),

	// RFC 6455 section 4.2.1 and 4.2.2: what a server verifies.
	req("H-4.2.1-reject", Must, RoleServer, "a request that does not match section 4.2.1 (any ABNF violation) is answered with an HTTP error such as 400"),
	req("H-4.2.1-method", Must, RoleServer, "the request method is exactly GET (405 with Allow: GET recommended)"),
	req("H-4.2.1-http11", Must, RoleServer, "the request is HTTP/1.1 or higher"),
	req("H-4.2.1-host", Must, RoleServer, "the request has exactly one valid Host header field"),
	req("H-4.2.1-upgrade", Must, RoleServer, "Upgrade contains the token websocket, compared case-insensitively, as a comma list"),
	req("H-4.2.1-connection", Must, RoleServer, "Connection contains the token Upgrade, compared case-insensitively, as a comma list over any number of lines"),
	req("H-4.2.1-key", Must, RoleServer, "Sec-WebSocket-Key is present and is base64 decoding to exactly 16 bytes"),
	req("H-11.3.1-key-once", MustNot, RoleServer, "Sec-WebSocket-Key appears no more than once in a request"),
	req("H-4.2.1-version", Must, RoleServer, "Sec-WebSocket-Version is 13 (a decimal 0-255 without leading zeros); otherwise 426 or 400"),
	req("H-11.3.5-version-once", MustNot, RoleServer, "Sec-WebSocket-Version appears no more than once in a request"),
	req("H-4.2.1-protocol-grammar", Must, RoleServer, "Sec-WebSocket-Protocol, if present, is 1#token over any number of lines"),
	req("H-9.1-ext-grammar", Must, RoleEither, "Sec-WebSocket-Extensions parses as 1#extension with token or quoted-string (unescaping to a token) parameters; otherwise fail"),
	req("H-4.2.2-origin", Must, RoleServer, "a server that refuses the Origin answers with an HTTP error (403 recommended) and aborts"),
	req("H-4.2.2-resource", Must, RoleServer, "a request for a resource the server does not serve gets an error such as 404"),
	req("H-4.2.2-auth/redirect", May, RoleServer, "the server may ask for authentication (401) or redirect (3xx) before accepting"),
	derived("H-10.4-limits", Should, RoleServer, "request line and header fields stay within the server's size limits (431 recommended)"),
	req("H-10.7-http-status", Should, RoleServer, "invalid handshake data gets an appropriate HTTP status; the server may drop TCP instead"),

	// RFC 6455 section 4.2.2 and 11.3: what a server sends.
	req("H-4.2.2-tls", Must, RoleServer, "on an HTTPS port the whole handshake, response included, goes through TLS"),
	req("H-4.2.2-101", Must, RoleServer, "accepting means a valid HTTP response with status 101"),
	req("H-4.2.2-upgrade", Must, RoleServer, "the response carries Upgrade: websocket"),
	req("H-4.2.2-connection", Must, RoleServer, "the response carries Connection: Upgrade"),
	req("H-4.2.2-accept", Must, RoleServer, "Sec-WebSocket-Accept is base64(SHA-1(key as received + GUID))"),
	req("H-4.2.2-subprotocol", Must, RoleServer, "a chosen subprotocol is one token from the client's list; no header when none is chosen"),
	req("H-4.2.2-extensions", MustNot, RoleServer, "the response never lists an extension the client did not offer; its order is the processing order"),
	req("H-11.3.3-accept-once", MustNot, RoleServer, "Sec-WebSocket-Accept appears no more than once in a response"),
	req("H-11.3.4-protocol-once", MustNot, RoleServer, "Sec-WebSocket-Protocol appears no more than once in a response"),
	req("H-11.3.2-extensions-once", MustNot, RoleServer, "Sec-WebSocket-Extensions appears no more than once in a response (section 4.2.2 allows splitting; clients merge)"),
	req("H-4.2.2-version-advertise", Must, RoleServer, "a version mismatch answer carries Sec-WebSocket-Version with the versions the server supports"),
	req("H-4.4-advertise-all", Must, RoleServer, "the Sec-WebSocket-Version answer to an unsupported version lists every version the server will use"),

	// RFC 6455 section 4.1 and 11.3: what a client verifies.
	req("H-4.1-resp-status", Must, RoleClient, "a response status other than 101 means the handshake did not complete; no frames are sent"),
	req("H-4.1-resp-upgrade", Must, RoleClient, "fail unless the response's Upgrade equals websocket, case-insensitively"),
	req("H-4.1-resp-connection", Must, RoleClient, "fail unless the response's Connection has the token Upgrade, case-insensitively"),
	req("H-4.1-resp-accept", Must, RoleClient, "fail unless exactly one Sec-WebSocket-Accept equals the expected value, case-sensitively"),
	req("H-4.1-resp-extensions", Must, RoleClient, "fail if the response names an extension the client did not offer or does not parse"),
	req("H-4.1-resp-subprotocol", Must, RoleClient, "fail if the response names a subprotocol the client did not offer, or more than one"),
	req("H-4.1-resp-conform", Must, RoleClient, "fail on any other violation of section 4.2.2 or the section 4.3 ABNF"),

	// RFC 6455 section 5.1 and 5.3: masking.
	req("R-5.1-client-masks", Must, RoleClient, "a client masks every frame it sends"),
	req("R-5.1-server-rejects-unmasked", Must, RoleServer, "a server fails the connection on an unmasked frame (it may send 1002 first)"),
	req("R-5.1-server-never-masks", MustNot, RoleServer, "a server never masks a frame it sends"),
	req("R-5.1-client-rejects-masked", Must, RoleClient, "a client fails the connection on a masked frame (it may send 1002 first)"),
	req("R-5.3-mask-bit", Must, RoleClient, "a masked frame has MASK=1 and a 4-byte key; MASK=0 means no key field"),
	req("R-5.3-fresh-key", Must, RoleClient, "every frame gets a new masking key"),
	req("R-5.3-unpredictable-key", Must, RoleClient, "masking keys come from a strong entropy source and do not predict later keys"),
	req("R-5.3-xor", Definition, RoleEither, "masked byte i is byte i XOR key[i mod 4]; unmasking resumes at the key offset where it stopped"),
	req("R-10.3-freeze-payload", Must, RoleClient, "once a client starts sending a frame, its remaining payload cannot be changed"),

	// RFC 6455 section 5.2: header fields.
	req("R-5.2-rsv-zero", Must, RoleEither, "RSV1-3 are 0 unless a negotiated extension defines them"),
	req("R-5.2-rsv-fail", Must, RoleEither, "a non-zero RSV bit no negotiated extension defines fails the connection"),
	req("R-5.2-opcode-fail", Must, RoleEither, "a reserved or unknown opcode fails the connection"),
	req("R-5.2-len-encoding", Definition, RoleEither, "lengths 0-125 use 7 bits; 126 announces a 16-bit and 127 a 64-bit big-endian length"),
	req("R-5.2-len-msb0", Must, RoleEither, "the most significant bit of the 64-bit length is 0; a set bit is a protocol error"),
	req("R-5.2-len-minimal", Must, RoleEither, "lengths use the shortest encoding; a strict receiver rejects longer forms with 1002"),
	req("R-5.2-ext-data", Must, RoleEither, "an extension defines the length of its extension data; without extensions it is 0"),

	// RFC 6455 section 5.4, 6.1 and 6.2: fragmentation, sending and receiving.
	req("R-5.4-unfragmented", Definition, RoleEither, "an unfragmented message is one frame with FIN=1 and a non-zero opcode"),
	req("R-5.4-fragmented", Definition, RoleEither, "a fragmented message is a FIN=0 frame with a data opcode, continuations with FIN=0, and a final continuation with FIN=1"),
	req("R-5.4-type-from-first", Definition, RoleEither, "the type of a fragmented message comes from its first frame"),
	req("R-5.4-control-interleave", Must, RoleEither, "control frames may come between fragments, and receivers handle them there"),
	req("R-5.4-control-unfragmented", MustNot, RoleEither, "control frames are never fragmented; a control frame with FIN=0 fails the connection"),
	req("R-5.4-order", Must, RoleEither, "fragments are delivered in the order they were sent"),
	req("R-5.4-no-interleave", MustNot, RoleEither, "fragments of two messages are never interleaved without an extension"),
	req("R-5.4-recv-both", Must, RoleEither, "an endpoint accepts both fragmented and unfragmented messages"),
	req("R-5.4-any-size", May, RoleEither, "data fragments may be of any size, zero-length ones included"),
	req("R-5.4-intermediary", MustNot, RoleIntermediary, "an intermediary does not re-fragment control frames or messages on connections whose extensions it does not understand"),
	derived("R-5.4-orphan-continuation", Must, RoleEither, "a continuation frame with no message in progress fails the connection with 1002"),
	derived("R-5.4-nested-start", Must, RoleEither, "a text or binary frame inside a fragmented message fails the connection with 1002"),
	req("R-6.1-open-only", Must, RoleEither, "messages are sent only in the OPEN state"),
	req("R-6.1-first-opcode", Must, RoleEither, "the first frame of a message carries the text or binary opcode"),
	req("R-6.1-last-fin", Must, RoleEither, "the last frame of a message has FIN=1"),
	req("R-6.1-client-mask", Must, RoleClient, "every frame of a client's message is masked"),
	req("R-6.2-parse", Must, RoleEither, "received bytes are parsed as frames; after a FIN frame the next data frame starts a new message"),
	req("R-6.2-server-unmask", Must, RoleServer, "a server removes the client's masking before using the data"),
	req("R-5.4-no-boundary-semantics", MustNot, RoleEither, "without extensions, applications do not rely on frame boundaries"),

	// RFC 6455 section 5.5: control frames.
	req("R-5.5-control-125", Must, RoleEither, "control frame payloads are at most 125 bytes; a longer one fails the connection with 1002"),
	req("R-5.5.1-close-body", Must, RoleEither, "a Close body is empty or starts with a 2-byte code; a 1-byte body fails with 1002"),
	req("R-5.5.1-reason-utf8", Must, RoleEither, "the close reason after the code is UTF-8; invalid UTF-8 fails the connection"),
	req("R-5.5.1-reason-private", MustNot, RoleClient, "clients do not show the close reason to end users"),
	req("R-5.5.1-close-masked", Must, RoleClient, "a client's Close frame is masked"),
	req("R-5.5.1-no-data-after-close", MustNot, RoleEither, "no data frames are sent after a Close"),
	req("R-5.5.1-echo-close", Must, RoleEither, "an endpoint that receives a Close and has not sent one answers with a Close"),
	req("R-5.5.1-close-tcp", Must, RoleEither, "once Close is sent and received, TCP is closed; the server closes it immediately"),
	req("R-5.5.2-pong", Must, RoleEither, "every Ping is answered with a Pong unless a Close has been received"),
	req("R-5.5.2-ping-any-time", May, RoleEither, "pings may be sent at any time between OPEN and CLOSED"),
	req("R-5.5.3-pong-echo", Must, RoleEither, "a Pong answering a Ping carries byte-identical application data"),
	req("R-5.5.3-latest-only", May, RoleEither, "with several pings unanswered, answering only the latest is enough"),
	req("R-5.5.3-unsolicited", May, RoleEither, "an unsolicited Pong is allowed and gets no reply"),

	// RFC 6455 section 5.6 and 8.1: text and UTF-8.
	req("R-5.6-text-utf8", Must, RoleEither, "a text message is valid UTF-8 as a whole; a frame may end inside a code point"),
	req("R-8.1-utf8-fail", Must, RoleEither, "a byte stream that must be UTF-8 but is not fails the connection with 1007"),

	// RFC 6455 section 5.8 and 9: extensibility.
	req("R-5.8-negotiate", Must, RoleEither, "an extension is used only if it was negotiated in the opening handshake"),
	req("R-9-offer-not-use", MustNot, RoleClient, "a client does not use an offered extension until the server accepts it"),
	req("R-9-params-per-spec", Must, RoleEither, "extension names are registered and their parameters are the ones the extension defines"),

	// RFC 6455 section 7.4: close codes.
	req("R-7.4.1-reserved-never-sent", MustNot, RoleEither, "1005, 1006 and 1015 never appear in a Close frame"),
	derived("R-7.4-invalid-recv", Must, RoleEither, "a received close code outside 1000-1003, 1007-1014 and 3000-4999 fails the connection with 1002"),
	req("R-7.4.2-ranges", Definition, RoleEither, "0-999 unused, 1000-2999 protocol, 3000-3999 registered, 4000-4999 private"),

	// RFC 6455 section 7.1-7.3: closing.
	req("R-7.1.1-close-tcp-cleanly", Should, RoleEither, "TCP is closed cleanly, the server first; the client waits and may time out"),
	req("R-7.1.2-start-close", Must, RoleEither, "closing starts by sending a Close with the chosen code and reason"),
	req("R-7.1.3-closing", Definition, RoleEither, "sending or receiving a Close puts the connection in CLOSING"),
	req("R-7.1.4-closed", Definition, RoleEither, "the TCP close puts the connection in CLOSED; it is clean only if the closing handshake completed"),
	req("R-7.1.5-close-code", Definition, RoleEither, "the close code is the first received Close's code, 1005 if it had none, 1006 if none arrived"),
	req("R-7.1.6-close-reason", Definition, RoleEither, "the close reason is the UTF-8 text after the code in the first received Close, or empty"),
	req("R-7.1.7-fail", Must, RoleEither, "to fail the connection, close it"),
	req("R-7.1.7-fail-send-close", Should, RoleEither, "when failing an established connection, send a Close with an appropriate code first"),
	req("R-7.1.7-fail-stop", MustNot, RoleEither, "after failing, process no more incoming data, not even the peer's Close"),
	req("R-7.1.7-client-no-spontaneous-close", ShouldNot, RoleClient, "clients do not close the connection without cause"),
	req("R-7.2.1-transport-loss", Must, RoleClient, "an unexpected loss of the transport fails the connection"),
	req("R-7.2.2-server-abort", Must, RoleServer, "aborting during the opening handshake just closes TCP"),
	req("R-7.2.3-backoff", Should, RoleClient, "reconnects after an abnormal closure are delayed at random and back off"),
	req("R-7.3-who-closes", ShouldNot, RoleEither, "servers may close at any time; clients should not close arbitrarily; both use the closing handshake"),

	// RFC 6455 section 10: security.
	req("R-10.4-limits", Must, RoleEither, "an endpoint protects itself against oversized frames and messages; exceeding a limit closes with 1009"),
	req("R-10.6-tls", Must, RoleEither, "implementations support TLS (wss)"),
	req("R-10.7-validate", Must, RoleEither, "endpoints always validate incoming data"),
	req("R-10.7-drop", May, RoleEither, "on data it does not understand or finds unsafe, an endpoint may drop TCP"),
	req("R-10.7-close-code", Should, RoleEither, "invalid data after the handshake gets a Close with an appropriate code before closing"),
	req("R-10.7-http-status", Should, RoleServer, "invalid data during the handshake gets an appropriate HTTP status"),

	// RFC 7692 section 5: negotiating a per-message compression extension.
	req("D-5-offer", Must, RoleClient, "a client offers a PMCE by name and parameters in Sec-WebSocket-Extensions, possibly several in order of preference"),
	req("D-5-accept", Must, RoleServer, "a server accepts with exactly one PMCE element describing a configuration it fully supports, or returns none"),
	req("D-5-invalid-response", Must, RoleClient, "a response accepting an unoffered or invalid PMCE fails the connection"),
	req("D-5-rsv1-conflict", MustNot, RoleEither, "a PMCE is not accepted together with another extension using RSV1; a client receiving that fails"),
	req("D-5-stacking", MustNot, RoleEither, "a PMCE is not stacked on an extension that needs frame boundaries or per-frame RSV bits; a client receiving that fails"),
	req("D-5-use-agreed", Must, RoleEither, "once OPEN, both ends use the parameters the server returned"),

	// RFC 7692 section 6: messages.
	req("D-6-data-only", Definition, RoleEither, "a PMCE applies to data messages only; control frames are never compressed"),
	req("D-6-rsv1-placement", MustNot, RoleEither, "RSV1 is set only on the first frame of a compressed message; on control or continuation frames it fails the connection"),
	req("D-6-opcode", Definition, RoleEither, "the first frame keeps the message's original opcode"),
	req("D-6-utf8-after", Definition, RoleEither, "UTF-8 validity of a text message applies to the decompressed data"),
	req("D-6-optional", May, RoleEither, "any message may be sent uncompressed with RSV1=0"),

	// RFC 7692 section 7: permessage-deflate.
	req("D-7-server-decline", Must, RoleServer, "a server declines an offer with an unknown, invalid or repeated parameter or an unsupported configuration"),
	req("D-7-client-fail", Must, RoleClient, "a client fails on a response with an unknown, invalid or repeated parameter or an unsupported configuration"),
	req("D-7.1.1.1-server_no_context_takeover", Must, RoleEither, "server_no_context_takeover takes no value; when offered the server echoes it to accept"),
	req("D-7.1.1.2-client_no_context_takeover", Must, RoleEither, "client_no_context_takeover takes no value; in a response the client must not reuse its window"),
	req("D-7.1.2.1-server_max_window_bits", Must, RoleEither, "server_max_window_bits has a value 8-15; an accepting response carries a value no larger than offered"),
	req("D-7.1.2.2-client_max_window_bits", MustNot, RoleEither, "client_max_window_bits appears in a response only if offered, with a value 8-15"),
	req("D-7.2.1-compress", Must, RoleEither, "compress by DEFLATE, ending in an empty stored block, then strip the trailing 00 00 ff ff"),
	req("D-7.2.1-own-takeover", Must, RoleEither, "with <own-role>_no_context_takeover agreed, every message starts with an empty window"),
	req("D-7.2.2-decompress", Definition, RoleEither, "decompress by appending 00 00 ff ff and inflating"),
	req("D-7.2.2-peer-takeover", Must, RoleEither, "without <peer-role>_no_context_takeover agreed, the receiver keeps its window across messages"),
	req("D-7.2.3.4-bfinal", May, RoleEither, "a message may end with a BFINAL=1 block followed by a 00 byte; the receiver still decodes it"),
}
