package autobahn

import (
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/conformance"
	"github.com/wskit/wskit/handshake"
	"github.com/wskit/wskit/spec"
)

// opening is category 0, wskit's own: how the server answers opening
// handshakes, valid, odd and broken; against clients (Case.ForClients),
// how the client checks the server's answer (clientOpening).
// Autobahn|Testsuite never had one.
var opening = &Category{ID: "0", Name: "Opening Handshake", build: openingCases,
	Captions: map[string]string{
		"0.1": "Request Line",
		"0.2": "Host",
		"0.3": "Upgrade and Connection",
		"0.4": "Sec-WebSocket-Key",
		"0.5": "Sec-WebSocket-Version",
		"0.6": "Subprotocols and Extensions",
		"0.7": "Wire and Limits",
	},
}

// slowAnswer is how long an answer to an oversized head may take before
// it counts as slow.
const slowAnswer = 2 * time.Second

// A judgement turns the server's answer into a verdict and a result text.
type judgement func(a *conformance.Answer) (conformance.Verdict, string)

// judged formats a verdict's result text: the observed answer, then why.
func judged(v conformance.Verdict, a *conformance.Answer, why string) (conformance.Verdict, string) {
	return v, fmt.Sprintf("Server answered: %s. %s", a, why)
}

// hung is the verdict on a server that neither answered nor closed.
func hung(a *conformance.Answer) (conformance.Verdict, string) {
	return judged(conformance.Failed, a, "A server must answer a complete request (or close the connection), never leave it hanging.")
}

// refused judges a request the server must refuse (H-4.2.1-reject): any
// 4xx is OK, and so is dropping the connection (H-10.7-http-status); a
// status that is neither 101 nor 4xx is NON-STRICT; an upgrade, or no
// answer at all, is FAILED. best names the strict answer, for the text.
func refused(best string) judgement {
	return func(a *conformance.Answer) (conformance.Verdict, string) {
		switch s := a.Status(); {
		case a.TimedOut():
			return hung(a)
		case s == 101:
			return judged(conformance.Failed, a, "The request breaks the opening handshake's rules: the server must refuse it ("+best+").")
		case s >= 400 && s < 500:
			return judged(conformance.OK, a, "Refused with a client error ("+best+" is the strict answer).")
		case a.Response == nil && a.Closed():
			return judged(conformance.OK, a, "Dropping the connection is allowed (H-10.7-http-status); "+best+" says why.")
		default:
			return judged(conformance.NonStrict, a, "Not upgraded, but a refusal is a 4xx ("+best+").")
		}
	}
}

// notUpgraded judges a request that is not a WebSocket opening handshake
// at all (no Upgrade or Connection token, HTTP/1.0): any answer but a 101
// is OK, a server that also serves HTTP may answer 200; a 101 is FAILED
// (the Netty #12606 class: a server that upgrades without the Connection
// token lets a proxy and the server disagree about the connection).
func notUpgraded(why string) judgement {
	return func(a *conformance.Answer) (conformance.Verdict, string) {
		switch {
		case a.TimedOut():
			return hung(a)
		case a.Status() == 101:
			return judged(conformance.Failed, a, "This is no WebSocket opening handshake ("+why+"): the server must not upgrade.")
		default:
			return judged(conformance.OK, a, "Not upgraded ("+why+").")
		}
	}
}

// accepted judges a request the server must accept: a valid 101 is OK
// (and the case goes on to check the connection works), anything else
// FAILED.
func accepted(why string) judgement { return acceptedOr(conformance.Failed, why) }

// acceptedOr is accepted with refusal as the verdict on a refusal, for
// requests whose acceptance the RFC's wording leaves open to reading.
func acceptedOr(refusal conformance.Verdict, why string) judgement {
	return func(a *conformance.Answer) (conformance.Verdict, string) {
		switch {
		case a.TimedOut():
			return hung(a)
		case a.Upgraded():
			return judged(conformance.OK, a, "Upgraded, as it must be ("+why+").")
		case a.Status() == 101:
			return judged(conformance.Failed, a, "Not a valid upgrade.")
		default:
			return judged(refusal, a, "The request is a valid opening handshake ("+why+"): the server must accept it.")
		}
	}
}

// versionRefused judges an unsupported Sec-WebSocket-Version (section
// 4.2.2, H-4.2.2-version-advertise): the refusal must list the versions
// the server speaks, 13 among them. 426 with that field is OK; another
// 4xx with it (the 400 of section 4.4's example) NON-STRICT; an answer
// without it, a dropped connection or an upgrade FAILED. A draft version
// whose framing is version 13's (8, draft-ietf-hybi-thewebsocketprotocol-10
// to -17) may be spoken too: a valid upgrade to it is INFORMATIONAL.
func versionRefused(draft bool) judgement {
	return func(a *conformance.Answer) (conformance.Verdict, string) {
		s := a.Status()
		switch {
		case a.TimedOut():
			return hung(a)
		case draft && a.Upgraded():
			return judged(conformance.Informational, a, "The server speaks this draft version too (its framing is version 13's).")
		case s == 101:
			return judged(conformance.Failed, a, "The server must not accept a version it does not speak.")
		}
		return versionListed(a)
	}
}

