package autobahn

import (
	"encoding/binary"
	"fmt"
	"time"

	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/conformance"
	"github.com/wskit/wskit/spec"
)

// rules is category 8, wskit's own: the rules and bug classes
// Autobahn|Testsuite never sends (unmasked frames, non-minimal and top-bit
// lengths, huge declared lengths, close codes registered after RFC 6455
// and codes beyond the registry, fragment floods, truncated invalid
// headers). Its verdicts are mostly the case's own (Judge): who failed the
// connection, with which code, how fast, and whether the server still
// accepts connections afterwards. Against clients each case tests the
// same rule from the client's side, with the same ID: its frames are
// sent as the runner's role asks (unmasked as the server; 8.1.1's form
// against clients sends a masked frame instead of an unmasked one), and
// nothing is probed after it (there is no server to probe).
var rules = &Category{ID: "8", Name: "Rules and Bug Classes", build: rulesCases,
	Captions: map[string]string{
		"8.1": "Masking and length encoding",
		"8.2": "Huge declared lengths",
		"8.3": "Close codes beyond Autobahn's",
		"8.4": "Fragment floods and message limits",
		"8.5": "Control frames inside a fragmented message",
		"8.6": "Data frames after the Close",
		"8.7": "Truncated invalid headers",
	},
}

// Sizes and waits of category 8.
const (
	// rulesFloodFrames is how many empty continuation frames 8.4.1 sends
	// (the class of ws's GHSA-96hv-2xvq-fx4p and its kin: a server that
	// keeps a record per fragment, or none at all, without a limit).
	rulesFloodFrames = 200_000
	// rulesBigMessage is the size of 8.4.2's message: above the limits
	// servers commonly default to (1 MiB to 16 MiB), below ws's 100 MiB.
	rulesBigMessage = 64 * mib
	// rulesWait is how long a case waits for the testee to fail the
	// connection before it counts the testee as waiting.
	rulesWait = 1.0
	// rulesFloodWait bounds 8.4.1: a server that takes every fragment
	// may take seconds over 200,000 of them.
	rulesFloodWait = 20.0
)

// failFatal: the testee must fail the connection with 1002 (or drop
// TCP); leaving it to the runner fails the case.
var failFatal = conformance.ExpectedClose{ClosedByMe: false, CloseCode: []int{1002}, ClosedByWrongEndpointIsFatal: true}

// rulesCases are category 8.
func rulesCases() []*conformance.Case {
	var out []*conformance.Case
	out = append(out, lengthCases()...)
	out = append(out, hugeLengthCases()...)
	out = append(out, closeCodeCases()...)
	out = append(out, floodCases()...)
	out = append(out, interleaveCases()...)
	out = append(out, afterCloseCases()...)
	out = append(out, truncatedCases()...)
	return out
}

// rawHeader returns a frame header written exactly as given: the first
// byte, the mask bit, the 7-bit length field and the extended length
// bytes (none, 2 or 8), unchecked, so that a case can write what
// codec.AppendHeader never would (a non-minimal or top-bit length).
func rawHeader(b0 byte, masked bool, len7 byte, ext []byte) []byte {
	b1 := len7
	if masked {
		b1 |= 0x80
	}
	return append([]byte{b0, b1}, ext...)
}

// maskedFrame returns a whole client frame around header: a masking key
// and the payload masked with it. The key is fixed: these frames are sent
// with SendRaw, as bytes, and the rules they break are not about the key.
func maskedFrame(header, payload []byte) []byte {
	key := [4]byte{0x37, 0xfa, 0x21, 0x3d}
	out := append(append([]byte(nil), header...), key[:]...)
	start := len(out)
	out = append(out, payload...)
	codec.Mask(key, 0, out[start:])
	return out
}

// roleFrame returns a whole frame as the runner's role sends it, with
// its header written exactly as given (see rawHeader): masked with
// maskedFrame's key when the runner is the client, unmasked when it is
// the server. Category 8's length cases break the same rule in both
// roles this way.
func roleFrame(role codec.Role, b0, len7 byte, ext, payload []byte) []byte {
	if role == codec.RoleClient {
		return maskedFrame(rawHeader(b0, true, len7, ext), payload)
	}
	return append(rawHeader(b0, false, len7, ext), payload...)
}

