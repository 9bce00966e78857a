package autobahn

import (
	"bytes"
	"compress/flate"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/conformance"
	"github.com/wskit/wskit/handshake"
	"github.com/wskit/wskit/spec"
)

// deflateRules is category 14, wskit's own: the permessage-deflate rules
// and bug classes Autobahn|Testsuite never sends (its categories 12 and
// 13 only echo well-formed messages): decompression bombs, RSV1 where it
// does not belong, odd and invalid offers, and the DEFLATE stream shapes
// of RFC 7692 section 7.2.3. Autobahn has no category 14, so the numbers
// never collide with its own.
var deflateRules = &Category{ID: "14", Name: "Compression Rules and Bug Classes", build: deflateRulesCases,
	Captions: map[string]string{
		"14.1": "Decompression bombs",
		"14.2": "RSV1 and compressed data where they do not belong",
		"14.3": "Odd and invalid permessage-deflate offers",
		"14.4": "DEFLATE stream shapes (RFC 7692 section 7.2.3)",
	},
}

// plainOffer is the offer of most cases of 14: permessage-deflate with
// every default (context takeover both ways, 32 KiB windows).
var plainOffer = []handshake.Extension{{Name: "permessage-deflate"}}

// Waits of category 14.
const (
	// bombWait is how long a bomb case waits for the testee to fail the
	// connection (or echo) before it counts the testee as hanging.
	bombWait = 5.0
	// deflateWait bounds the other cases, as rulesWait does category 8's.
	deflateWait = 1.0
)

// deflateRulesCases are category 14.
func deflateRulesCases() []*conformance.Case {
	var out []*conformance.Case
	out = append(out, bombCases()...)
	out = append(out, rsv1Cases()...)
	out = append(out, offerCases()...)
	out = append(out, shapeCases()...)
	replies := deflateReplies()
	for _, c := range out {
		switch {
		case replies[c.ID] != nil:
			c.ForClients = replies[c.ID]
		case c.Extensions != nil:
			c.AcceptDeflate = paramSets[0].accept
			c.ForClients = acceptingForm(c)
		default: // 14.2.6
			c.ForClients = decliningForm(c)
		}
	}
	return out
}

// Against clients, the runner is the server: a case of 14 that offers
// permessage-deflate to a server accepts the client's first valid offer
// as it is (Autobahn's rule for 12, Case.AcceptDeflate) and then sends
// the same frames, and is UNIMPLEMENTED for a client that offers none;
// 14.2.6 declines every offer and sends RSV1 anyway; and 14.3, which
// sends odd and invalid offers to a server, answers the client with
// invalid permessage-deflate responses, which it must fail
// (D-7-client-fail, D-5-invalid-response).

// The openings of the descriptions and expectations of 14 that read
// otherwise against clients.
const (
	offerPlain       = "Offer permessage-deflate. "
	acceptPlain      = "Accept the client's first valid permessage-deflate offer as it is. "
	serverDeclines   = "UNIMPLEMENTED if the server declines permessage-deflate."
	clientOffersNone = "UNIMPLEMENTED if the client offers no valid permessage-deflate."
)

// acceptingForm is a case of 14 that offers permessage-deflate, as it
// runs against clients.
func acceptingForm(c *conformance.Case) *conformance.Case {
	v := *c
	v.Description = strings.Replace(c.Description, offerPlain, acceptPlain, 1)
	v.Expectation = strings.Replace(c.Expectation, serverDeclines, clientOffersNone, 1)
	v.Expectation = strings.Replace(v.Expectation, ", or not accepting connections afterwards", "", 1) // 14.1: no server to probe
	v.Extensions = nil
	if v.Description == c.Description || v.Expectation == c.Expectation {
		panic("autobahn: case " + c.ID + " does not read as an offer")
	}
	return &v
}

// decliningForm is 14.2.6 against clients.
func decliningForm(c *conformance.Case) *conformance.Case {
	v := *c
	v.Description = strings.Replace(c.Description, "Offer nothing.", "Decline every extension the client offers.", 1)
	if v.Description == c.Description {
		panic("autobahn: case " + c.ID + " does not read as offering nothing")
	}
	return &v
}