// versionListed judges a refusal of a version by whether it lists 13.
func versionListed(a *conformance.Answer) (conformance.Verdict, string) {
	s := a.Status()
	if a.Response == nil {
		return judged(conformance.Failed, a, "The refusal must carry Sec-WebSocket-Version: 13, so the client can retry; a dropped connection tells it nothing.")
	}
	listed := false
	for _, v := range a.Response.Header.Values(spec.HeaderVersion) {
		for _, tok := range strings.Split(v, ",") {
			listed = listed || strings.TrimSpace(tok) == "13"
		}
	}
	switch {
	case !listed:
		return judged(conformance.Failed, a, "The refusal must carry Sec-WebSocket-Version listing 13 (H-4.2.2-version-advertise).")
	case s == 426:
		return judged(conformance.OK, a, "426 Upgrade Required with Sec-WebSocket-Version: 13.")
	case s >= 400 && s < 500:
		return judged(conformance.NonStrict, a, "Refused with the versions listed; section 4.2.2 asks for 426 (section 4.4's example uses 400).")
	default:
		return judged(conformance.Failed, a, "A version mismatch is refused with a 4xx, 426 preferred.")
	}
}

// bounded judges an oversized head (H-10.4-limits): refusing it (431,
// 400) or closing is OK, accepting it INFORMATIONAL (the limit is the
// server's choice), taking longer than slowAnswer NON-STRICT, and no
// answer at all FAILED (the tungstenite CVE-2023-43669 class, quadratic
// work in the number of header lines).
func bounded(a *conformance.Answer) (conformance.Verdict, string) {
	switch s := a.Status(); {
	case a.TimedOut():
		return hung(a)
	case a.Elapsed > slowAnswer:
		return judged(conformance.NonStrict, a, fmt.Sprintf("The answer took %v after the last byte: parsing a head must cost time linear in its size.", a.Elapsed.Round(time.Millisecond)))
	case a.Upgraded():
		return judged(conformance.Informational, a, "Accepted: the server's head limit is larger (RFC 6455 leaves limits to the server).")
	case s >= 400 && s < 500, a.Response == nil && a.Closed():
		return judged(conformance.OK, a, "Refused quickly (431 is the strict answer).")
	default:
		return judged(conformance.NonStrict, a, "An oversized head is refused with 431 (or 400), or the connection closed.")
	}
}

// echoAfterUpgrade is the WebSocket part of a case whose request must be
// accepted: one text message echoed, then a clean close.
func echoAfterUpgrade(c *conformance.Case, msg string) *conformance.Case {
	c.Expected = ok(text(msg))
	c.Close = closeNormal
	c.Open = func(s *conformance.Session) {
		s.SendMessage(int(spec.OpText), []byte(msg), 0, false)
		s.KillAfter(2)
	}
	return c
}

// request builds an Opening.Request from an edit of the valid request.
func request(edit func(r *handshake.Request)) func(r *handshake.Request) []byte {
	return func(r *handshake.Request) []byte {
		edit(r)
		return r.Append(nil)
	}
}

// keyOf returns the padded base64 of n bytes 1, 2, ..., n.
func keyOf(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i + 1)
	}
	return base64.StdEncoding.EncodeToString(b)
}