// len64 is a 64-bit big-endian length field.
func len64(n uint64) []byte { return binary.BigEndian.AppendUint64(nil, n) }

// lengthCases are 8.1: masking and the length encoding.
func lengthCases() []*conformance.Case {
	hello := []byte("Hello")
	const txt = 0x81 // FIN, text
	out := []*conformance.Case{{
		ID:           "8.1.1",
		Description:  "Send a text frame 'Hello' without a mask (as a server would send it).",
		Expectation:  "The testee fails the connection with 1002 (or drops TCP); nothing is echoed.",
		Requirements: reqs("R-5.1-server-rejects-unmasked", "R-7.1.7-fail"),
		Expected:     ok(),
		Close:        failFatal,
		Open: func(s *conformance.Session) {
			s.SendRaw(append(rawHeader(txt, false, byte(len(hello)), nil), hello...))
			s.KillAfter(rulesWait)
		},
		ForClients: &conformance.Case{
			ID:           "8.1.1",
			Description:  "Send a text frame 'Hello' with a mask (as a client would send it).",
			Expectation:  "The client fails the connection with 1002 (or drops TCP); nothing is echoed.",
			Requirements: reqs("R-5.1-client-rejects-masked", "R-7.1.7-fail"),
			Expected:     ok(),
			Close:        failFatal,
			Open: func(s *conformance.Session) {
				s.SendRaw(maskedFrame(rawHeader(txt, true, byte(len(hello)), nil), hello))
				s.KillAfter(rulesWait)
			},
		},
	}}
	// A length written in a longer form than needed: a strict receiver
	// fails the connection (R-5.2-len-minimal); one that takes it and
	// echoes the message is lenient.
	nonMinimal := []struct {
		desc    string
		payload []byte
		len7    byte
		ext     []byte
	}{
		{"the 5-octet payload 'Hello' with its length in the 16-bit form (126, then 0x0005)", hello, 126, []byte{0, 5}},
		{"the 5-octet payload 'Hello' with its length in the 64-bit form (127, then 0x0000000000000005)", hello, 127, len64(5)},
		{"a 300-octet payload with its length in the 64-bit form, where the 16-bit form fits", fill('*', 300), 127, len64(300)},
	}
	for i, nm := range nonMinimal {
		out = append(out, &conformance.Case{
			ID:           fmt.Sprintf("8.1.%d", i+2),
			Description:  "Send a text frame with " + nm.desc + ".",
			Expectation:  "The testee fails the connection with 1002 (OK); echoing the message and closing cleanly is lenient (NON-STRICT).",
			Requirements: reqs("R-5.2-len-minimal", "R-5.2-len-encoding"),
			Expected: map[conformance.Verdict][]conformance.Event{
				conformance.OK:        {},
				conformance.NonStrict: {conformance.Message(nm.payload, false)},
			},
			// Neither failing nor echoing is FAILED: a silent testee
			// leaves the close to the runner.
			Close: failFatal,
			Open: func(s *conformance.Session) {
				s.SendRaw(roleFrame(s.Role(), txt, nm.len7, nm.ext, nm.payload))
				// A lenient testee echoes at once; the runner then closes
				// normally (an early close needs one list, not two).
				s.ContinueLater(rulesWait, "", func() { s.Close(1000, "") })
			},
			Judge: judgeLenient,
		})
	}
	// The most significant bit of a 64-bit length set: framing is lost.
	out = append(out, &conformance.Case{
		ID: "8.1.5",
		Description: "Send a text frame whose 64-bit length has its most significant bit set (0x8000000000000005), " +
			"then (masked as the runner's role asks) 'Hello'.",
		Expectation: "The testee fails the connection with 1002 (OK); with 1009 or by dropping TCP without a Close (NON-STRICT). " +
			"Waiting for the payload, or no longer accepting connections afterwards, FAILED.",
		Requirements: reqs("R-5.2-len-msb0", "R-7.1.7-fail", "R-7.1.7-fail-send-close"),
		Expected:     ok(),
		Close:        failProtocol,
		Open: func(s *conformance.Session) {
			s.SendRaw(roleFrame(s.Role(), txt, 127, len64(1<<63|5), hello))
			waitThenDrop(s, rulesWait)
		},
		Judge: judgeTopBit,
	})
	return out
}