// deflateReplies are 14.3's forms against clients: a 101 whose
// Sec-WebSocket-Extensions accepts permessage-deflate invalidly, whatever
// the client offered (a client that offered nothing must fail it too:
// the extension was not offered), then a text message.
func deflateReplies() map[string]*conformance.Case {
	reply := func(id, field, why string, ids ...string) *conformance.Case {
		msg := "Hello, " + id
		return &conformance.Case{
			ID: id,
			Description: fmt.Sprintf("Answer the client's opening handshake with a 101 carrying Sec-WebSocket-Extensions: %s (%s), "+
				"then send the text message %q.", field, why, msg),
			Expectation: "The client fails the connection: it closes TCP without sending a frame (OK); a Close frame first is NON-STRICT " +
				"(the connection never opened). Echoing the message, or still waiting after 1 s, is FAILED.",
			Requirements: withReqs(ids, "D-7-client-fail", "D-5-invalid-response", "R-7.1.7-fail"),
			Expected:     ok(),
			Close:        conformance.ExpectedClose{ClosedByMe: false, CloseCode: []int{1002}},
			Reply: &conformance.Reply{Head: func(_ *handshake.Request, r *handshake.Response) []byte {
				r.Header.Set(spec.HeaderExtensions, field)
				return r.Append(nil)
			}},
			Open: func(s *conformance.Session) {
				s.SendMessage(int(spec.OpText), []byte(msg), 0, false)
				s.KillAfter(replyWait)
			},
			Judge: judgeBadReply,
		}
	}
	m := map[string]*conformance.Case{}
	for _, c := range []*conformance.Case{
		reply("14.3.1", "permessage-deflate; server_max_window_bits=16", "a window of 2^16 octets, outside 8-15",
			"D-7.1.2.1-server_max_window_bits"),
		reply("14.3.2", "permessage-deflate; server_no_context_takeover; server_no_context_takeover", "a repeated parameter",
			"D-7.1.1.1-server_no_context_takeover"),
		reply("14.3.3", "permessage-deflate; x-wskit-unknown=1", "a parameter RFC 7692 does not define"),
		reply("14.3.4", "permessage-deflate; client_max_window_bits", "client_max_window_bits without a value, which a response must give",
			"D-7.1.2.2-client_max_window_bits"),
		reply("14.3.5", "permessage-deflate, permessage-deflate", "two acceptances, where a server accepts with one element",
			"D-5-accept"),
	} {
		m[c.ID] = c
	}
	return m
}

// needDeflate starts a case of 14 that needs permessage-deflate: if the
// server declined it, the case closes at once and is UNIMPLEMENTED
// (judged by unimplemented), as Autobahn's 12 and 13 are.
func needDeflate(s *conformance.Session) bool {
	if _, ok := s.Deflate(); ok {
		return true
	}
	s.SetBehavior(conformance.Unimplemented, upper(declined(s))+".")
	s.Close(1000, "")
	return false
}

// declined says why permessage-deflate is not in effect: the server
// declined the runner's offer, or (against clients) the client made no
// offer the case's rule accepts (Case.AcceptDeflate).
func declined(s *conformance.Session) string {
	if s.Role() == codec.RoleServer {
		return "the client made no permessage-deflate offer the case accepts"
	}
	return "the server declined permessage-deflate"
}

// upper capitalises the first letter of an ASCII sentence.
func upper(t string) string { return strings.ToUpper(t[:1]) + t[1:] }

// unimplemented sets the verdicts of a case whose server declined
// permessage-deflate, and reports whether it did.
func unimplemented(s *conformance.Session, r *conformance.Result) bool {
	if _, ok := s.Deflate(); ok {
		return false
	}
	closeV, closeText := conformance.OK, "Connection was properly closed"
	if !r.WasClean {
		closeV, closeText = conformance.Unclean, "The spec requires the connection to be failed cleanly here"
	}
	setVerdicts(r, conformance.Unimplemented, closeV, upper(declined(s))+".", closeText, "UNIMPLEMENTED: "+declined(s))
	return true
}