// openingCases are category 0.
func openingCases() []*conformance.Case {
	type rc = conformance.Case
	refuse := func(id, desc, best string, edit func(r *handshake.Request), ids ...string) *rc {
		return &rc{ID: id, Description: desc,
			Expectation:  "The server refuses the request with a 4xx (" + best + ") or closes the connection; it does not upgrade.",
			Requirements: withReqs(ids, "H-4.2.1-reject", "H-10.7-http-status"),
			Opening:      &conformance.Opening{Request: request(edit), Judge: refused(best)},
		}
	}
	noUpgrade := func(id, desc, why string, edit func(r *handshake.Request), ids ...string) *rc {
		return &rc{ID: id, Description: desc,
			Expectation:  "The server does not upgrade (any answer but 101: " + why + ").",
			Requirements: ids,
			Opening:      &conformance.Opening{Request: request(edit), Judge: notUpgraded(why)},
		}
	}
	accept := func(id, desc, why string, edit func(r *handshake.Request), ids ...string) *rc {
		return echoAfterUpgrade(&rc{ID: id, Description: desc,
			Expectation:  "The server accepts with a valid 101 (" + why + "), then echoes a text message. Clean close with normal code.",
			Requirements: withReqs(ids, "H-4.2.2-101", "H-4.2.2-accept"),
			Opening:      &conformance.Opening{Request: request(edit), Judge: accepted(why)},
		}, "Hello, "+id)
	}
	version := func(id, v string, draft bool) *rc {
		return &rc{ID: id,
			Description:  "Send a request with Sec-WebSocket-Version: " + v + ".",
			Expectation:  "The server refuses with 426 Upgrade Required and Sec-WebSocket-Version: 13 (OK); 400 with that field is NON-STRICT; a refusal without it, a dropped connection or an upgrade FAILED (for the draft version 8, a valid upgrade is INFORMATIONAL).",
			Requirements: reqs("H-4.2.1-version", "H-4.2.2-version-advertise", "H-4.4-advertise-all"),
			Opening: &conformance.Opening{
				Request: request(func(r *handshake.Request) { r.Header.Set(spec.HeaderVersion, v) }),
				Judge:   versionRefused(draft),
			},
		}
	}

	out := []*rc{
		refuse("0.1.1", "Send the opening handshake with method POST.", "405 with Allow: GET",
			func(r *handshake.Request) { r.Method = "POST" }, "H-4.2.1-method"),
		noUpgrade("0.1.2", "Send the opening handshake as HTTP/1.0.", "RFC 9110 section 7.8: a server ignores Upgrade in an HTTP/1.0 request",
			func(r *handshake.Request) { r.Minor = 0 }, "H-4.2.1-http11", "H-4.2.1-reject"),
		refuse("0.1.3", "Send the opening handshake with method \"get\" (methods are case-sensitive).", "405 with Allow: GET",
			func(r *handshake.Request) { r.Method = "get" }, "H-4.2.1-method"),

		refuse("0.2.1", "Send the opening handshake without a Host field.", "400, RFC 9112 section 3.2",
			func(r *handshake.Request) { r.Header.Del("Host") }, "H-4.2.1-host"),
		refuse("0.2.2", "Send the opening handshake with two Host fields.", "400, RFC 9112 section 3.2",
			func(r *handshake.Request) { r.Header.Add("Host", "wskit.invalid") }, "H-4.2.1-host"),

		noUpgrade("0.3.1", "Send the opening handshake without an Upgrade field.", "without Upgrade: websocket it is a plain GET",
			func(r *handshake.Request) { r.Header.Del(spec.HeaderUpgrade) }, "H-4.2.1-upgrade", "H-4.2.1-reject"),
		noUpgrade("0.3.2", "Send the opening handshake without a Connection field (the Netty #12606 class).", "without Connection: Upgrade the Upgrade field is not for this hop",
			func(r *handshake.Request) { r.Header.Del(spec.HeaderConnection) }, "H-4.2.1-connection", "H-4.2.1-reject"),
		noUpgrade("0.3.3", "Send the opening handshake with Upgrade: websockets (garbled).", "websockets is not the websocket token",
			func(r *handshake.Request) { r.Header.Set(spec.HeaderUpgrade, "websockets") }, "H-4.2.1-upgrade", "H-4.2.1-reject"),
		noUpgrade("0.3.4", "Send the opening handshake with Connection: close (no Upgrade token).", "Connection has no Upgrade token",
			func(r *handshake.Request) { r.Header.Set(spec.HeaderConnection, "close") }, "H-4.2.1-connection", "H-4.2.1-reject"),
		accept("0.3.5", "Send the opening handshake with Connection: keep-alive, Upgrade (as Firefox does).", "Connection is a token list",
			func(r *handshake.Request) { r.Header.Set(spec.HeaderConnection, "keep-alive, Upgrade") }, "H-4.2.1-connection"),
		accept("0.3.6", "Send the opening handshake with the Connection tokens on two lines: Connection: keep-alive and Connection: Upgrade.", "a list may span several fields",
			func(r *handshake.Request) {
				r.Header.Set(spec.HeaderConnection, "keep-alive")
				r.Header.Add(spec.HeaderConnection, "Upgrade")
			}, "H-4.2.1-connection"),
		accept("0.3.7", "Send the opening handshake with every field name in odd case and Upgrade: WEBSOCKET, Connection: UPGRADE.", "names and these tokens compare case-insensitively",
			func(r *handshake.Request) {
				for i, f := range r.Header {
					r.Header[i].Name = oddCase(f.Name)
				}
				r.Header.Set(spec.HeaderUpgrade, "WEBSOCKET")
				r.Header.Set(spec.HeaderConnection, "UPGRADE")
			}, "H-4.2.1-upgrade", "H-4.2.1-connection"),
		echoAfterUpgrade(&rc{ID: "0.3.8",
			Description:  "Send the opening handshake with Upgrade: wskit-unknown/1, websocket.",
			Expectation:  "The server accepts with a valid 101 (Upgrade is a token list that contains websocket), then echoes a text message; a refusal is NON-STRICT (section 4.2.1 says the field \"contains\" websocket, which some read as equals). Clean close with normal code.",
			Requirements: reqs("H-4.2.1-upgrade", "H-4.2.2-101"),
			Opening: &conformance.Opening{
				Request: request(func(r *handshake.Request) { r.Header.Set(spec.HeaderUpgrade, "wskit-unknown/1, websocket") }),
				Judge:   acceptedOr(conformance.NonStrict, "Upgrade is a token list that contains websocket"),
			},
		}, "Hello, 0.3.8"),

		refuse("0.4.1", "Send the opening handshake without Sec-WebSocket-Key.", "400",
			func(r *handshake.Request) { r.Header.Del(spec.HeaderKey) }, "H-4.2.1-key"),
		refuse("0.4.2", "Send the opening handshake with two Sec-WebSocket-Key fields (two valid keys).", "400",
			func(r *handshake.Request) { r.Header.Add(spec.HeaderKey, keyOf(16)) }, "H-11.3.1-key-once"),
		refuse("0.4.3", "Send a Sec-WebSocket-Key of 15 bytes ("+keyOf(15)+").", "400",
			func(r *handshake.Request) { r.Header.Set(spec.HeaderKey, keyOf(15)) }, "H-4.2.1-key"),
		refuse("0.4.4", "Send a Sec-WebSocket-Key of 17 bytes ("+keyOf(17)+").", "400",
			func(r *handshake.Request) { r.Header.Set(spec.HeaderKey, keyOf(17)) }, "H-4.2.1-key"),
		refuse("0.4.5", "Send a Sec-WebSocket-Key that is not base64 (!!!!not*base64!!!!!!==).", "400",
			func(r *handshake.Request) { r.Header.Set(spec.HeaderKey, "!!!!not*base64!!!!!!==") }, "H-4.2.1-key"),
		accept("0.4.6", "Send RFC 6455's sample key dGhlIHNhbXBsZSBub25jZQ== and check the accept value s3pPLMBiTxaQ9kYGzzhZRbK+xOo=.", "the accept value is base64(SHA-1(key + GUID))",
			func(r *handshake.Request) { r.Header.Set(spec.HeaderKey, "dGhlIHNhbXBsZSBub25jZQ==") }, "H-4.2.1-key"),

		version("0.5.1", "8", true),
		version("0.5.2", "14", false),
		refuse("0.5.3", "Send the opening handshake without Sec-WebSocket-Version.", "400 or 426 with Sec-WebSocket-Version: 13",
			func(r *handshake.Request) { r.Header.Del(spec.HeaderVersion) }, "H-4.2.1-version"),
		refuse("0.5.4", "Send the opening handshake with Sec-WebSocket-Version: 13 twice.", "400",
			func(r *handshake.Request) { r.Header.Add(spec.HeaderVersion, "13") }, "H-11.3.5-version-once"),
	}

	// Negotiation: an unknown subprotocol and an unknown extension.
	const proto, ext = "wskit.unknown.v1", "x-wskit-unknown"
	protoCase := echoAfterUpgrade(&rc{ID: "0.6.1",
		Description:  "Offer only the subprotocol " + proto + ", which no server speaks.",
		Expectation:  "The server accepts without selecting it (no Sec-WebSocket-Protocol in the 101), then echoes a text message; refusing is NON-STRICT; selecting it FAILED.",
		Requirements: reqs("H-4.2.2-subprotocol"),
		Opening: &conformance.Opening{
			Request: request(func(r *handshake.Request) { r.Header.Set(spec.HeaderProtocol, proto) }),
			Judge: func(a *conformance.Answer) (conformance.Verdict, string) {
				switch {
				case a.TimedOut():
					return hung(a)
				case a.Status() == 101 && a.Response.Header.Get(spec.HeaderProtocol) != "":
					return judged(conformance.Failed, a, "The server selected "+strconv.Quote(a.Response.Header.Get(spec.HeaderProtocol))+", a subprotocol it cannot speak.")
				case a.Upgraded():
					return judged(conformance.OK, a, "Upgraded without a subprotocol.")
				case a.Status() == 101:
					return judged(conformance.Failed, a, "Not a valid upgrade.")
				default:
					return judged(conformance.NonStrict, a, "Refused: a server may require a subprotocol, but it could accept without one.")
				}
			},
		},
	}, "Hello, 0.6.1")
	extCase := echoAfterUpgrade(&rc{ID: "0.6.2",
		Description:  "Offer only the extension " + ext + "; mode=1, which no server implements.",
		Expectation:  "The server accepts without selecting it (no Sec-WebSocket-Extensions naming it), then echoes a text message; refusing is NON-STRICT; selecting it FAILED.",
		Requirements: reqs("H-4.2.2-extensions", "H-9.1-ext-grammar"),
		Opening: &conformance.Opening{
			Request: request(func(r *handshake.Request) { r.Header.Set(spec.HeaderExtensions, ext+"; mode=1") }),
			Judge: func(a *conformance.Answer) (conformance.Verdict, string) {
				switch {
				case a.TimedOut():
					return hung(a)
				case a.Status() == 101 && strings.Contains(strings.ToLower(strings.Join(a.Response.Header.Values(spec.HeaderExtensions), ",")), ext):
					return judged(conformance.Failed, a, "The server selected "+ext+", an extension it cannot implement.")
				case a.Upgraded():
					return judged(conformance.OK, a, "Upgraded without the extension.")
				case a.Status() == 101:
					return judged(conformance.Failed, a, "Not a valid upgrade.")
				default:
					return judged(conformance.NonStrict, a, "Refused: an unknown extension is declined by leaving it out, not by refusing the connection.")
				}
			},
		},
	}, "Hello, 0.6.2")
	out = append(out, protoCase, extCase)

	// The wire: pipelined frames, a dripped head, oversized heads,
	// request content.
	pipelined := "Hello, pipelined"
	out = append(out,
		&rc{ID: "0.7.1",
			Description:  "Send a text message in the same TCP write as the opening handshake, right after it, without waiting for the 101.",
			Expectation:  "The server accepts with a valid 101 and echoes the message: bytes after the head are frames. Clean close with normal code.",
			Requirements: reqs("H-4.2.2-101", "R-6.2-parse"),
			Expected:     ok(text(pipelined)),
			Close:        closeNormal,
			Opening: &conformance.Opening{
				Request:  func(r *handshake.Request) []byte { return r.Append(nil) },
				Pipeline: []conformance.Frame{{Opcode: int(spec.OpText), Fin: true, Payload: []byte(pipelined)}},
				Judge:    accepted("a client may send frames right after its request"),
			},
			Open: func(s *conformance.Session) { s.KillAfter(2) },
		},
		echoAfterUpgrade(&rc{ID: "0.7.2",
			Description:  "Send the opening handshake one byte per TCP write, 3 ms apart.",
			Expectation:  "The server accepts with a valid 101 once the head is complete, then echoes a text message. Clean close with normal code.",
			Requirements: reqs("H-4.2.2-101", "H-4.2.2-accept"),
			Opening: &conformance.Opening{
				Request: func(r *handshake.Request) []byte { return r.Append(nil) },
				Drip:    3 * time.Millisecond,
				Judge:   accepted("a head may arrive in any number of pieces"),
			},
		}, "Hello, 0.7.2"),
		&rc{ID: "0.7.3",
			Description:  "Send an opening handshake with a 2 MiB header field (X-Wskit-Padding).",
			Expectation:  "The server refuses with 431 (or another 4xx) or closes the connection, quickly: OK. Accepting is INFORMATIONAL, an answer slower than 2 s NON-STRICT, no answer FAILED.",
			Requirements: reqs("H-10.4-limits", "H-10.7-http-status"),
			Opening: &conformance.Opening{
				Request: request(func(r *handshake.Request) { r.Header.Add("X-Wskit-Padding", strings.Repeat("a", 2<<20)) }),
				Judge:   bounded,
			},
		},
		&rc{ID: "0.7.4",
			Description:  "Send an opening handshake with 10,000 header lines (the tungstenite CVE-2023-43669 and ws many-headers class).",
			Expectation:  "The server refuses with 431 (or another 4xx) or closes the connection, quickly: OK. Accepting is INFORMATIONAL, an answer slower than 2 s NON-STRICT, no answer FAILED.",
			Requirements: reqs("H-10.4-limits", "H-10.7-http-status"),
			Opening: &conformance.Opening{
				Request: request(func(r *handshake.Request) {
					for i := range 10000 {
						r.Header.Add(fmt.Sprintf("X-Wskit-%05d", i), "x")
					}
				}),
				Judge: bounded,
			},
		},
	)

	// Content on the upgrade request: the bytes after the head are either
	// content (a server that reads it must not run it as frames) or a
	// reason to refuse (handshake requests have no content).
	smuggled := "smuggled"
	frameLen := 2 + 4 + len(smuggled) // a masked client frame with a 7-bit length
	out = append(out,
		echoAfterUpgrade(&rc{ID: "0.7.5",
			Description:  fmt.Sprintf("Send the opening handshake with Content-Length: %d and, as its content, a masked text frame %q.", frameLen, smuggled),
			Expectation:  "The server refuses (a 4xx: an opening handshake has no content) or closes: OK; or it accepts, consumes the content as content, and echoes only the text message sent after the 101: OK. Echoing the content as a message (request smuggling) is FAILED.",
			Requirements: reqs("H-4.2.1-reject", "R-6.2-parse"),
			Opening: &conformance.Opening{
				Request:  request(func(r *handshake.Request) { r.Header.Set("Content-Length", strconv.Itoa(frameLen)) }),
				Pipeline: []conformance.Frame{{Opcode: int(spec.OpText), Fin: true, Payload: []byte(smuggled)}},
				Judge:    contentJudge,
			},
		}, "Hello, 0.7.5"),
		echoAfterUpgrade(&rc{ID: "0.7.6",
			Description:  "Send the opening handshake with Transfer-Encoding: chunked and an empty chunked body (0 CRLF CRLF).",
			Expectation:  "The server refuses (a 4xx: an opening handshake has no content) or closes: OK; or it accepts, consumes the chunked body, and echoes the text message sent after the 101: OK. Reading the body as frames fails the connection: FAILED.",
			Requirements: reqs("H-4.2.1-reject", "R-6.2-parse"),
			Opening: &conformance.Opening{
				Request: func(r *handshake.Request) []byte {
					r.Header.Set("Transfer-Encoding", "chunked")
					return append(r.Append(nil), "0\r\n\r\n"...)
				},
				Judge: contentJudge,
			},
		}, "Hello, 0.7.6"),
	)

	forms, serverOnly := clientOpening()
	for _, c := range out {
		c.ForClients = forms[c.ID]
		c.ServerOnly = serverOnly[c.ID]
		if (c.ForClients == nil) == (c.ServerOnly == "") {
			panic("autobahn: case " + c.ID + " needs exactly one of a form against clients and a reason it has none")
		}
	}
	return out
}