// judgeLenient distinguishes, for 8.1.2-8.1.4, a testee that failed the
// connection from one that took the frame: the second echoes the message
// and the runner closes, so the close is judged as a normal close (the
// standard evaluation, which expects the testee to fail the connection,
// has failed it for the runner's close).
func judgeLenient(s *conformance.Session, r *conformance.Result) {
	if !eventsMatch(r.Expected[conformance.NonStrict], r.Received) {
		return
	}
	r.Behavior = conformance.NonStrict
	r.Result = "The testee accepted a length in a longer form than needed and echoed the message."
	switch {
	case !r.ClosedByMe:
		// It echoed, then failed the connection itself: the standard
		// close evaluation stands.
	case !r.WasClean:
		r.BehaviorClose, r.ResultClose = conformance.Unclean, "The runner's normal close did not complete cleanly"
	case r.HasRemoteCloseCode && r.RemoteCloseCode != 1000:
		r.BehaviorClose, r.ResultClose = conformance.WrongCode, "The close code should have been 1000 or empty"
	default:
		r.BehaviorClose, r.ResultClose = conformance.OK, "Connection was properly closed"
	}
	r.Reason = fmt.Sprintf("NON-STRICT: the testee echoed the message (%d octets) instead of failing the connection; %s",
		r.Received[0].Len(), closeSummary(r))
}

// waitThenDrop waits sec seconds for the testee to end the connection;
// if it has not, the runner records timeout "A" and drops TCP: a Close
// from the runner would be read as more payload by a testee waiting for
// one.
func waitThenDrop(s *conformance.Session, sec float64) {
	s.ContinueLater(sec, "A", func() {
		if s.IsOpen() {
			s.RecordTimeout("A")
			s.Drop()
		}
	})
}

// An ending is how a testee ended a connection it had to fail.
type ending int

const (
	failedWithClose ending = iota // a Close frame (with or without a code)
	failedByDrop                  // TCP closed without a Close frame
	keptOpen                      // still open, and silent, when the runner dropped it
	closedByRunner                // the runner closed (the testee took what it had to refuse)
)

// howEnded classifies the end of a connection the testee had to fail. A
// testee that sent a Close failed the connection with it, even if it then
// kept TCP open until the runner dropped it (setVerdicts keeps that in
// the close verdict).
func howEnded(r *conformance.Result) ending {
	switch {
	case r.ClosedByMe:
		return closedByRunner
	case r.RxFrameStats[int(spec.OpClose)] > 0:
		return failedWithClose
	case r.DroppedByMe:
		return keptOpen
	}
	return failedByDrop
}

// lateTCPClose reports whether the testee failed the connection with a
// Close but did not then close TCP: the runner answered and, after its
// close timeout, dropped the connection itself (R-7.1.1-close-tcp-cleanly:
// the server closes TCP first).
func lateTCPClose(r *conformance.Result) bool {
	return howEnded(r) == failedWithClose && r.DroppedByMe
}

// closeSummary describes how the testee ended the connection, with its
// close code.
func closeSummary(r *conformance.Result) string {
	switch howEnded(r) {
	case failedWithClose:
		late := ""
		if lateTCPClose(r) {
			late = ", then kept TCP open until the runner dropped it"
		}
		if r.HasRemoteCloseCode {
			return fmt.Sprintf("the testee closed with %d%s", r.RemoteCloseCode, late)
		}
		return "the testee closed with an empty Close" + late
	case failedByDrop:
		return "the testee dropped TCP without a Close"
	case keptOpen:
		return "the testee kept the connection open until the runner dropped it"
	}
	if r.HasRemoteCloseCode {
		return fmt.Sprintf("the runner closed, the testee answered %d", r.RemoteCloseCode)
	}
	return "the runner closed"
}