// deflated compresses p as one message with a fresh compressor at the
// best level, sync-flushed, the final 00 00 ff ff removed: a payload
// valid for any receiver, whatever its window holds (it never refers
// back before itself).
func deflated(p []byte) []byte {
	var b bytes.Buffer
	w, _ := flate.NewWriter(&b, flate.BestCompression)
	w.Write(p)
	w.Flush()
	return bytes.Clone(b.Bytes()[:b.Len()-4])
}

// zerosBomb returns a compressed payload that inflates to mib MiB of
// zero octets: one MiB compressed and sync-flushed (about 1 KiB),
// repeated, since sync-flushed pieces concatenate into one stream; the
// final 00 00 ff ff removed.
func zerosBomb(mib int) []byte {
	out := bytes.Repeat(bombPiece(), mib)
	return out[:len(out)-4]
}

// bombPiece is one MiB of zeros compressed and sync-flushed, built on
// first use.
var bombPiece = sync.OnceValue(func() []byte {
	var b bytes.Buffer
	w, _ := flate.NewWriter(&b, flate.BestCompression)
	w.Write(make([]byte, 1<<20))
	w.Flush()
	return bytes.Clone(b.Bytes())
})

// bombCases are 14.1: a few kilobytes that inflate past common limits.
func bombCases() []*conformance.Case {
	var out []*conformance.Case
	for i, mib := range []int{17, 128} {
		out = append(out, &conformance.Case{
			ID: fmt.Sprintf("14.1.%d", i+1),
			Description: fmt.Sprintf("Offer permessage-deflate. Send one compressed binary frame of %d octets that inflates to %d MiB of zero octets "+
				"(past the 16 MiB many servers default to%s).", mib*len(bombPiece())-4, mib, map[bool]string{true: ", and past ws's 100 MiB"}[mib > 100]),
			Expectation: "The testee fails the connection with 1009 (message too big) as its inflated size passes its limit: OK. " +
				"Failing it otherwise (another code, a drop) or inflating it whole and echoing it (its limit is larger) is INFORMATIONAL. " +
				fmt.Sprintf("Neither within %g s, or not accepting connections afterwards, FAILED. UNIMPLEMENTED if the server declines permessage-deflate.", bombWait),
			Requirements: reqs("R-10.4-limits", "D-7.2.2-decompress", "D-5-use-agreed"),
			Extensions:   plainOffer,
			Expected:     ok(),
			Close:        conformance.ExpectedClose{ClosedByMe: false, CloseCode: []int{1009}},
			Limit:        time.Duration(bombWait+10) * time.Second,
			Open: func(s *conformance.Session) {
				if !needDeflate(s) {
					return
				}
				s.SendFrame(conformance.Frame{Opcode: int(spec.OpBinary), Fin: true, Rsv: 4, Payload: zerosBomb(mib)})
				waitThenDrop(s, bombWait)
			},
			Judge: judgeBomb,
		})
	}
	return out
}

// judgeBomb is 14.1's rule.
func judgeBomb(s *conformance.Session, r *conformance.Result) {
	if unimplemented(s, r) {
		return
	}
	const closeOK = "Connection was properly closed"
	info := conformance.Informational
	switch e := howEnded(r); {
	case e == closedByRunner && r.FailedByMe && r.HasLocalCloseCode && r.LocalCloseCode == int(spec.CloseMessageTooBig):
		setVerdicts(r, info, info, "The testee inflated the whole message and echoed it: its limit is above the runner's 16 MiB.", closeOK,
			"INFORMATIONAL: the testee echoed the inflated message (the runner failed the connection at its own 16 MiB limit); "+closeSummary(r))
	case e == failedWithClose && (!r.HasRemoteCloseCode || r.RemoteCloseCode == int(spec.CloseMessageTooBig)) && len(r.Received) == 0:
		setVerdicts(r, conformance.OK, conformance.OK, "The testee failed the connection at its limit.", closeOK,
			"the testee failed the connection; "+closeSummary(r))
	case e == failedWithClose || e == failedByDrop:
		setVerdicts(r, info, info, "The testee failed the connection, but not with 1009.", "The connection was failed",
			"INFORMATIONAL: "+closeSummary(r)+" (R-10.4-limits: 1009 says the message is too big)")
	default:
		setVerdicts(r, conformance.Failed, conformance.Failed,
			fmt.Sprintf("The testee neither failed the connection nor echoed within %g seconds.", bombWait),
			"The testee should have failed the connection",
			fmt.Sprintf("the testee was still busy after %g s with a message a few kilobytes long; %s", bombWait, closeSummary(r)))
		return
	}
	survived(s, r)
}