// contentJudge judges an upgrade request with content: a refusal or a
// close ends the case OK; an upgrade goes on to the echo, whose events
// show whether the content was run as frames.
func contentJudge(a *conformance.Answer) (conformance.Verdict, string) {
	switch s := a.Status(); {
	case a.TimedOut():
		return hung(a)
	case a.Upgraded():
		return judged(conformance.OK, a, "Upgraded: the content must not be run as frames.")
	case s == 101:
		return judged(conformance.Failed, a, "Not a valid upgrade.")
	case s >= 400 && s < 500, a.Response == nil && a.Closed():
		return judged(conformance.OK, a, "Refused: an opening handshake has no content.")
	default:
		return judged(conformance.NonStrict, a, "Neither upgraded nor refused with a 4xx.")
	}
}

// oddCase alternates the case of a field name's letters: "uPgRaDe".
func oddCase(name string) string {
	b := []byte(strings.ToLower(name))
	for i := range b {
		if i%2 == 1 && b[i] >= 'a' && b[i] <= 'z' {
			b[i] -= 'a' - 'A'
		}
	}
	return string(b)
}

// Against clients, category 0 is how a client checks the server's answer
// to its opening handshake (RFC 6455 section 4.1, H-4.1-resp-status to -conform): each case of a sub-category
// whose field has a response-side rule has a form against clients
// (Case.ForClients) with the same ID, in which the runner, as the server,
// answers with its own response head (Case.Reply) and then sends a text
// message. A client must fail the connection on an invalid response (it
// closes TCP, sending nothing: the connection never opened) and must
// accept the valid odd ones and echo the message. Cases of request
// fields with no response counterpart (Host, Sec-WebSocket-Version) run
// only against servers (Case.ServerOnly).