// setVerdicts sets both verdicts and their texts, and the reason. A
// close verdict of OK becomes UNCLEAN when the testee failed the
// connection with a Close and then left TCP open for the runner to drop
// (lateTCPClose): the rules of 8 and 14 judge how the testee failed, not
// whether it closed TCP.
func setVerdicts(r *conformance.Result, behavior, behaviorClose conformance.Verdict, result, resultClose, reason string) {
	if behaviorClose == conformance.OK && lateTCPClose(r) {
		behaviorClose, resultClose = conformance.Unclean, "The testee did not close TCP after its Close: the runner dropped the connection"
	}
	r.Behavior, r.BehaviorClose = behavior, behaviorClose
	r.Result, r.ResultClose, r.Reason = result, resultClose, reason
}

// survived checks, after a case that may have killed the server, that it
// still completes an opening handshake. It returns false, with the
// verdicts set to FAILED, if it does not; a session that has no server to
// probe (the runner tests a client) counts as alive, and the reason says
// it was not checked.
func survived(s *conformance.Session, r *conformance.Result) bool {
	if s.Role() == codec.RoleServer {
		// Against a client there is no server to probe (ProbeServer
		// returns ErrNoProbe): the rule is judged on the connection
		// alone, as Autobahn's fuzzing server judges every case.
		return true
	}
	err := s.ProbeServer()
	if err == nil {
		return true
	}
	if err == conformance.ErrNoProbe {
		r.Reason += " (whether the peer survived was not checked: the runner is the server)"
		return true
	}
	setVerdicts(r, conformance.Failed, conformance.Failed,
		"The server no longer completes an opening handshake after this case.",
		"The server did not survive the case",
		fmt.Sprintf("after the case, a fresh connection to the server failed: %v; %s", err, closeSummary(r)))
	return false
}

// judgeTopBit is 8.1.5's rule: 1002 OK; 1009 or a TCP drop without a
// Close NON-STRICT; waiting for the payload, taking the frame, or dying
// FAILED.
func judgeTopBit(s *conformance.Session, r *conformance.Result) {
	okV := conformance.OK
	const closeOK = "Connection was properly closed"
	switch howEnded(r) {
	case failedWithClose:
		switch {
		case len(r.Received) > 0:
			setVerdicts(r, conformance.Failed, r.BehaviorClose, "The testee delivered data from a frame whose length it cannot have read.", r.ResultClose,
				"the testee echoed data after a frame with a top-bit length; "+closeSummary(r))
		case !r.HasRemoteCloseCode || r.RemoteCloseCode == 1002:
			setVerdicts(r, okV, okV, "The testee failed the connection.", closeOK, "the testee failed the connection; "+closeSummary(r))
		case r.RemoteCloseCode == 1009:
			setVerdicts(r, conformance.NonStrict, okV, "The testee failed the connection with 1009: it read the length as too big, not as invalid.",
				closeOK, "NON-STRICT: "+closeSummary(r)+" (R-5.2-len-msb0 makes it a protocol error, 1002)")
		default:
			setVerdicts(r, conformance.NonStrict, conformance.WrongCode, "The testee failed the connection with an unexpected code.",
				"The close code should have been 1002 or empty", "NON-STRICT: "+closeSummary(r))
		}
	case failedByDrop:
		setVerdicts(r, conformance.NonStrict, okV, "The testee dropped TCP without a Close frame.", closeOK,
			"NON-STRICT: "+closeSummary(r)+" (R-7.1.7-fail-send-close: a Close with 1002 should come first)")
	default:
		setVerdicts(r, conformance.Failed, conformance.Failed,
			fmt.Sprintf("The testee did not fail the connection within %g seconds.", rulesWait),
			"The testee should have failed the connection",
			fmt.Sprintf("the testee was still waiting after %g s for the payload of a frame whose length is invalid; %s", rulesWait, closeSummary(r)))
		return
	}
	survived(s, r)
}

