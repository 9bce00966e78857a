package interop

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/spec"
	"github.com/wskit/wskit/vectors"
)

// runConn plays a conn.json script against lib: "receive" steps write to
// the library, send steps ask its application to send, "take-outgoing"
// waits for what it owes, "transport-closed" closes the harness's side.
//
// The comparison is per kind of frame, in order within each kind (data
// messages, pongs, Closes), because a real library writes its answers as it
// reads, not when the script takes them: the order between a pong and an
// application's message is the library's own.
func runConn(lib Library, v vectors.ConnVector) Result {
	r := Result{Library: lib.Name, File: "conn", ID: v.ID, Requirements: v.Requirements, Valid: !connHasError(v)}
	if ok, why := applicable(lib, v.Limits); !ok {
		r.Verdict, r.Detail = NotApplicable, why
		return r
	}
	want, err := expectedOutput(v)
	if err != nil {
		r.Verdict, r.Detail = Crashes, "vector: "+err.Error()
		return r
	}
	l, err := open(lib, v.Role, Config{Limits: v.Limits})
	if err != nil {
		r.Verdict, r.Detail = Crashes, "no connection: "+err.Error()
		return r
	}
	s := l.s
	s.setProceed(0)
	var wantData []vectors.Event
	var failed *vectors.DecoderError
	var refusals []string // mismatches between expected and actual refusals
	for i, st := range v.Steps {
		switch st.Action {
		case "receive":
			m := len(wantData)
			wantData = append(wantData, dataEvents(st.Events)...)
			n := len(wantData)
			// Read on past the messages so far, and stop after this
			// step's last one, so that the send steps answer it.
			s.setProceed(max(m, n-1))
			l.w.write(st.Data)
			if st.Error != nil && failed == nil {
				failed = st.Error
				s.wait(hangTimeout, func() bool { return s.wireEnded || hasClose(s.frames) || s.panicked != "" })
			} else {
				s.wait(settle, func() bool { return len(s.delivered) >= n || s.appEnded })
			}
		case "take-outgoing":
			s.setProceed(unlimited)
			n := countUpTo(want, i)
			s.wait(settle, func() bool { return len(s.frames) >= n || s.wireEnded })
		case "transport-closed":
			s.setProceed(unlimited)
			_ = l.w.conn.Close()
			s.wait(hangTimeout, func() bool { return s.appEnded })
		default:
			err := sendBounded(l.ep, Send{Action: st.Action, Data: st.Data, Code: st.Code})
			if errors.Is(err, ErrUnsupported) {
				l.close()
				r.Verdict, r.Detail = NotApplicable, "no API for "+st.Action
				return r
			}
			if (err != nil) != st.Refused {
				refusals = append(refusals, fmt.Sprintf("step %d %s: refused=%v, want %v", i+1, st.Action, err != nil, st.Refused))
			}
		}
	}
	s.setProceed(unlimited)
	s.wait(settle, func() bool { return false })
	l.close()
	delivered, frames := s.snapshot()
	s.mu.Lock()
	panicked, wireErr := s.panicked, s.wireErr
	s.mu.Unlock()
	r.Verdict, r.Detail = judgeConn(connRun{want: want, wantData: wantData, failed: failed, refusals: refusals,
		delivered: delivered, frames: frames, panicked: panicked, wireErr: wireErr})
	return r
}

// connHasError reports whether a script contains a violation.
func connHasError(v vectors.ConnVector) bool {
	for _, st := range v.Steps {
		if st.Error != nil {
			return true
		}
	}
	return false
}

// An expectedFrame is a frame the script says the endpoint sends, with the
// index of the step that hands it out.
type expectedFrame struct {
	wireFrame
	step int
}

// expectedOutput decodes every step's output. The outputs are the
// endpoint's frames: masked for a client, so the harness decodes them in
// the opposite role.
func expectedOutput(v vectors.ConnVector) ([]expectedFrame, error) {
	role := codec.RoleClient // the endpoint is a server: its frames are unmasked
	if v.Role == "client" {
		role = codec.RoleServer
	}
	dec, err := codec.NewDecoder(codec.DecoderOptions{Role: role})
	if err != nil {
		return nil, err
	}
	var out []expectedFrame
	var msg []byte
	var op spec.Opcode
	for i, st := range v.Steps {
		p := bytes.Clone(st.Output)
		for {
			ev, n, err := dec.Decode(p)
			p = p[n:]
			if err != nil {
				return nil, err
			}
			if ev.Kind == codec.EventNone {
				break
			}
			switch ev.Kind {
			case codec.EventMessageStart:
				op, msg = ev.Opcode, []byte{}
			case codec.EventPayload:
				msg = append(msg, ev.Data...)
			case codec.EventMessageEnd:
				out = append(out, expectedFrame{wireFrame{Op: op, Data: msg}, i})
			default:
				out = append(out, expectedFrame{wireFrame{Op: ev.Opcode, Data: bytes.Clone(ev.Data), Code: int(ev.Code)}, i})
			}
		}
	}
	return out, nil
}