// hello is RFC 7692 section 7.2.3.1's "Hello", compressed: one
// fixed-Huffman block, sync-flushed, the tail removed.
var hello = []byte{0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00}

// rsv1Cases are 14.2: RSV1 where permessage-deflate does not allow it,
// compressed data that is not DEFLATE or not UTF-8, and RSV1 without any
// extension.
func rsv1Cases() []*conformance.Case {
	fails := func(id, desc string, close conformance.ExpectedClose, ids []string, send func(s *conformance.Session)) *conformance.Case {
		return &conformance.Case{
			ID:          id,
			Description: "Offer permessage-deflate. " + desc,
			Expectation: fmt.Sprintf("The testee fails the connection with %s (or drops TCP); nothing is echoed. UNIMPLEMENTED if the server declines permessage-deflate.",
				codesText(close.CloseCode)),
			Requirements: ids,
			Extensions:   plainOffer,
			Expected:     ok(),
			Close:        close,
			Open: func(s *conformance.Session) {
				if !needDeflate(s) {
					return
				}
				send(s)
				s.KillAfter(deflateWait)
			},
			Judge: func(s *conformance.Session, r *conformance.Result) { unimplemented(s, r) },
		}
	}
	text, cont, ping := int(spec.OpText), int(spec.OpContinuation), int(spec.OpPing)
	invalidUTF8 := []byte("\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xed\xa0\x80edited") // as 6.3.1
	out := []*conformance.Case{
		fails("14.2.1", "Send a compressed text message 'Hello' in two frames, with RSV1 on the continuation frame too.", failFatal,
			reqs("D-6-rsv1-placement", "R-7.1.7-fail"), func(s *conformance.Session) {
				s.SendFrame(conformance.Frame{Opcode: text, Rsv: 4, Payload: hello[:3]})
				s.SendFrame(conformance.Frame{Opcode: cont, Fin: true, Rsv: 4, Payload: hello[3:]})
			}),
		fails("14.2.2", "Send an uncompressed text message 'Hello' in two frames, RSV1 on the continuation frame only.", failFatal,
			reqs("D-6-rsv1-placement", "R-7.1.7-fail"), func(s *conformance.Session) {
				s.SendFrame(conformance.Frame{Opcode: text, Payload: []byte("Hel")})
				s.SendFrame(conformance.Frame{Opcode: cont, Fin: true, Rsv: 4, Payload: []byte("lo")})
			}),
		fails("14.2.3", "Send a ping with RSV1 set and the payload 'Hello' compressed.", failFatal,
			reqs("D-6-rsv1-placement", "D-6-data-only", "R-7.1.7-fail"), func(s *conformance.Session) {
				s.SendFrame(conformance.Frame{Opcode: ping, Fin: true, Rsv: 4, Payload: hello})
			}),
		fails("14.2.4", "Send a compressed text message that inflates to invalid UTF-8 (the octets of 6.3.1).", failUTF8,
			reqs("D-6-utf8-after", "R-8.1-utf8-fail"), func(s *conformance.Session) {
				s.SendFrame(conformance.Frame{Opcode: text, Fin: true, Rsv: 4, Payload: deflated(invalidUTF8)})
			}),
		fails("14.2.5", "Send a compressed binary message whose payload is not DEFLATE (a block of the reserved type 11).",
			conformance.ExpectedClose{ClosedByMe: false, CloseCode: []int{1007, 1002}, ClosedByWrongEndpointIsFatal: true},
			reqs("D-7.2.2-decompress", "R-7.1.7-fail"), func(s *conformance.Session) {
				s.SendFrame(conformance.Frame{Opcode: int(spec.OpBinary), Fin: true, Rsv: 4, Payload: []byte{0x06, 0x00, 0x00, 0x00}})
			}),
		{
			ID:           "14.2.6",
			Description:  "Offer nothing. Send the text message 'Hello' compressed, with RSV1 set, as if permessage-deflate were in effect.",
			Expectation:  "The testee fails the connection with 1002 (or drops TCP): no extension defines RSV1; nothing is echoed.",
			Requirements: reqs("R-5.2-rsv-fail", "D-5-use-agreed", "R-7.1.7-fail"),
			Expected:     ok(),
			Close:        failFatal,
			Open: func(s *conformance.Session) {
				s.SendFrame(conformance.Frame{Opcode: text, Fin: true, Rsv: 4, Payload: hello})
				s.KillAfter(deflateWait)
			},
		},
	}
	return out
}