// hugeLengthCases are 8.2: a frame that announces more than any server
// can hold, and no payload.
func hugeLengthCases() []*conformance.Case {
	var out []*conformance.Case
	for i, l := range []struct {
		n    uint64
		what string
	}{
		{1<<63 - 1, "2^63-1 octets, the largest valid length"},
		{1 << 40, "1 TiB (2^40 octets)"},
	} {
		out = append(out, &conformance.Case{
			ID: fmt.Sprintf("8.2.%d", i+1),
			Description: fmt.Sprintf("Send the header of a binary frame that announces %s (with a masking key when the runner is the client), "+
				"and no payload.", l.what),
			Expectation: "The testee fails the connection with 1009 at once (OK); with another code, WRONG CODE; by dropping TCP, NON-STRICT. " +
				fmt.Sprintf("Still waiting for the payload after %g s is INFORMATIONAL. ", rulesWait) +
				"Not accepting connections afterwards (a crash) is FAILED.",
			Requirements: reqs("R-10.4-limits", "R-5.2-len-encoding", "R-10.7-validate"),
			Expected:     ok(),
			Close:        conformance.ExpectedClose{ClosedByMe: false, CloseCode: []int{1009}},
			Open: func(s *conformance.Session) {
				s.SendRaw(roleFrame(s.Role(), 0x82, 127, len64(l.n), nil))
				waitThenDrop(s, rulesWait)
			},
			Judge: judgeHugeLength,
		})
	}
	return out
}

// judgeHugeLength is 8.2's rule.
func judgeHugeLength(s *conformance.Session, r *conformance.Result) {
	switch howEnded(r) {
	case failedWithClose:
		// The standard evaluation stands: 1009 (or an empty Close) OK,
		// another code WRONG CODE.
		r.Reason = "the testee failed the connection; " + closeSummary(r)
	case failedByDrop:
		setVerdicts(r, conformance.NonStrict, conformance.OK, "The testee dropped TCP without a Close frame.", "Connection was properly closed",
			"NON-STRICT: "+closeSummary(r)+" (R-10.4-limits: a Close with 1009 should come first)")
	default:
		setVerdicts(r, conformance.Informational, conformance.Informational,
			fmt.Sprintf("The testee was still waiting for the payload after %g seconds.", rulesWait),
			"The runner dropped the connection",
			fmt.Sprintf("the testee waited for the payload (it may time out later; RFC 6455 leaves when open); %s", closeSummary(r)))
	}
	survived(s, r)
}

// closeCodeCases are 8.3: close codes Autobahn does not send.
func closeCodeCases() []*conformance.Case {
	var out []*conformance.Case
	for i, code := range []int{1012, 1013, 1014} {
		out = append(out, &conformance.Case{
			ID:          fmt.Sprintf("8.3.%d", i+1),
			Description: fmt.Sprintf("Close with code %d (%s), registered with IANA after RFC 6455.", code, spec.CloseCode(code)),
			Expectation: "Clean close with normal or echoed code: the code is valid (Autobahn once listed it as invalid).",
			Requirements: reqs("R-7.4-invalid-recv", "R-7.4.2-ranges", "R-5.5.1-echo-close", "R-5.5.1-close-tcp",
				"R-7.1.1-close-tcp-cleanly"),
			Expected:      ok(),
			Close:         conformance.ExpectedClose{ClosedByMe: true, CloseCode: []int{1000, code}, RequireClean: true},
			SuppressClose: true,
			Open: func(s *conformance.Session) {
				s.CloseWithBody(conformance.CloseBody(code, ""))
				s.KillAfter(1)
			},
			Judge: wrongCodeFails,
		})
	}
	for i, code := range []int{5000, 65535} {
		out = append(out, &conformance.Case{
			ID:            fmt.Sprintf("8.3.%d", i+4),
			Description:   fmt.Sprintf("Close with code %d, outside every range RFC 6455 defines.", code),
			Expectation:   "The testee answers with 1002 or drops TCP (Autobahn's 7.13 only reports what happens).",
			Requirements:  reqs("R-7.4-invalid-recv", "R-7.4.2-ranges"),
			Expected:      ok(),
			Close:         conformance.ExpectedClose{ClosedByMe: true, CloseCode: []int{1002}},
			SuppressClose: true,
			Open: func(s *conformance.Session) {
				s.CloseWithBody(conformance.CloseBody(code, ""))
				s.KillAfter(1)
			},
			Judge: wrongCodeFails,
		})
	}
	return out
}

