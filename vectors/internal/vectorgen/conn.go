package vectorgen

import (
	"fmt"
	"github.com/wskit/wskit/internal/utf8verdict"
	"strings"

	"github.com/wskit/wskit/vectors"
)

// script builds one conn.json vector step by step. The bytes an endpoint
// sends are built here from RFC 6455's rules, not taken from the code
// under test: a server sends unmasked frames; a client masks each frame
// with the next 4 bytes of its random source, which the script derives
// and records in the vector's Rand in the order the frames are built, so
// a script must build the endpoint's frames in the order it sends them.
type script struct {
	v        vectors.ConnVector
	keys, in int
}

func newScript(id, desc, source, role string, reqs []string) *script {
	return &script{v: vectors.ConnVector{
		Common: vectors.Common{ID: id, Description: desc, Source: source, Requirements: reqs},
		Role:   role,
	}}
}

// sends returns the wire form of frames the endpoint sends.
func (s *script) sends(frames ...frame) []byte {
	var out []byte
	for _, f := range frames {
		if s.v.Role == "client" {
			f.key = derive(fmt.Sprintf("%s rand %d", s.v.ID, s.keys), 4)
			s.keys++
			s.v.Rand = append(s.v.Rand, f.key...)
		}
		out = append(out, f.wire()...)
	}
	return out
}

// receives returns the wire form of frames the peer sends: masked when the
// endpoint is a server.
func (s *script) receives(frames ...frame) []byte {
	var out []byte
	for _, f := range frames {
		if s.v.Role == "server" {
			f.key = derive(fmt.Sprintf("%s in %d", s.v.ID, s.in), 4)
			s.in++
		}
		out = append(out, f.wire()...)
	}
	return out
}

func (s *script) step(st vectors.ConnStep) *script {
	s.v.Steps = append(s.v.Steps, st)
	return s
}

// receive is a "receive" step.
func receiveStep(in []byte, state string, events ...vectors.Event) vectors.ConnStep {
	if events == nil {
		events = []vectors.Event{}
	}
	return vectors.ConnStep{Action: "receive", Data: in, Events: events, State: state}
}

func takeStep(out []byte, state string, closeTransport bool) vectors.ConnStep {
	return vectors.ConnStep{Action: "take-outgoing", Output: out, State: state, CloseTransport: closeTransport}
}