// replyWait is how long a case waits for the client to echo or fail.
const replyWait = 1.0

// clientOpening returns the forms against clients of category 0's cases,
// by ID, and the reasons of the cases that have none.
func clientOpening() (forms map[string]*conformance.Case, serverOnly map[string]string) {
	type edit = func(req *handshake.Request, resp *handshake.Response)
	head := func(e edit) func(req *handshake.Request, resp *handshake.Response) []byte {
		return func(req *handshake.Request, resp *handshake.Response) []byte {
			e(req, resp)
			return resp.Append(nil)
		}
	}
	bad := func(id, desc string, h func(req *handshake.Request, resp *handshake.Response) []byte, ids ...string) *conformance.Case {
		msg := "Hello, " + id
		return &conformance.Case{ID: id,
			Description: "Answer the client's opening handshake with " + desc + ", then send the text message " + strconv.Quote(msg) + ".",
			Expectation: "The client fails the connection: it closes TCP without sending a frame (OK); a Close frame first is NON-STRICT " +
				"(the connection never opened, so there is nothing to close). Echoing the message, or still waiting after 1 s, is FAILED.",
			Requirements: withReqs(ids, "R-7.1.7-fail"),
			Expected:     ok(),
			Close:        conformance.ExpectedClose{ClosedByMe: false, CloseCode: []int{1002}},
			Reply:        &conformance.Reply{Head: h},
			Open: func(s *conformance.Session) {
				s.SendMessage(int(spec.OpText), []byte(msg), 0, false)
				s.KillAfter(replyWait)
			},
			Judge: judgeBadReply,
		}
	}
	good := func(id, desc, why string, r *conformance.Reply, ids ...string) *conformance.Case {
		msg := "Hello, " + id
		return &conformance.Case{ID: id,
			Description:  "Answer the client's opening handshake with " + desc + ", then send the text message " + strconv.Quote(msg) + ".",
			Expectation:  "The client accepts the response (" + why + ") and echoes the message. Clean close with normal code.",
			Requirements: ids,
			Expected:     ok(text(msg)),
			Close:        closeNormal,
			Reply:        r,
			Open: func(s *conformance.Session) {
				s.SendMessage(int(spec.OpText), []byte(msg), 0, false)
				s.KillAfter(2 * replyWait)
			},
			Judge: judgeGoodReply,
		}
	}
	accept := func(req *handshake.Request) string { return handshake.AcceptKey(req.Header.Get(spec.HeaderKey)) }
	const proto, ext = "wskit.unknown.v1", "x-wskit-unknown"
	list := []*conformance.Case{
		bad("0.1.1", "200 OK (with the upgrade's fields) instead of 101",
			head(func(_ *handshake.Request, r *handshake.Response) { r.Status, r.Reason = 200, "OK" }), "H-4.1-resp-status"),
		bad("0.1.2", "HTTP/1.0 101 Switching Protocols",
			head(func(_ *handshake.Request, r *handshake.Response) { r.Minor = 0 }), "H-4.1-resp-conform"),
		bad("0.1.3", "the status line http/1.1 101 Switching Protocols (the HTTP-name is case-sensitive)",
			func(_ *handshake.Request, r *handshake.Response) []byte {
				return append([]byte("http"), r.Append(nil)[len("HTTP"):]...)
			}, "H-4.1-resp-conform"),

		bad("0.3.1", "a 101 without an Upgrade field",
			head(func(_ *handshake.Request, r *handshake.Response) { r.Header.Del(spec.HeaderUpgrade) }), "H-4.1-resp-upgrade"),
		bad("0.3.2", "a 101 without a Connection field",
			head(func(_ *handshake.Request, r *handshake.Response) { r.Header.Del(spec.HeaderConnection) }), "H-4.1-resp-connection"),
		bad("0.3.3", "a 101 with Upgrade: websockets (garbled)",
			head(func(_ *handshake.Request, r *handshake.Response) { r.Header.Set(spec.HeaderUpgrade, "websockets") }), "H-4.1-resp-upgrade"),
		bad("0.3.4", "a 101 with Connection: close (no Upgrade token)",
			head(func(_ *handshake.Request, r *handshake.Response) { r.Header.Set(spec.HeaderConnection, "close") }), "H-4.1-resp-connection"),
		good("0.3.5", "a 101 with Connection: upgrade, keep-alive", "Connection is a token list; tokens compare case-insensitively",
			&conformance.Reply{Head: head(func(_ *handshake.Request, r *handshake.Response) {
				r.Header.Set(spec.HeaderConnection, "upgrade, keep-alive")
			})}, "H-4.1-resp-connection"),
		good("0.3.6", "a 101 with the Connection tokens on two lines: Connection: keep-alive and Connection: Upgrade", "a list may span several fields",
			&conformance.Reply{Head: head(func(_ *handshake.Request, r *handshake.Response) {
				r.Header.Set(spec.HeaderConnection, "keep-alive")
				r.Header.Add(spec.HeaderConnection, "Upgrade")
			})}, "H-4.1-resp-connection"),
		good("0.3.7", "a 101 with every field name in odd case and Upgrade: WebSocket, Connection: UPGRADE",
			"names, the websocket token and the Upgrade token compare case-insensitively",
			&conformance.Reply{Head: head(func(_ *handshake.Request, r *handshake.Response) {
				r.Header.Set(spec.HeaderUpgrade, "WebSocket")
				r.Header.Set(spec.HeaderConnection, "UPGRADE")
				for i, f := range r.Header {
					r.Header[i].Name = oddCase(f.Name)
				}
			})}, "H-4.1-resp-upgrade", "H-4.1-resp-connection"),
		bad("0.3.8", "a 101 with Upgrade: wskit-unknown/1, websocket (a list, where the response's Upgrade must be websocket)",
			head(func(_ *handshake.Request, r *handshake.Response) {
				r.Header.Set(spec.HeaderUpgrade, "wskit-unknown/1, websocket")
			}),
			"H-4.1-resp-upgrade"),

		bad("0.4.1", "a 101 without Sec-WebSocket-Accept",
			head(func(_ *handshake.Request, r *handshake.Response) { r.Header.Del(spec.HeaderAccept) }), "H-4.1-resp-accept"),
		bad("0.4.2", "a 101 with Sec-WebSocket-Accept twice (the right value both times)",
			head(func(req *handshake.Request, r *handshake.Response) { r.Header.Add(spec.HeaderAccept, accept(req)) }),
			"H-4.1-resp-accept", "H-11.3.3-accept-once"),
		bad("0.4.3", "a 101 whose Sec-WebSocket-Accept answers another key ("+handshake.AcceptKey(keyOf(16))+", the accept of "+keyOf(16)+")",
			head(func(_ *handshake.Request, r *handshake.Response) {
				r.Header.Set(spec.HeaderAccept, handshake.AcceptKey(keyOf(16)))
			}),
			"H-4.1-resp-accept"),
		bad("0.4.4", "a 101 whose Sec-WebSocket-Accept is computed with a wrong GUID (the GUID in lower case: a server bug class)",
			head(func(req *handshake.Request, r *handshake.Response) {
				r.Header.Set(spec.HeaderAccept, wrongGUIDAccept(req.Header.Get(spec.HeaderKey)))
			}), "H-4.1-resp-accept"),
		bad("0.4.5", "a 101 whose Sec-WebSocket-Accept is not base64 (!!!!not*base64!!!!!!!!=)",
			head(func(_ *handshake.Request, r *handshake.Response) {
				r.Header.Set(spec.HeaderAccept, "!!!!not*base64!!!!!!!!=")
			}),
			"H-4.1-resp-accept"),
		bad("0.4.6", "a 101 whose Sec-WebSocket-Accept is the right value with the case of its letters swapped (base64 is case-sensitive)",
			head(func(req *handshake.Request, r *handshake.Response) {
				r.Header.Set(spec.HeaderAccept, swapCase(accept(req)))
			}),
			"H-4.1-resp-accept"),

		bad("0.6.1", "a 101 that selects the subprotocol "+proto+", which the client did not offer",
			head(func(_ *handshake.Request, r *handshake.Response) { r.Header.Set(spec.HeaderProtocol, proto) }), "H-4.1-resp-subprotocol"),
		bad("0.6.2", "a 101 that accepts the extension "+ext+"; mode=1, which the client did not offer",
			head(func(_ *handshake.Request, r *handshake.Response) { r.Header.Set(spec.HeaderExtensions, ext+"; mode=1") }),
			"H-4.1-resp-extensions"),

		good("0.7.1", "a 101 and, in the same TCP write, the text message", "bytes after the head are frames",
			nil, "H-4.1-resp-status", "R-6.2-parse"),
		good("0.7.2", "a valid 101 written one byte per TCP write, 3 ms apart", "a head may arrive in any number of pieces",
			&conformance.Reply{Head: head(func(*handshake.Request, *handshake.Response) {}), Drip: 3 * time.Millisecond}, "H-4.1-resp-status"),
		bad("0.7.5", "a 101 with Content-Length: 0 (RFC 9110 forbids the field in a 1xx)",
			head(func(_ *handshake.Request, r *handshake.Response) { r.Header.Add("Content-Length", "0") }), "H-4.1-resp-conform"),
		bad("0.7.6", "a 101 with Transfer-Encoding: chunked (RFC 9112 forbids the field in a 1xx)",
			head(func(_ *handshake.Request, r *handshake.Response) { r.Header.Add("Transfer-Encoding", "chunked") }), "H-4.1-resp-conform"),
	}
	// 0.7.1: the message follows the head in the same write, instead of
	// being sent once the case opens.
	pipelined := list[slices.IndexFunc(list, func(c *conformance.Case) bool { return c.ID == "0.7.1" })]
	pipelined.Reply = &conformance.Reply{Head: func(_ *handshake.Request, r *handshake.Response) []byte {
		msg := []byte("Hello, 0.7.1")
		out := codec.AppendHeader(r.Append(nil), codec.Header{Fin: true, Opcode: spec.OpText, Length: uint64(len(msg))})
		return append(out, msg...)
	}}
	pipelined.Open = func(s *conformance.Session) { s.KillAfter(2 * replyWait) }

	// 0.7.3 and 0.7.4: oversized response heads, where the limit is the
	// client's own.
	for _, o := range []struct {
		id, desc string
		edit     edit
	}{
		{"0.7.3", "a 101 with a 2 MiB header field (X-Wskit-Padding)", func(_ *handshake.Request, r *handshake.Response) {
			r.Header.Add("X-Wskit-Padding", strings.Repeat("a", 2<<20))
		}},
		{"0.7.4", "a 101 with 10,000 header lines", func(_ *handshake.Request, r *handshake.Response) {
			for i := range 10000 {
				r.Header.Add(fmt.Sprintf("X-Wskit-%05d", i), "x")
			}
		}},
	} {
		c := bad(o.id, o.desc, head(o.edit), "H-10.4-limits")
		c.Expectation = "The client refuses the oversized head: it closes TCP without sending a frame (OK). Accepting it and echoing the message is " +
			"INFORMATIONAL (the limit is the client's choice); still waiting after 1 s is FAILED."
		c.Judge = judgeBigReply
		list = append(list, c)
	}

	forms = map[string]*conformance.Case{}
	for _, c := range list {
		forms[c.ID] = c
	}
	host := "Host is a request field: a response has no counterpart to check."
	version := "Sec-WebSocket-Version is a request field; a client's handling of a refusal (426 or another status) is H-4.1-resp-status, which 0.1.1 checks."
	serverOnly = map[string]string{"0.2.1": host, "0.2.2": host, "0.5.1": version, "0.5.2": version, "0.5.3": version, "0.5.4": version}
	return forms, serverOnly
}

