package conformance

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/wskit/wskit/codec"
)

// Autobahn's result texts (autobahn.md section 3.8), kept exact so that
// reports compare.
const (
	textNoMatch       = "Actual events differ from any expected."
	textMatch         = "Actual events match at least one expected."
	textWrongEndpoint = "The connection was failed by the wrong endpoint"
	textUnclean       = "The spec requires the connection to be failed cleanly here"
	textDropByClient  = "It is preferred that the server close the TCP connection"
	textCloseOK       = "Connection was properly closed"
	textNeverOpened   = "The WebSocket opening handshake was never completed!"
)

// verdictOrder is the order in which expectation lists are tried.
var verdictOrder = []Verdict{OK, NonStrict}

// evaluate sets the verdicts once TCP is closed, in Autobahn's order
// (autobahn.md section 3.3).
func (s *Session) evaluate(opened bool) {
	r := s.res
	// 1. Behaviour: the first expectation list the events equal.
	r.Behavior, r.Result = Failed, textNoMatch
	if s.ownVerdict {
		r.Behavior, r.Result = s.behavior, s.result
	}
	for _, v := range verdictOrder {
		if want, ok := r.Expected[v]; ok && eventsEqual(want, r.Received) {
			r.Behavior, r.Result = v, textMatch
			break
		}
	}
	// 2. A connection that never opened fails its close behaviour.
	if !opened {
		r.BehaviorClose, r.ResultClose = Failed, textNeverOpened
		if r.Reason == "" {
			r.Reason = "the opening handshake did not complete: " + r.WasNotCleanReason
		}
		return
	}
	// 3. Close behaviour: the first rule that applies.
	ec := r.ExpectedClose
	switch {
	case ec.ClosedByMe != r.ClosedByMe:
		r.BehaviorClose, r.ResultClose = Failed, textWrongEndpoint
	case ec.RequireClean && !r.WasClean:
		r.BehaviorClose, r.ResultClose = Unclean, textUnclean
	case r.HasRemoteCloseCode && !slices.Contains(ec.CloseCode, r.RemoteCloseCode):
		r.BehaviorClose, r.ResultClose = WrongCode, "The close code should have been "+joinCodes(ec.CloseCode)+" or empty"
	case r.DroppedByMe && s.role == codec.RoleClient:
		// Only a client runner can be made to drop TCP where the server
		// should have: as the server, closing TCP is the runner's own
		// job (R-5.5.1-close-tcp), so Autobahn's fuzzing server never
		// gives FAILED BY CLIENT, and a close-handshake timeout without
		// requireClean is OK.
		r.BehaviorClose, r.ResultClose = FailedByClient, textDropByClient
	default:
		r.BehaviorClose, r.ResultClose = OK, textCloseOK
	}
	// 4. Missing a violation the testee had to detect fails the case.
	if ec.ClosedByWrongEndpointIsFatal && ec.ClosedByMe != r.ClosedByMe {
		r.Behavior = Failed
	}
	// 5. The case's own rules.
	if s.c.Judge != nil {
		s.c.Judge(s, r)
	}
	// 6. A peer that flooded the runner past its budget fails the case,
	// whatever the events recorded before say.
	if r.Truncated != "" {
		r.Behavior, r.Result = Failed, "Recording stopped: the peer sent more than the case asks for."
		r.Reason = r.Truncated
	}
	if r.Reason == "" {
		r.Reason = s.reason()
	}
	// The verdicts are in: keep only what reports show of the payloads.
	for i, e := range r.Received {
		r.Received[i] = e.trimmed()
	}
}

func joinCodes(codes []int) string {
	parts := make([]string, len(codes))
	for i, c := range codes {
		parts[i] = strconv.Itoa(c)
	}
	return strings.Join(parts, ",")
}

// reason writes wskit's one-line account of a verdict: what was expected,
// what was observed, and how the connection ended.
func (s *Session) reason() string {
	r := s.res
	var b strings.Builder
	switch {
	case s.ownVerdict && len(r.Expected) == 0:
		// The case judged its messages itself (SetBehavior).
		fmt.Fprintf(&b, "%s: %s", r.Behavior, r.Result)
	case r.Behavior == OK:
		fmt.Fprintf(&b, "received %s as expected", describeEvents(r.Received))
	case r.Behavior == Informational:
		fmt.Fprintf(&b, "received %s (the RFC leaves the outcome open)", describeEvents(r.Received))
	default:
		fmt.Fprintf(&b, "expected %s, received %s", describeExpected(r.Expected), describeEvents(r.Received))
	}
	b.WriteString("; ")
	b.WriteString(s.describeClose())
	if len(r.ProtocolErrors) > 0 {
		b.WriteString("; the testee broke the protocol: ")
		b.WriteString(r.ProtocolErrors[0])
	}
	return b.String()
}

func (s *Session) describeClose() string {
	r := s.res
	var who string
	switch {
	case r.FailedByMe && len(r.ProtocolErrors) > 0:
		who = fmt.Sprintf("the runner failed the connection with %d", r.LocalCloseCode)
	case r.FailedByMe:
		who = fmt.Sprintf("the testee did not act in time, so the runner closed with %d", r.LocalCloseCode)
	case r.ClosedByMe:
		switch {
		case r.HasLocalCloseCode:
			who = fmt.Sprintf("the runner closed with %d", r.LocalCloseCode)
		case r.LocalCloseReason != "":
			who = fmt.Sprintf("the runner closed with a %d-octet body", len(r.LocalCloseReason))
		default:
			who = "the runner closed (empty Close)"
		}
	case s.remoteClose:
		who = "the testee closed"
	default:
		who = "the testee dropped TCP without a Close"
	}
	if r.HasRemoteCloseCode {
		who += fmt.Sprintf(", the testee's close code was %d", r.RemoteCloseCode)
	} else if s.remoteClose {
		who += ", the testee's Close had no code"
	}
	switch {
	case r.WasClean:
		who += ", clean close"
	case r.WasNotCleanReason != "":
		who += ", not clean: " + r.WasNotCleanReason
	default:
		who += ", not clean"
	}
	if r.DroppedByMe {
		who += " (the runner dropped TCP)"
	}
	want := "expected the testee to fail the connection"
	if r.ExpectedClose.ClosedByMe {
		want = "expected the runner to close"
	}
	return want + "; " + who
}

func describeExpected(m map[Verdict][]Event) string {
	var parts []string
	for _, v := range verdictOrder {
		if evs, ok := m[v]; ok {
			parts = append(parts, string(v)+" "+describeEvents(evs))
		}
	}
	if len(parts) == 0 {
		return "no particular events"
	}
	return strings.Join(parts, " or ")
}

func describeEvents(evs []Event) string {
	if len(evs) == 0 {
		return "nothing"
	}
	parts := make([]string, len(evs))
	for i, e := range evs {
		switch e.Kind {
		case EventMessage:
			kind := "text"
			if e.Binary {
				kind = "binary"
			}
			parts[i] = fmt.Sprintf("%s message (%d bytes)", kind, e.Len())
		case EventPong:
			parts[i] = fmt.Sprintf("pong (%d bytes)", e.Len())
		default:
			parts[i] = "timeout " + e.Tag
		}
	}
	return "[" + strings.Join(parts, ", ") + "]"
}