// connVectors are the connection-level scripts.
func connVectors() []vectors.ConnVector {
	var out []vectors.ConnVector
	hw := "Hello, world!"

	for _, role := range []string{"server", "client"} {
		s := newScript("fragmented-text-split-code-point-with-ping-"+role,
			`A text message "κόσμε" fragmented inside the code point of "ό", with a ping between the fragments, arriving in two reads that split the ping: the pong is owed before the message completes`,
			"generated", role, []string{"R-5.4-control-interleave", "R-5.6-text-utf8", "R-5.5.2-pong", "R-5.5.3-pong-echo"})
		in := s.receives(fr(false, opText, "κ\xcf"), fr(true, opPing, "ping payload"), fr(true, opContinuation, "\x8cσμε"))
		cut := len(in) / 2
		s.step(receiveStep(in[:cut], "open"))
		s.step(receiveStep(in[cut:], "open", evPing("ping payload"), evText("κόσμε")))
		s.step(takeStep(s.sends(fr(true, opPong, "ping payload")), "open", false))
		out = append(out, s.v)
	}

	{
		s := newScript("ten-pings", "Ten pings in one read are answered by ten pongs with the same payloads, in order (Autobahn 2.10)", "Autobahn 2.10", "server",
			[]string{"R-5.5.2-pong", "R-5.5.3-pong-echo"})
		var pings, pongs []frame
		var events []vectors.Event
		for i := range 10 {
			p := fmt.Sprintf("payload-%d", i)
			pings = append(pings, fr(true, opPing, p))
			pongs = append(pongs, fr(true, opPong, p))
			events = append(events, evPing(p))
		}
		s.step(receiveStep(s.receives(pings...), "open", events...))
		s.step(takeStep(s.sends(pongs...), "open", false))
		out = append(out, s.v)
	}

	{
		s := newScript("unsolicited-pong", "An unsolicited pong is delivered and answered with nothing (Autobahn 2.8)", "Autobahn 2.8", "client",
			[]string{"R-5.5.3-unsolicited"})
		s.step(receiveStep(s.receives(fr(true, opPong, "unsolicited pong payload")), "open", evPong("unsolicited pong payload")))
		s.step(takeStep(nil, "open", false))
		out = append(out, s.v)
	}

	for _, role := range []string{"server", "client"} {
		s := newScript("close-echo-"+role, `A Close 1000 "bye" is echoed once with its code; the server then closes the transport, the client waits for it`, "generated", role,
			[]string{"R-5.5.1-echo-close", "R-5.5.1-close-tcp", "R-7.1.3-closing", "R-7.1.5-close-code", "R-7.1.6-close-reason"})
		st := receiveStep(s.receives(fr(true, opClose, closeBody(1000, "bye"))), "closing", evClose(1000, "bye"))
		st.CloseCode = 1000
		s.step(st)
		s.step(takeStep(s.sends(fr(true, opClose, closeBody(1000, ""))), "closed", role == "server"))
		s.step(takeStep(nil, "closed", role == "server"))
		s.step(vectors.ConnStep{Action: "send-text", Data: []byte(hw), Refused: true, State: "closed", CloseTransport: role == "server"})
		s.step(vectors.ConnStep{Action: "transport-closed", State: "closed", CloseCode: 1000})
		out = append(out, s.v)
	}

	{
		s := newScript("close-empty-echo", "A Close with an empty body is answered with an empty Close, never with 1005 (Autobahn 7.3.1)", "Autobahn 7.3.1", "server",
			[]string{"R-5.5.1-echo-close", "R-7.4.1-reserved-never-sent", "R-7.1.5-close-code"})
		st := receiveStep(s.receives(fr(true, opClose, "")), "closing", evClose(1005, ""))
		st.CloseCode = 1005
		s.step(st)
		s.step(takeStep(s.sends(fr(true, opClose, "")), "closed", true))
		out = append(out, s.v)
	}

	{
		s := newScript("nothing-after-close", "A Close followed in the same read by a ping and a text message: neither is processed, no pong is sent (Autobahn 7.1.3, 7.1.4)", "Autobahn 7.1.3", "server",
			[]string{"R-5.5.2-pong", "R-5.5.1-echo-close"})
		s.step(receiveStep(s.receives(fr(true, opClose, closeBody(1000, "")), fr(true, opPing, ""), fr(true, opText, "Hello World!")), "closing", evClose(1000, "")))
		s.step(receiveStep(s.receives(fr(true, opPing, "later")), "closing"))
		s.step(takeStep(s.sends(fr(true, opClose, closeBody(1000, ""))), "closed", true))
		out = append(out, s.v)
	}

	{
		s := newScript("echo-before-close-echo", "A text message and a Close in one read: the application echoes the message before the Close echo goes out", "generated", "server",
			[]string{"R-5.5.1-echo-close", "R-5.5.1-no-data-after-close"})
		s.step(receiveStep(s.receives(fr(true, opText, "Hello World!"), fr(true, opClose, closeBody(1000, ""))), "closing", evText("Hello World!"), evClose(1000, "")))
		s.step(vectors.ConnStep{Action: "send-text", Data: []byte("Hello World!"), Output: s.sends(fr(true, opText, "Hello World!")), State: "closing"})
		s.step(takeStep(s.sends(fr(true, opClose, closeBody(1000, ""))), "closed", true))
		s.step(vectors.ConnStep{Action: "send-text", Data: []byte("late"), Refused: true, State: "closed", CloseTransport: true})
		out = append(out, s.v)
	}

	{
		s := newScript("fail-after-valid-message", "A valid message, a frame with RSV2 and a ping in one read (Autobahn 3.2): the message is reported with the error and can be echoed before the failing Close 1002; the ping is never answered and nothing more is processed", "Autobahn 3.2", "server",
			[]string{"R-5.2-rsv-fail", "R-7.1.7-fail-send-close", "R-7.1.7-fail-stop", "R-7.1.7-fail"})
		in := s.receives(fr(true, opText, hw), fr(true, opText, hw).withRsv(2), fr(true, opPing, ""))
		st := receiveStep(in, "closing", evText(hw))
		st.Error = protocolErr(1002, "R-5.2-rsv-fail")
		s.step(st)
		s.step(vectors.ConnStep{Action: "send-text", Data: []byte(hw), Output: s.sends(fr(true, opText, hw)), State: "closing"})
		s.step(takeStep(s.sends(fr(true, opClose, closeBody(1002, ""))), "closed", true))
		again := receiveStep(s.receives(fr(true, opClose, closeBody(1000, ""))), "closed")
		again.Error = protocolErr(1002, "R-5.2-rsv-fail")
		again.CloseTransport = true
		s.step(again)
		s.step(takeStep(nil, "closed", true))
		s.step(vectors.ConnStep{Action: "transport-closed", State: "closed", CloseCode: 1006})
		out = append(out, s.v)
	}

	// The invalid text "κ" + a surrogate: it fails at the surrogate's
	// second byte, byte 3 of the payload, after a 2-byte header.
	invalidText := "\xce\xba\xed\xa0\x80"
	if bad, _, _ := utf8verdict.Of([]byte(invalidText)); bad != 3 {
		panic("vectorgen: fail-invalid-utf8 offset")
	}
	for _, c := range []struct {
		id, desc string
		role     string
		limits   *vectors.Limits
		frames   []frame
		unmasked bool // send the frames unmasked whatever the role
		err      *vectors.DecoderError
	}{
		{"fail-invalid-utf8", "Invalid UTF-8 in a text message fails the connection with 1007", "client", nil,
			[]frame{fr(true, opText, invalidText)}, false, &vectors.DecoderError{CloseCode: 1007, Requirement: "R-8.1-utf8-fail", Offset: ptr(2 + 3)}},
		{"fail-message-too-big", "A message over the limit fails the connection with 1009", "server", &vectors.Limits{MaxMessage: 4},
			[]frame{fr(true, opText, "12345")}, false, protocolErr(1009, "R-10.4-limits")},
		{"fail-invalid-close-code", "A Close with code 1005 fails the connection with 1002 instead of being echoed (Autobahn 7.9.4)", "server", nil,
			[]frame{fr(true, opClose, closeBody(1005, ""))}, false, protocolErr(1002, "R-7.4-invalid-recv")},
		{"fail-ping-126", "A ping of 126 bytes fails the connection with 1002 and is not answered (Autobahn 2.5)", "client", nil,
			[]frame{fr(true, opPing, strings.Repeat("\xfe", 126))}, false, protocolErr(1002, "R-5.5-control-125")},
		{"fail-unmasked-to-server", "An unmasked frame fails a server's connection with 1002", "server", nil,
			[]frame{fr(true, opText, hw)}, true, protocolErr(1002, "R-5.1-server-rejects-unmasked")},
	} {
		s := newScript(c.id, c.desc, "generated", c.role, uniq(c.err.Requirement, "R-7.1.7-fail-send-close"))
		s.v.Limits = c.limits
		in := s.receives(c.frames...)
		if c.unmasked {
			in = c.frames[0].wire()
		}
		st := receiveStep(in, "closing")
		st.Error = c.err
		s.step(st)
		s.step(takeStep(s.sends(fr(true, opClose, closeBody(c.err.CloseCode, ""))), "closed", true))
		out = append(out, s.v)
	}

	for _, role := range []string{"server", "client"} {
		s := newScript(role+"-initiates-close", "The endpoint closes first: no data after its Close; data and pings still arrive and pings are answered until the peer's Close; the server then closes the transport, the client waits", "generated", role,
			[]string{"R-7.1.2-start-close", "R-5.5.1-no-data-after-close", "R-5.5.2-pong", "R-5.5.1-close-tcp", "R-7.1.1-close-tcp-cleanly"})
		s.step(vectors.ConnStep{Action: "send-close", Code: 1001, Data: []byte("going away"), Output: s.sends(fr(true, opClose, closeBody(1001, "going away"))), State: "closing"})
		s.step(vectors.ConnStep{Action: "send-binary", Data: []byte("late"), Refused: true, State: "closing"})
		s.step(vectors.ConnStep{Action: "send-close", Code: 1000, Refused: true, State: "closing"})
		s.step(receiveStep(s.receives(fr(true, opText, "in flight"), fr(true, opPing, "p")), "closing", evText("in flight"), evPing("p")))
		s.step(takeStep(s.sends(fr(true, opPong, "p")), "closing", false))
		st := receiveStep(s.receives(fr(true, opClose, closeBody(1000, ""))), "closed", evClose(1000, ""))
		st.CloseTransport = role == "server"
		s.step(st)
		s.step(takeStep(nil, "closed", role == "server"))
		s.step(vectors.ConnStep{Action: "transport-closed", State: "closed", CloseCode: 1000})
		out = append(out, s.v)
	}

	{
		s := newScript("close-replaces-echo", "After receiving a Close the application sends its own Close instead of the echo: exactly one Close goes out", "generated", "client",
			[]string{"R-5.5.1-echo-close"})
		s.step(receiveStep(s.receives(fr(true, opClose, closeBody(1000, "why"))), "closing", evClose(1000, "why")))
		s.step(vectors.ConnStep{Action: "send-close", Code: 4000, Data: []byte("because"), Output: s.sends(fr(true, opClose, closeBody(4000, "because"))), State: "closed"})
		s.step(takeStep(nil, "closed", false))
		out = append(out, s.v)
	}

	{
		s := newScript("simultaneous-close", "Both ends send a Close at once: neither echoes the other's", "generated", "server",
			[]string{"R-5.5.1-echo-close", "R-5.5.1-close-tcp"})
		s.step(vectors.ConnStep{Action: "send-close", Code: 1000, Output: s.sends(fr(true, opClose, closeBody(1000, ""))), State: "closing"})
		st := receiveStep(s.receives(fr(true, opClose, closeBody(1000, ""))), "closed", evClose(1000, ""))
		st.CloseTransport = true
		s.step(st)
		s.step(takeStep(nil, "closed", true))
		out = append(out, s.v)
	}

	{
		s := newScript("empty-close-sent", "The application asks for a Close without a status code (1005 and no reason): an empty body goes out", "generated", "client",
			[]string{"R-7.4.1-reserved-never-sent", "R-5.5.1-close-body"})
		s.step(vectors.ConnStep{Action: "send-close", Code: 1005, Output: s.sends(fr(true, opClose, "")), State: "closing"})
		s.step(vectors.ConnStep{Action: "send-close", Code: 1006, Refused: true, State: "closing"})
		out = append(out, s.v)
	}

	{
		s := newScript("refused-sends", "Sends that break the protocol are refused as local errors: a control frame over 125 bytes, a close code that may not be sent, a reason over 123 bytes", "generated", "server",
			[]string{"R-5.5-control-125", "R-7.4.1-reserved-never-sent", "R-5.5.1-close-body"})
		s.step(vectors.ConnStep{Action: "send-ping", Data: make([]byte, 126), Refused: true, State: "open"})
		s.step(vectors.ConnStep{Action: "send-close", Code: 1006, Refused: true, State: "open"})
		s.step(vectors.ConnStep{Action: "send-close", Code: 1000, Data: []byte(strings.Repeat("*", 124)), Refused: true, State: "open"})
		s.step(vectors.ConnStep{Action: "send-pong", Data: []byte("heartbeat"), Output: s.sends(fr(true, opPong, "heartbeat")), State: "open"})
		out = append(out, s.v)
	}

	{
		s := newScript("pong-before-message", "A pong owed by a received ping goes out before the next message the application sends", "generated", "client",
			[]string{"R-5.5.2-pong"})
		s.step(receiveStep(s.receives(fr(true, opPing, "1")), "open", evPing("1")))
		s.step(vectors.ConnStep{Action: "send-binary", Data: []byte("data"), Output: s.sends(fr(true, opPong, "1"), fr(true, opBinary, "data")), State: "open"})
		s.step(takeStep(nil, "open", false))
		out = append(out, s.v)
	}

	{
		s := newScript("transport-lost", "The transport ends with no Close received: the close code is 1006 and nothing more can be sent", "generated", "server",
			[]string{"R-7.1.5-close-code", "R-7.2.1-transport-loss", "R-7.1.4-closed"})
		s.step(receiveStep(s.receives(fr(true, opText, "hi")), "open", evText("hi")))
		s.step(vectors.ConnStep{Action: "transport-closed", State: "closed", CloseCode: 1006})
		s.step(vectors.ConnStep{Action: "send-ping", Refused: true, State: "closed"})
		out = append(out, s.v)
	}
	return out
}

func init() { register("conn.json", func() (any, error) { return connFile() }) }

func connFile() (*vectors.ConnFile, error) {
	f := &vectors.ConnFile{Generated: generatedNote, Vectors: connVectors()}
	seen := map[string]bool{}
	for _, v := range f.Vectors {
		if seen[v.ID] {
			return nil, fmt.Errorf("duplicate vector ID %s", v.ID)
		}
		seen[v.ID] = true
	}
	return f, nil
}