// floodCases are 8.4: many fragments, and one message past common limits.
func floodCases() []*conformance.Case {
	flood := &conformance.Case{
		ID: "8.4.1",
		Description: fmt.Sprintf("Send a text frame 'a' without FIN, then %d empty continuation frames without FIN "+
			"(in one write), then an empty final continuation frame.", rulesFloodFrames),
		Expectation: "The testee fails the connection at a limit of its own, with 1009 or 1008 (OK). " +
			"Taking every fragment and echoing 'a' is INFORMATIONAL (the RFC sets no limit, but each fragment costs it). " +
			fmt.Sprintf("Neither within %g s, or not accepting connections afterwards, FAILED.", rulesFloodWait),
		Requirements: reqs("R-10.4-limits", "R-5.4-any-size", "R-5.4-fragmented"),
		Expected:     ok(),
		Close:        conformance.ExpectedClose{ClosedByMe: false, CloseCode: []int{1009, 1008}, ClosedByWrongEndpointIsFatal: true},
		Limit:        time.Duration(rulesFloodWait+10) * time.Second,
		Open: func(s *conformance.Session) {
			s.HandleMessages(func(payload []byte, binary bool) {
				if _, _, done := s.Behavior(); done {
					return
				}
				s.SetBehavior(conformance.Informational, fmt.Sprintf("The testee took all %d fragments and echoed a %s message of length %d.",
					rulesFloodFrames+2, typeName(binary), len(payload)))
				s.Close(1000, "")
			})
			s.SendFrame(conformance.Frame{Opcode: int(spec.OpText), Payload: []byte("a")})
			s.SendFrames(conformance.Frame{Opcode: int(spec.OpContinuation)}, rulesFloodFrames)
			s.SendFrame(conformance.Frame{Opcode: int(spec.OpContinuation), Fin: true, Sync: true})
			s.KillAfter(rulesFloodWait)
		},
		Judge: judgeFlood,
	}
	big := &conformance.Case{
		ID: "8.4.2",
		Description: fmt.Sprintf("Send a binary message of %s in one frame, above the message limits servers commonly use.",
			sizeName(rulesBigMessage)),
		Expectation: "Informational: what the testee does (fail the connection with 1009, or take and echo the message) " +
			"is its choice (R-10.4-limits); the result says which, with the close code. Not accepting connections afterwards is FAILED.",
		Requirements: reqs("R-10.4-limits"),
		Expected:     ok(),
		Close:        conformance.ExpectedClose{ClosedByMe: false, CloseCode: []int{1009}},
		Limit:        40 * time.Second,
		Open: func(s *conformance.Session) {
			s.HandleMessages(func(payload []byte, binary bool) {
				s.SetBehavior(conformance.Informational, fmt.Sprintf("The testee echoed a %s message of %d octets.", typeName(binary), len(payload)))
				s.Close(1000, "")
			})
			s.SendFrame(conformance.Frame{Opcode: int(spec.OpBinary), Fin: true, Payload: limitsBinaryPattern, RepeatLength: rulesBigMessage})
			s.KillAfter(20)
		},
		Judge: judgeBigMessage,
	}
	return []*conformance.Case{flood, big}
}

// judgeFlood is 8.4.1's rule.
func judgeFlood(s *conformance.Session, r *conformance.Result) {
	if v, text, echoed := s.Behavior(); echoed {
		bc, rc := conformance.OK, "Connection was properly closed"
		if !r.WasClean {
			bc, rc = conformance.Unclean, "The runner's normal close did not complete cleanly"
		}
		setVerdicts(r, v, bc, text, rc, "INFORMATIONAL: the testee has no limit on fragments, or one above "+
			fmt.Sprint(rulesFloodFrames+2)+"; "+closeSummary(r))
	} else {
		switch howEnded(r) {
		case failedWithClose:
			r.Reason = "the testee failed the connection at a limit; " + closeSummary(r)
			if r.BehaviorClose == conformance.WrongCode {
				r.Result = "The testee failed the connection, not with a limit's code."
			}
		case failedByDrop:
			r.Reason = "the testee failed the connection at a limit; " + closeSummary(r)
		default:
			setVerdicts(r, conformance.Failed, conformance.Failed,
				fmt.Sprintf("The testee neither failed the connection nor echoed the message within %g seconds.", rulesFloodWait),
				"The testee should have failed the connection or echoed",
				fmt.Sprintf("after %g s the testee had neither refused the fragments nor echoed the message; %s", rulesFloodWait, closeSummary(r)))
			return
		}
	}
	survived(s, r)
}

