package interop

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/wskit/wskit/spec"
	"github.com/wskit/wskit/vectors"
)

// failFastOnly lists vectors that only a decoder validating UTF-8 as the
// bytes arrive passes (SCHEMA.md, decoder.json): a library that waits for
// the rest of the frame is NotFailFast there, not Hangs.
var failFastOnly = map[string]bool{"utf8-fail-fast-mid-frame": true}

// applicable says whether lib can be configured as the vector asks, and
// why not.
func applicable(lib Library, l *vectors.Limits) (bool, string) {
	if lib.Exact || l == nil {
		return true, ""
	}
	switch {
	case l.MaxFragments != 0:
		return false, "no limit on the number of fragments"
	case l.AllowNonMinimalLength:
		return false, "no option for non-minimal lengths"
	}
	return true, ""
}

// A decoderRun is what one library did with one decoder vector.
type decoderRun struct {
	delivered []Message
	frames    []wireFrame
	appErr    error
	appEnded  bool
	panicked  string
	wireEnded bool
	wireErr   error
	answered  bool // the probe Ping was answered
}

// runDecoder writes v.Input to lib in v.Role, then the probe Ping, and
// records what happens until the library answers the probe, sends a Close,
// closes the transport or hangTimeout passes.
func runDecoder(lib Library, v vectors.DecoderVector) (Result, *decoderRun) {
	r := Result{Library: lib.Name, File: "decoder", ID: v.ID, Requirements: v.Requirements, Valid: v.Error == nil, Baseline: isBaseline(v)}
	if ok, why := applicable(lib, v.Limits); !ok {
		r.Verdict, r.Detail = NotApplicable, why
		return r, nil
	}
	l, err := open(lib, v.Role, Config{Limits: v.Limits})
	if err != nil {
		r.Verdict, r.Detail = Crashes, "no connection: "+err.Error()
		return r, nil
	}
	run := observe(l, v.Input)
	r.Verdict, r.Detail = judgeDecoder(v, run)
	if r.Verdict == Conforms && run.wireErr != nil {
		r.Verdict, r.Detail = Differs, "sent a frame RFC 6455 forbids: "+oneLine(run.wireErr.Error())
	}
	return r, run
}

// observe writes input to an open link, then the probe Ping, records what
// happens until the library answers the probe, sends a Close, closes the
// transport or hangTimeout passes, and closes the link.
func observe(l *link, input []byte) *decoderRun {
	l.w.write(input)
	l.w.sendProbe()
	s := l.s
	s.wait(hangTimeout, func() bool {
		return s.wireEnded || s.panicked != "" || hasClose(s.frames) || probeAnswered(s.frames)
	})
	// A Close or the end of the transport may come just before the
	// application has seen the end of the connection: give it a moment.
	s.wait(settle, func() bool { return s.appEnded })
	l.close()
	s.mu.Lock()
	defer s.mu.Unlock()
	return &decoderRun{
		delivered: append([]Message(nil), s.delivered...), frames: append([]wireFrame(nil), s.frames...),
		appErr: s.appErr, appEnded: s.appEnded, panicked: s.panicked,
		wireEnded: s.wireEnded, wireErr: s.wireErr, answered: probeAnswered(s.frames),
	}
}

// hasClose reports whether the library sent a Close.
func hasClose(frames []wireFrame) bool {
	_, ok := firstClose(frames)
	return ok
}

// firstClose returns the first Close the library sent.
func firstClose(frames []wireFrame) (wireFrame, bool) {
	for _, f := range frames {
		if f.Op == spec.OpClose {
			return f, true
		}
	}
	return wireFrame{}, false
}

// probeAnswered reports whether the library answered the probe Ping.
func probeAnswered(frames []wireFrame) bool {
	for _, f := range frames {
		if f.Op == spec.OpPong && bytes.Equal(f.Data, probe) {
			return true
		}
	}
	return false
}

// errorCodes are the close codes that fail a connection.
var errorCodes = map[int]bool{1002: true, 1003: true, 1007: true, 1008: true, 1009: true, 1010: true, 1011: true}