// countUpTo counts the expected frames handed out by step i or before.
func countUpTo(want []expectedFrame, i int) int {
	n := 0
	for _, f := range want {
		if f.step <= i {
			n++
		}
	}
	return n
}

// sendBounded calls ep.Send and waits settle for its answer: a send still
// blocked then (coder's Close waits for the peer's Close, its Ping for a
// pong) counts as done, not refused.
func sendBounded(ep Endpoint, a Send) error {
	ch := make(chan error, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				ch <- fmt.Errorf("panic in Send: %v", r)
			}
		}()
		ch <- ep.Send(a)
	}()
	select {
	case err := <-ch:
		return err
	case <-time.After(settle):
		return nil
	}
}

// connRun is what a library did with a script.
type connRun struct {
	want      []expectedFrame
	wantData  []vectors.Event
	failed    *vectors.DecoderError
	refusals  []string
	delivered []Message
	frames    []wireFrame
	panicked  string
	wireErr   error
}

// judgeConn compares a script's run with its expectation.
func judgeConn(c connRun) (Verdict, string) {
	if c.panicked != "" {
		return Crashes, c.panicked
	}
	closeFrame, closed := firstClose(c.frames)
	if c.failed != nil {
		switch {
		case len(c.delivered) > len(c.wantData):
			return Lenient, "delivered " + describeMessages(c.delivered)
		case !closed:
			return NoClose, "failed without a Close"
		case closeFrame.Code != c.failed.CloseCode:
			return WrongCode, fmt.Sprintf("%s, want %d", closeName(closeFrame.Code), c.failed.CloseCode)
		}
	}
	if !sameMessages(c.delivered, c.wantData) {
		return Differs, "delivered " + describeMessages(c.delivered) + ", want " + describeEvents(c.wantData)
	}
	if len(c.refusals) > 0 {
		return Differs, c.refusals[0]
	}
	if c.wireErr != nil {
		return Differs, "sent a frame RFC 6455 forbids: " + oneLine(c.wireErr.Error())
	}
	for _, op := range []spec.Opcode{spec.OpText, spec.OpBinary, spec.OpPing, spec.OpPong, spec.OpClose} {
		got, want := framesOf(c.frames, op), expectedOf(c.want, op)
		if d := compareFrames(op, got, want); d != "" {
			if op == spec.OpClose && len(got) > 0 && errorCodes[got[0].Code] && c.failed == nil {
				return RejectsValid, d
			}
			return Differs, d
		}
	}
	return Conforms, fmt.Sprintf("%d frames as expected", len(c.want))
}

// framesOf keeps the frames of one opcode, the probe's pong excepted.
func framesOf(frames []wireFrame, op spec.Opcode) []wireFrame {
	var out []wireFrame
	for _, f := range frames {
		if f.Op == op && !(op == spec.OpPong && bytes.Equal(f.Data, probe)) {
			out = append(out, f)
		}
	}
	return out
}

// expectedOf keeps the expected frames of one opcode.
func expectedOf(want []expectedFrame, op spec.Opcode) []wireFrame {
	var out []wireFrame
	for _, f := range want {
		if f.Op == op {
			out = append(out, f.wireFrame)
		}
	}
	return out
}

// compareFrames describes the first difference between frames of one
// opcode, or returns "".
func compareFrames(op spec.Opcode, got, want []wireFrame) string {
	name := op.String()
	for i := 0; i < len(got) || i < len(want); i++ {
		switch {
		case i >= len(got):
			return fmt.Sprintf("sent %d %s frames, want %d", len(got), name, len(want))
		case i >= len(want):
			return fmt.Sprintf("sent %d %s frames, want %d (extra: %s)", len(got), name, len(want), frameString(got[i]))
		case got[i].Code != want[i].Code || (op != spec.OpClose && !bytes.Equal(got[i].Data, want[i].Data)):
			// A Close's reason is the sender's choice; its code is not.
			return fmt.Sprintf("%s frame %d is %s, want %s", name, i+1, frameString(got[i]), frameString(want[i]))
		}
	}
	return ""
}

// frameString prints a frame briefly.
func frameString(f wireFrame) string {
	if f.Op == spec.OpClose {
		return closeName(f.Code)
	}
	return fmt.Sprintf("%s(%d B)", f.Op, len(f.Data))
}

// closeName names a Close frame by its code.
func closeName(code int) string {
	if code == int(spec.CloseNoStatus) {
		return "an empty Close"
	}
	return fmt.Sprintf("Close %d", code)
}