// wrongGUIDAccept is the Sec-WebSocket-Accept of key computed with the
// GUID in lower case, as a server with that bug sends it.
func wrongGUIDAccept(key string) string {
	sum := sha1.Sum([]byte(key + strings.ToLower(spec.GUID)))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// swapCase swaps the case of s's ASCII letters.
func swapCase(s string) string {
	b := []byte(s)
	for i, c := range b {
		switch {
		case 'a' <= c && c <= 'z':
			b[i] = c - 'a' + 'A'
		case 'A' <= c && c <= 'Z':
			b[i] = c - 'A' + 'a'
		}
	}
	return string(b)
}

// replyOutcome is how a client dealt with a case's own response.
type replyOutcome int

const (
	replyDropped replyOutcome = iota // closed TCP without a frame
	replyClosed                      // sent a Close frame, and no data
	replyWentOn                      // sent data frames: it took the response as an upgrade
	replyWaited                      // sent nothing and kept the connection open
)

// replyOutcomeOf classifies the end of a case whose response the client
// had to refuse.
func replyOutcomeOf(r *conformance.Result) replyOutcome {
	data := r.RxFrameStats[int(spec.OpText)] + r.RxFrameStats[int(spec.OpBinary)] + r.RxFrameStats[int(spec.OpContinuation)]
	switch {
	case data > 0 || len(r.Received) > 0:
		return replyWentOn
	case r.RxFrameStats[int(spec.OpClose)] > 0:
		return replyClosed
	case r.ClosedByMe || r.DroppedByMe:
		return replyWaited
	}
	return replyDropped
}

// judgeBadReply is the rule of a case whose response the client must
// refuse: closing TCP OK, a Close frame first NON-STRICT, going on (an
// echo) or waiting FAILED.
func judgeBadReply(_ *conformance.Session, r *conformance.Result) {
	judgeReply(r, conformance.Failed, "The client took the invalid response for an upgrade and echoed the message.")
}

// judgeBigReply is judgeBadReply for an oversized head, which a client
// may accept: going on is INFORMATIONAL.
func judgeBigReply(_ *conformance.Session, r *conformance.Result) {
	judgeReply(r, conformance.Informational, "The client accepted the oversized head and went on (its limit is larger).")
}

func judgeReply(r *conformance.Result, wentOn conformance.Verdict, wentOnText string) {
	const closeOK = "Connection was properly closed"
	switch replyOutcomeOf(r) {
	case replyDropped:
		setVerdicts(r, conformance.OK, conformance.OK, "The client failed the connection: it closed TCP without a frame.", closeOK,
			"the client refused the response and closed TCP")
	case replyClosed:
		setVerdicts(r, conformance.NonStrict, conformance.OK, "The client failed the connection, with a Close frame.", closeOK,
			"NON-STRICT: the client refused the response but sent a Close frame on a connection that never opened; "+closeSummary(r))
	case replyWentOn:
		bc := conformance.Failed
		if wentOn == conformance.Informational {
			bc = conformance.Informational
		}
		setVerdicts(r, wentOn, bc, wentOnText, "The client should have failed the connection",
			fmt.Sprintf("%s: the client went on after the response (%d data frames); %s", wentOn, r.RxFrameStats[int(spec.OpText)]+
				r.RxFrameStats[int(spec.OpBinary)]+r.RxFrameStats[int(spec.OpContinuation)], closeSummary(r)))
	default:
		setVerdicts(r, conformance.Failed, conformance.Failed,
			fmt.Sprintf("The client neither failed the connection nor echoed within %g s.", replyWait),
			"The client should have failed the connection",
			"the client kept the connection open after the response and sent nothing; "+closeSummary(r))
	}
}

// judgeGoodReply explains a FAILED case whose valid response the client
// refused.
func judgeGoodReply(_ *conformance.Session, r *conformance.Result) {
	if r.Behavior != conformance.OK && len(r.Received) == 0 && r.RxFrameStats[int(spec.OpClose)] == 0 && !r.ClosedByMe {
		r.Result = "The client refused a valid response: it closed TCP without echoing."
		r.Reason = "FAILED: the client failed the connection on a valid response"
	}
}