// codesText writes close codes as "1002" or "1007 or 1002".
func codesText(codes []int) string {
	var parts []string
	for _, c := range codes {
		parts = append(parts, fmt.Sprint(c))
	}
	return strings.Join(parts, " or ")
}

// windowText is a message of 8 KiB whose repeats lie 300 octets apart:
// a compressor with a window of 256 octets cannot refer back to them, one
// with a larger window does, so an inflater with the agreed window of
// 2^8 octets catches a sender that ignored it.
var windowText = func() string {
	r := rng(14)
	unit := make([]byte, 300)
	for i := range unit {
		unit[i] = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ"[r.intn(53)]
	}
	return strings.Repeat(string(unit), 28)[:8192]
}()

// offerCases are 14.3: offers a server may accept or must decline, never
// refuse the connection over (D-7-server-decline).
func offerCases() []*conformance.Case {
	offer := func(id, header, why string, ids ...string) *conformance.Case {
		c := &conformance.Case{
			ID: id,
			Description: fmt.Sprintf("Send the opening handshake with Sec-WebSocket-Extensions: %s (%s). "+
				"If upgraded, send an 8 KiB text message whose repeats are 300 octets apart, compressed with the agreed parameters if any, and expect its echo.", header, why),
			Expectation: "The server upgrades with a valid answer: accepting an offer it can honour (with the parameters it allows), or declining it by leaving " +
				"permessage-deflate out (OK); then it echoes the message, compressed within the agreed window if any. " +
				"An error status, a dropped connection, or accepting an invalid offer FAILED.",
			Requirements: withReqs(ids, "D-7-server-decline", "D-5-accept", "H-4.2.2-extensions"),
			Expected:     ok(text(windowText)),
			Close:        closeNormal,
			Opening: &conformance.Opening{
				Request: request(func(r *handshake.Request) { r.Header.Set(spec.HeaderExtensions, header) }),
				Judge:   judgeOffer,
			},
			Open: func(s *conformance.Session) {
				if !s.SendCompressed(int(spec.OpText), []byte(windowText), 0) {
					s.SendMessage(int(spec.OpText), []byte(windowText), 0, false)
				}
				s.KillAfter(2)
			},
		}
		return c
	}
	return []*conformance.Case{
		offer("14.3.1", "permessage-deflate; client_max_window_bits=8", "the client's window of 256 octets, a value zlib cannot compress with",
			"D-7.1.2.2-client_max_window_bits"),
		offer("14.3.2", "permessage-deflate; server_max_window_bits=8", "a server window of 256 octets: accept and keep every reference within it, or decline",
			"D-7.1.2.1-server_max_window_bits"),
		offer("14.3.3", "permessage-deflate; server_no_context_takeover; server_no_context_takeover", "a repeated parameter: the offer must be declined",
			"D-7.1.1.1-server_no_context_takeover"),
		offer("14.3.4", "permessage-deflate; x-wskit-unknown=1", "a parameter RFC 7692 does not define: the offer must be declined"),
		offer("14.3.5", "permessage-deflate; server_max_window_bits=16, permessage-deflate", "an invalid offer, then a valid fallback: decline the first, and the second may be accepted",
			"D-7.1.2.1-server_max_window_bits", "D-5-offer"),
	}
}

// judgeOffer judges the answer to an odd or invalid offer.
func judgeOffer(a *conformance.Answer) (conformance.Verdict, string) {
	switch {
	case a.TimedOut():
		return hung(a)
	case a.Upgraded() && a.Deflate != nil:
		return judged(conformance.OK, a, "Upgraded, accepting permessage-deflate with "+a.Deflate.String()+".")
	case a.Upgraded():
		return judged(conformance.OK, a, "Upgraded, declining permessage-deflate.")
	case a.Status() == 101:
		return judged(conformance.Failed, a, "Not a valid upgrade.")
	default:
		return judged(conformance.Failed, a, "Declining an offer is never an HTTP error (D-7-server-decline): the server must upgrade without permessage-deflate.")
	}
}