// judgeDecoder compares a run with the vector's expectation.
func judgeDecoder(v vectors.DecoderVector, run *decoderRun) (Verdict, string) {
	if run.panicked != "" {
		return Crashes, run.panicked
	}
	want := dataEvents(beforeClose(v.Events))
	got := describeMessages(run.delivered)
	closeFrame, closed := firstClose(run.frames)
	if v.Error != nil {
		switch {
		case len(run.delivered) > len(want) || !isPrefix(run.delivered, want):
			return Lenient, "delivered " + got
		case closed && closeFrame.Code == v.Error.CloseCode:
			if len(run.delivered) < len(want) {
				return Differs, fmt.Sprintf("closed with %d but delivered only %s", closeFrame.Code, got)
			}
			return Conforms, fmt.Sprintf("Close %d", closeFrame.Code)
		case closed:
			return WrongCode, fmt.Sprintf("%s, want %d", closeName(closeFrame.Code), v.Error.CloseCode)
		case run.answered:
			return Lenient, "ignored the violation (answered the next Ping)"
		case run.wireEnded:
			return NoClose, "closed the transport without a Close" + appErrNote(run)
		case failFastOnly[v.ID]:
			return NotFailFast, "waits for the rest of the frame before validating"
		}
		return Hangs, fmt.Sprintf("no Close, no answer within %v", hangTimeout)
	}
	wantClose, wantsClose := closeEvent(v.Events)
	switch {
	case closed && errorCodes[closeFrame.Code] && !(wantsClose && closeFrame.Code == wantClose.Code):
		return RejectsValid, fmt.Sprintf("Close %d after delivering %s", closeFrame.Code, got)
	case !closed && run.wireEnded && !wantsClose && !run.answered:
		return RejectsValid, "closed the transport" + appErrNote(run)
	case !closed && !run.answered && !run.wireEnded:
		return Hangs, fmt.Sprintf("no answer within %v after delivering %s", hangTimeout, got)
	case !sameMessages(run.delivered, want):
		return Differs, "delivered " + got + ", want " + describeEvents(want)
	}
	if wantsClose {
		pc, ok := run.appErr.(*PeerClose)
		if !ok {
			return Differs, fmt.Sprintf("the application was not told of the Close %d (%v)", wantClose.Code, run.appErr)
		}
		if pc.Code != wantClose.Code || !bytes.Equal(pc.Reason, wantClose.Data) {
			return Differs, fmt.Sprintf("reports Close %d %q, want %d %q", pc.Code, pc.Reason, wantClose.Code, []byte(wantClose.Data))
		}
	}
	if want, got := pingsBeforeClose(v.Events), pongs(run.frames); !sameBytes(got, want) {
		return Differs, fmt.Sprintf("sent %d pongs for %d pings", len(got), len(want))
	}
	return Conforms, "delivered " + got
}

// appErrNote adds the application's error to a detail.
func appErrNote(run *decoderRun) string {
	if run.appErr == nil {
		return ""
	}
	return " (" + oneLine(run.appErr.Error()) + ")"
}

// oneLine shortens an error message for a table.
func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	s = strings.ReplaceAll(s, "|", "/")
	if len(s) > 90 {
		s = s[:90] + "…"
	}
	return s
}

// dataEvents keeps the text and binary events.
func dataEvents(evs []vectors.Event) []vectors.Event {
	var out []vectors.Event
	for _, e := range evs {
		if e.Kind == "text" || e.Kind == "binary" {
			out = append(out, e)
		}
	}
	return out
}

// beforeClose cuts the events after a Close: a connection processes
// nothing the peer sends after its Close (conn.json).
func beforeClose(evs []vectors.Event) []vectors.Event {
	for i, e := range evs {
		if e.Kind == "close" {
			return evs[:i+1]
		}
	}
	return evs
}

// closeEvent returns the Close event, if any.
func closeEvent(evs []vectors.Event) (vectors.Event, bool) {
	for _, e := range evs {
		if e.Kind == "close" {
			return e, true
		}
	}
	return vectors.Event{}, false
}

// pingsBeforeClose returns the payloads of the pings a library must answer.
func pingsBeforeClose(evs []vectors.Event) [][]byte {
	var out [][]byte
	for _, e := range evs {
		if e.Kind == "close" {
			break
		}
		if e.Kind == "ping" {
			out = append(out, e.Data)
		}
	}
	return out
}

// pongs returns the payloads of the pongs the library sent, the probe's
// excepted.
func pongs(frames []wireFrame) [][]byte {
	var out [][]byte
	for _, f := range frames {
		if f.Op == spec.OpPong && !bytes.Equal(f.Data, probe) {
			out = append(out, f.Data)
		}
	}
	return out
}

// sameBytes compares two lists of byte strings.
func sameBytes(a, b [][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

// isPrefix reports whether got is a prefix of want.
func isPrefix(got []Message, want []vectors.Event) bool {
	if len(got) > len(want) {
		return false
	}
	return sameMessages(got, want[:len(got)])
}

// sameMessages compares delivered messages with data events.
func sameMessages(got []Message, want []vectors.Event) bool {
	if len(got) != len(want) {
		return false
	}
	for i, m := range got {
		if m.Text != (want[i].Kind == "text") || !bytes.Equal(m.Data, want[i].Data) {
			return false
		}
	}
	return true
}

// describeMessages prints delivered messages briefly.
func describeMessages(ms []Message) string {
	if len(ms) == 0 {
		return "nothing"
	}
	parts := make([]string, len(ms))
	for i, m := range ms {
		kind := "binary"
		if m.Text {
			kind = "text"
		}
		parts[i] = fmt.Sprintf("%s(%d B)", kind, len(m.Data))
	}
	return strings.Join(parts, ", ")
}

// describeEvents prints expected data events briefly.
func describeEvents(evs []vectors.Event) string {
	if len(evs) == 0 {
		return "nothing"
	}
	parts := make([]string, len(evs))
	for i, e := range evs {
		parts[i] = fmt.Sprintf("%s(%d B)", e.Kind, len(e.Data))
	}
	return strings.Join(parts, ", ")
}

// isBaseline reports whether v is a valid stream of plain text and binary
// messages with no limit, which every library handles.
func isBaseline(v vectors.DecoderVector) bool {
	if v.Error != nil || v.Limits != nil || len(v.Events) == 0 {
		return false
	}
	for _, e := range v.Events {
		if e.Kind != "text" && e.Kind != "binary" {
			return false
		}
	}
	return true
}