// judgeBigMessage is 8.4.2's rule: informational, whatever happened, if
// the server survived.
func judgeBigMessage(s *conformance.Session, r *conformance.Result) {
	text, echoed := "", false
	if _, t, ok := s.Behavior(); ok {
		text, echoed = t, true
	}
	switch {
	case echoed:
	case len(r.ProtocolErrors) > 0 && r.FailedByMe:
		// The runner's own limit (16 MiB) refused the echo's header:
		// the testee took the message and started echoing it.
		text = "The testee took the message and started to echo it (the runner's own 16 MiB limit stopped the echo)."
	case howEnded(r) == failedWithClose && r.HasRemoteCloseCode:
		text = fmt.Sprintf("The testee failed the connection with %d.", r.RemoteCloseCode)
	case howEnded(r) == failedWithClose:
		text = "The testee failed the connection with an empty Close."
	case howEnded(r) == failedByDrop:
		text = "The testee dropped TCP without a Close."
	default:
		text = "The testee neither refused nor echoed the message within 20 seconds."
	}
	setVerdicts(r, conformance.Informational, conformance.Informational, text, "Informational: "+closeSummary(r),
		"INFORMATIONAL: "+closeSummary(r))
	survived(s, r)
}

// interleaveCases are 8.5: a ping while a fragmented message is half
// sent.
func interleaveCases() []*conformance.Case {
	return []*conformance.Case{{
		ID: "8.5.1",
		Description: "Send the first fragment 'Hello ' of a text message, then a ping 'half way'; " +
			fmt.Sprintf("%g s later send the final fragment 'World'.", rulesWait/2),
		Expectation: "The pong arrives while the message is incomplete (before the final fragment is sent), " +
			"then the message 'Hello World' is echoed whole. Clean close with normal code. " +
			"A pong held back until the message ends, still before its echo, is NON-STRICT.",
		Requirements: reqs("R-5.4-control-interleave", "R-5.5.2-pong", "R-5.5.3-pong-echo"),
		Expected: map[conformance.Verdict][]conformance.Event{
			conformance.OK: {pong("half way"), conformance.Timeout("A"), text("Hello World")},
		},
		Close: closeNormal,
		Open: func(s *conformance.Session) {
			s.SendFrame(conformance.Frame{Opcode: int(spec.OpText), Payload: []byte("Hello ")})
			s.SendFrame(conformance.Frame{Opcode: int(spec.OpPing), Fin: true, Payload: []byte("half way")})
			s.ContinueLater(rulesWait/2, "A", func() {
				s.RecordTimeout("A") // the final fragment leaves now
				s.SendFrame(conformance.Frame{Opcode: int(spec.OpContinuation), Fin: true, Payload: []byte("World"), Sync: true})
				s.CloseAfter(rulesWait) // if the events never equal the OK list
			})
			s.KillAfter(3 * rulesWait)
		},
		Judge: func(s *conformance.Session, r *conformance.Result) {
			late := []conformance.Event{conformance.Timeout("A"), pong("half way"), text("Hello World")}
			if r.Behavior == conformance.Failed && eventsMatch(late, r.Received) {
				r.Behavior = conformance.NonStrict
				r.Result = "The pong was sent only once the message was complete, before its echo."
				r.Reason = "NON-STRICT: the pong came after the final fragment was sent, not while the message was incomplete"
			}
		},
	}}
}

// eventsMatch compares event lists by kind, type, tag and payload.
func eventsMatch(a, b []conformance.Event) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Kind != b[i].Kind || a[i].Binary != b[i].Binary || a[i].Tag != b[i].Tag || string(a[i].Payload) != string(b[i].Payload) {
			return false
		}
	}
	return true
}