// shapeCases are 14.4: valid messages in shapes Autobahn's compressor
// never produces (RFC 7692 section 7.2.3's examples and more), each to
// be echoed.
func shapeCases() []*conformance.Case {
	txt, cont := int(spec.OpText), int(spec.OpContinuation)
	echo := func(id, desc, expect string, want []conformance.Event, ids []string, send func(s *conformance.Session)) *conformance.Case {
		return &conformance.Case{
			ID:           id,
			Description:  "Offer permessage-deflate. " + desc,
			Expectation:  expect + " Clean close with normal code. UNIMPLEMENTED if the server declines permessage-deflate.",
			Requirements: withReqs(ids, "D-7.2.2-decompress", "D-5-use-agreed"),
			Extensions:   plainOffer,
			Expected:     ok(want...),
			Close:        closeNormal,
			Open: func(s *conformance.Session) {
				if !needDeflate(s) {
					return
				}
				send(s)
				s.KillAfter(deflateWait)
			},
			Judge: func(s *conformance.Session, r *conformance.Result) { unimplemented(s, r) },
		}
	}
	const echoHello = "Receive echo'ed text message 'Hello'."
	// A 64 KiB text compressed frame by frame: 16 frames of 4 KiB, each
	// sync-flushed on its own.
	big := corpusJSON.appendWindow(nil, 0, 64<<10)
	out := []*conformance.Case{
		echo("14.4.1", "Send 'Hello' compressed as in RFC 7692 section 7.2.3.1, in two frames (RSV1 on the first): f2 48 cd | c9 c9 07 00.", echoHello,
			[]conformance.Event{text("Hello")}, reqs("D-6-rsv1-placement", "R-5.4-fragmented"), func(s *conformance.Session) {
				s.SendFrame(conformance.Frame{Opcode: txt, Rsv: 4, Payload: hello[:3]})
				s.SendFrame(conformance.Frame{Opcode: cont, Fin: true, Payload: hello[3:]})
			}),
		echo("14.4.2", "Send 'Hello' in a DEFLATE block with no compression (RFC 7692 section 7.2.3.3): 00 05 00 fa ff 48 65 6c 6c 6f 00.", echoHello,
			[]conformance.Event{text("Hello")}, reqs("D-7.2.1-compress"), func(s *conformance.Session) {
				s.SendFrame(conformance.Frame{Opcode: txt, Fin: true, Rsv: 4, Payload: []byte{0x00, 0x05, 0x00, 0xfa, 0xff, 'H', 'e', 'l', 'l', 'o', 0x00}})
			}),
		echo("14.4.3", "Send 'Hello' as a final (BFINAL) block followed by a 00 octet (RFC 7692 section 7.2.3.4): f3 48 cd c9 c9 07 00 00.", echoHello,
			[]conformance.Event{text("Hello")}, reqs("D-7.2.3.4-bfinal"), func(s *conformance.Session) {
				s.SendFrame(conformance.Frame{Opcode: txt, Fin: true, Rsv: 4, Payload: []byte{0xf3, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00, 0x00}})
			}),
		echo("14.4.4", "Send 'Hello' as two DEFLATE blocks, 'He' sync-flushed then 'llo' (RFC 7692 section 7.2.3.5): f2 48 05 00 00 00 ff ff ca c9 c9 07 00.", echoHello,
			[]conformance.Event{text("Hello")}, reqs("D-7.2.1-compress"), func(s *conformance.Session) {
				s.SendFrame(conformance.Frame{Opcode: txt, Fin: true, Rsv: 4, Payload: []byte{0xf2, 0x48, 0x05, 0x00, 0x00, 0x00, 0xff, 0xff, 0xca, 0xc9, 0xc9, 0x07, 0x00}})
			}),
		echo("14.4.5", "Send 'Hello' sync-flushed in a first frame (its 00 00 ff ff kept), then a final continuation frame holding only 00, "+
			"an empty block (RFC 7692 section 7.2.3.6).", echoHello,
			[]conformance.Event{text("Hello")}, reqs("D-7.2.1-compress", "D-6-rsv1-placement"), func(s *conformance.Session) {
				s.SendFrame(conformance.Frame{Opcode: txt, Rsv: 4, Payload: append(bytes.Clone(hello), 0x00, 0x00, 0xff, 0xff)})
				s.SendFrame(conformance.Frame{Opcode: cont, Fin: true, Payload: []byte{0x00}})
			}),
		echo("14.4.6", "Send a 64 KiB text message (the JSON corpus of 12.1) compressed frame by frame: 16 frames, each holding its 4 KiB sync-flushed "+
			"(several DEFLATE blocks, 00 00 ff ff removed from the last frame only).", "Receive echo'ed text message (with payload as sent).",
			[]conformance.Event{conformance.Message(big, false)}, reqs("D-7.2.1-compress", "D-6-rsv1-placement", "R-5.4-fragmented"), func(s *conformance.Session) {
				var pieces [][]byte
				for p := big; len(p) > 0; p = p[4<<10:] {
					pieces = append(pieces, p[:4<<10])
				}
				for i, z := range s.CompressPieces(pieces...) {
					f := conformance.Frame{Opcode: cont, Fin: i == len(pieces)-1, Payload: z}
					if i == 0 {
						f.Opcode, f.Rsv = txt, 4
					}
					s.SendFrame(f)
				}
			}),
		echo("14.4.7", "Send an empty text message compressed: the payload 00, an empty block (RFC 7692 section 7.2.3.6).", "Receive echo'ed empty text message.",
			[]conformance.Event{text("")}, reqs("D-7.2.1-compress"), func(s *conformance.Session) {
				s.SendFrame(conformance.Frame{Opcode: txt, Fin: true, Rsv: 4, Payload: []byte{0x00}})
			}),
		echo("14.4.8", "Send 'Hello' compressed twice, the second time referring back into the first message "+
			"(RFC 7692 section 7.2.3.2: f2 00 11 00 00), unless the runner agreed not to (client_no_context_takeover against a server, "+
			"server_no_context_takeover against a client).",
			"Receive echo'ed text message 'Hello' twice: without that agreed, the testee keeps its window.",
			[]conformance.Event{text("Hello"), text("Hello")}, reqs("D-7.2.2-peer-takeover"), func(s *conformance.Session) {
				s.SendFrame(conformance.Frame{Opcode: txt, Fin: true, Rsv: 4, Payload: hello})
				second := []byte{0xf2, 0x00, 0x11, 0x00, 0x00}
				p, _ := s.Deflate()
				if _, noTakeover, _, _ := p.Directions(s.Role()); noTakeover {
					second = hello // the runner agreed to start every message afresh
				}
				s.SendFrame(conformance.Frame{Opcode: txt, Fin: true, Rsv: 4, Payload: second})
			}),
	}
	// A compressed payload of no octets at all is not DEFLATE; a receiver
	// may read it as an empty message (as Jetty and wskit do) or fail.
	empty := echo("14.4.9", "Send a text message with RSV1 set and an empty payload (no octets: not even the empty block 00).",
		"Receive echo'ed empty text message (OK); failing the connection with 1007 or 1002 is NON-STRICT (RFC 7692 does not say how to read it).",
		[]conformance.Event{text("")}, reqs("D-7.2.2-decompress"), func(s *conformance.Session) {
			s.SendFrame(conformance.Frame{Opcode: txt, Fin: true, Rsv: 4})
		})
	empty.Judge = func(s *conformance.Session, r *conformance.Result) {
		if unimplemented(s, r) {
			return
		}
		code := r.RemoteCloseCode
		if howEnded(r) == failedWithClose && len(r.Received) == 0 && (!r.HasRemoteCloseCode || code == 1007 || code == 1002) {
			setVerdicts(r, conformance.NonStrict, conformance.OK, "The testee failed the connection on an empty compressed payload.",
				"Connection was properly closed", "NON-STRICT: "+closeSummary(r)+" (reading it as an empty message is the lenient choice)")
		}
	}
	return append(out, empty)
}