// afterCloseCases are 8.6: data frames after the runner's Close.
func afterCloseCases() []*conformance.Case {
	send := func(s *conformance.Session) {
		s.SendFrame(conformance.Frame{Opcode: int(spec.OpText), Fin: true, Payload: []byte("after close")})
		s.SendFrame(conformance.Frame{Opcode: int(spec.OpBinary), Fin: true, Payload: fill(0xfe, 16)})
		s.SendFrame(conformance.Frame{Opcode: int(spec.OpText), Payload: []byte("frag")})
		s.SendFrame(conformance.Frame{Opcode: int(spec.OpContinuation), Fin: true, Payload: []byte("ment")})
	}
	desc := "a text message, a binary message and a text message in two fragments"
	clean := reqs("R-5.5.1-no-data-after-close", "R-5.5.1-echo-close", "R-5.5.1-close-tcp", "R-7.1.1-close-tcp-cleanly")
	return []*conformance.Case{{
		ID:            "8.6.1",
		Description:   "Close with 1000, then send " + desc + " in the same write.",
		Expectation:   "Clean close with normal code; nothing sent after the Close is echoed.",
		Requirements:  clean,
		Expected:      ok(),
		Close:         closeNormal,
		SuppressClose: true,
		Open: func(s *conformance.Session) {
			s.Close(1000, "")
			send(s)
			s.KillAfter(1)
		},
		Judge: wrongCodeFails,
	}, {
		ID:            "8.6.2",
		Description:   fmt.Sprintf("Close with 1000, then %g s later send %s.", rulesWait/10, desc),
		Expectation:   "Clean close with normal code; nothing is echoed (the testee may have closed TCP before the late frames arrive).",
		Requirements:  clean,
		Expected:      ok(),
		Close:         closeNormal,
		SuppressClose: true,
		Open: func(s *conformance.Session) {
			s.Close(1000, "")
			s.ContinueLater(rulesWait/10, "", func() { send(s) })
			s.KillAfter(1)
		},
		Judge: wrongCodeFails,
	}}
}

// truncatedCases are 8.7: the first two octets of a header whose first
// octet already breaks a rule, then silence. As the client the runner
// sends a masked frame's first two octets (the masking key is still to
// come); as the server, whose frames have no key, a 16-bit length form's
// (the length is still to come, then 126 octets of payload).
func truncatedCases() []*conformance.Case {
	var out []*conformance.Case
	for i, t := range []struct {
		b0   byte
		what string
		req  string
	}{
		{0x83, "the reserved opcode 3 (0x83 0x80)", "R-5.2-opcode-fail"},
		{0xc1, "RSV1 set on a text frame, with no extension negotiated (0xc1 0x80)", "R-5.2-rsv-fail"},
	} {
		out = append(out, &conformance.Case{
			ID: fmt.Sprintf("8.7.%d", i+1),
			Description: fmt.Sprintf("Send the first two octets of a frame header with %s, then nothing; after %g s, "+
				"the rest of the frame (as the client, the masking key of an empty frame; as the server, "+
				"whose second octet is then 0x7e, the 16-bit length 126 and 126 octets '*').", t.what, rulesWait),
			Expectation: fmt.Sprintf("The testee fails the connection with 1002 within %g s, on the octets it has (OK); ", rulesWait) +
				"only once the header is complete, NON-STRICT; not at all, FAILED.",
			Requirements: reqs(t.req, "R-7.1.7-fail"),
			Expected:     okOrTimeout(),
			Close:        failFatal,
			Open: func(s *conformance.Session) {
				// Masked, empty payload: the masking key is still to come.
				head, rest := []byte{t.b0, 0x80}, []byte{0x37, 0xfa, 0x21, 0x3d}
				if s.Role() == codec.RoleServer {
					head, rest = []byte{t.b0, 126}, append([]byte{0, 126}, fill('*', 126)...)
				}
				s.SendRaw(head)
				s.ContinueLater(rulesWait, "A", func() {
					if !s.IsOpen() {
						return // the testee failed the connection in time
					}
					s.RecordTimeout("A")
					s.SendRaw(rest)
					s.KillAfter(rulesWait)
				})
			},
		})
	}
	return out
}

// okOrTimeout: nothing earns OK (the testee failed the connection before
// the case's step A), timeout A earns NON-STRICT (it failed later).
func okOrTimeout() map[conformance.Verdict][]conformance.Event {
	return map[conformance.Verdict][]conformance.Event{
		conformance.OK:        {},
		conformance.NonStrict: {conformance.Timeout("A")},
	}
}
