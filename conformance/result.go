package conformance

import "time"

// A Verdict is the outcome of a case, in Autobahn|Testsuite's vocabulary,
// so that reports compare with published Autobahn reports.
type Verdict string

// Verdicts of Result.Behavior.
const (
	// OK: the observed events equal the case's OK expectation.
	OK Verdict = "OK"
	// NonStrict: the events equal the NON-STRICT alternative: conformant,
	// but not the preferred behaviour (failing late instead of fast).
	NonStrict Verdict = "NON-STRICT"
	// Failed: the events match no expectation, or a case rule failed it.
	Failed Verdict = "FAILED"
	// Informational: the outcome is not defined by the RFC; reported only.
	Informational Verdict = "INFORMATIONAL"
	// Unimplemented: the feature the case tests was not negotiated
	// (permessage-deflate cases only).
	Unimplemented Verdict = "UNIMPLEMENTED"
)

// Verdicts of Result.BehaviorClose besides OK, Failed and Informational.
const (
	// WrongCode: the testee's Close carried a code outside the expected
	// list (an absent code is always acceptable).
	WrongCode Verdict = "WRONG CODE"
	// Unclean: the case requires a clean close and the close was not clean.
	Unclean Verdict = "UNCLEAN"
	// FailedByClient: the runner, as the client, had to drop TCP itself;
	// the server should have closed it (R-7.1.1-close-tcp-cleanly).
	FailedByClient Verdict = "FAILED BY CLIENT"
)

// IsPass reports whether v is a passing verdict for either column: OK,
// NON-STRICT, INFORMATIONAL or UNIMPLEMENTED.
func (v Verdict) IsPass() bool {
	switch v {
	case OK, NonStrict, Informational, Unimplemented:
		return true
	}
	return false
}

// An EventKind names a recorded event.
type EventKind string

// The kinds of recorded events.
const (
	EventMessage EventKind = "message" // a complete data message from the testee
	EventPong    EventKind = "pong"    // a pong from the testee
	EventTimeout EventKind = "timeout" // a case step ran while the connection was still open (6.4.x)
)

// An Event is one thing the runner observed from the testee (or, for
// EventTimeout, one step of a case that found the connection open).
// Expectations are ordered lists of events compared exactly.
//
// Once a case is over, the events of its Result keep at most the first
// WirePreviewLen bytes of each payload (all that reports show) and Size
// keeps the length, so that a run's memory does not grow with what servers
// send; Case.Judge still sees whole payloads.
type Event struct {
	Kind    EventKind
	Payload []byte // message and pong payload, or its first bytes (see Size)
	Size    int    // the payload's length when Payload holds only its start, else 0
	Binary  bool   // message: binary rather than text
	Tag     string // timeout: "A" or "B"
}

// Len returns the length of the event's payload.
func (e Event) Len() int { return max(e.Size, len(e.Payload)) }

// trimmed returns e with its payload cut to WirePreviewLen bytes.
func (e Event) trimmed() Event {
	if len(e.Payload) > WirePreviewLen {
		e.Size = len(e.Payload)
		e.Payload = append([]byte(nil), e.Payload[:WirePreviewLen]...)
	}
	return e
}

// Message returns a message event.
func Message(payload []byte, binary bool) Event {
	return Event{Kind: EventMessage, Payload: payload, Binary: binary}
}

// Pong returns a pong event.
func Pong(payload []byte) Event { return Event{Kind: EventPong, Payload: payload} }

// Timeout returns a timeout event with the given tag.
func Timeout(tag string) Event { return Event{Kind: EventTimeout, Tag: tag} }

// ExpectedClose is how a case expects the connection to end.
type ExpectedClose struct {
	// ClosedByMe: the runner (not the testee) should send the first Close.
	ClosedByMe bool
	// CloseCode lists the acceptable codes in the testee's Close frame;
	// element 0 is the code the runner uses when it closes early.
	CloseCode []int
	// RequireClean: the closing handshake must complete and the server
	// must close TCP in time.
	RequireClean bool
	// ClosedByWrongEndpointIsFatal: a ClosedByMe mismatch also fails
	// Behavior (the testee never detected the violation).
	ClosedByWrongEndpointIsFatal bool
}

// WireKind tags an entry of the wire log, with Autobahn's tags.
type WireKind string

// Wire log tags.
const (
	WireRead        WireKind = "RO"  // octets read from TCP in one read
	WireWrite       WireKind = "TO"  // octets written to TCP in one write
	WireFrameIn     WireKind = "RF"  // a frame received
	WireFrameOut    WireKind = "TF"  // a frame sent through the raw frame writer
	WireContinue    WireKind = "CT"  // a continueLater step armed
	WireContinueRun WireKind = "CTE" // a continueLater step fired
	WireKill        WireKind = "KL"  // a killAfter timer armed
	WireKillRun     WireKind = "KLE" // a killAfter timer fired
	WireCloseTimer  WireKind = "TI"  // a closeAfter timer armed
	WireCloseRun    WireKind = "TIE" // a closeAfter timer fired
	WireLogging     WireKind = "WLM" // wire logging switched on or off
)

// WirePreviewLen is how many bytes of data a wire log entry keeps: reports
// show at most the first 64 octets of any read, write or payload.
const WirePreviewLen = 64

// A WireEntry is one row of a case's wire log. Which fields are meaningful
// depends on Kind:
//
//	RO       Len, Data
//	TO       Len, Data, Sync
//	RF       Len (payload length), Data (payload), Opcode, Fin, Rsv, Masked, Mask
//	TF       Len, Data, Opcode, Fin, Rsv, Mask, RepeatLength, ChopSize, Sync
//	CT       Delay, Tag       CTE  Tag
//	KL, TI   Delay            KLE, TIE  nothing
//	WLM      Enabled
type WireEntry struct {
	Kind WireKind
	At   time.Duration // since the case started; not part of Autobahn's format
	Len  int           // octets, or payload length
	Data []byte        // at most WirePreviewLen bytes of the octets or payload
	// Frame fields (RF, TF).
	Opcode       int
	Fin          bool
	Rsv          int
	Masked       bool
	Mask         []byte // 4 bytes, or nil
	RepeatLength int    // TF: real payload size of a repeated-pattern payload, 0 for none
	ChopSize     int    // TF: chop size, 0 for none
	Sync         bool   // TO, TF: written in its own event-loop turn
	// Timer fields (CT, CTE, KL, TI).
	Delay float64 // seconds, as the case gives them
	Tag   string  // CT/CTE: "A", "B", or "" for none
	// WLM.
	Enabled bool
}

// A Result is everything recorded about one case run. Its fields mirror
// Autobahn|Testsuite's per-case report (so reports can be written in its
// format) plus wskit's additions: the requirement IDs a case checks and the
// reason for the verdict.
type Result struct {
	Agent string // name of the implementation under test
	// Index is the 1-based position of the case in the full catalogue
	// (Autobahn's "case" number).
	Index        int
	ID           string   // "6.4.1"
	Description  string   // what is sent; may contain Autobahn's HTML (<b>, <br>)
	Expectation  string   // what should happen; may contain HTML
	Requirements []string // IDs (package spec) the case checks

	// IsServer is true when the runner was the server (testing a client).
	IsServer bool

	Started    time.Time     // when the TCP connection was opened
	Duration   time.Duration // from WebSocket open to TCP close
	ReportTime bool          // reports show the duration (performance cases)

	Behavior      Verdict
	BehaviorClose Verdict
	Result        string // explanation of Behavior (Autobahn's exact texts)
	ResultClose   string // explanation of BehaviorClose
	// Reason is wskit's one-line account of the verdict for people: what
	// was expected and what was observed.
	Reason string

	// Expected maps a verdict (OK, NON-STRICT) to the exact event list
	// that earns it; nil when the connection never opened.
	Expected map[Verdict][]Event
	// ExpectedClose is nil when the connection never opened.
	ExpectedClose *ExpectedClose
	Received      []Event

	ClosedByMe                     bool
	FailedByMe                     bool
	DroppedByMe                    bool
	WasClean                       bool
	WasNotCleanReason              string // "" when clean (JSON null)
	WasServerConnectionDropTimeout bool
	WasOpenHandshakeTimeout        bool
	WasCloseHandshakeTimeout       bool
	LocalCloseCode                 int    // the runner's close code; meaningful only when HasLocalCloseCode
	HasLocalCloseCode              bool   // false: no Close sent, or one without a code (JSON null); code 0 is a real code
	LocalCloseReason               string // "" when the runner's Close had no reason (JSON null)
	RemoteCloseCode                int    // the testee's close code; meaningful only when HasRemoteCloseCode
	HasRemoteCloseCode             bool   // false: no Close received, or an empty one (JSON null); code 0 is a real code
	RemoteCloseReason              string // "" when the payload had no reason (JSON null)
	// Truncated says why the runner stopped recording events and failed
	// the case (the peer exceeded the Budget), or is "".
	Truncated string
	// WireLogDropped counts the wire-log entries left out once the log
	// reached its Budget.
	WireLogDropped int
	// ProtocolErrors lists the testee's protocol violations the runner's
	// decoder found, as "close 1002 (R-5.2-rsv-fail): ..." lines.
	ProtocolErrors []string

	// OpenError is why the opening handshake failed, or nil. It keeps the
	// chain: errors.Is(r.OpenError, os.ErrDeadlineExceeded) for a server
	// that never answered, io.EOF for one that hung up, errors.As with
	// *handshake.ResponseError or *tls.CertificateVerificationError.
	OpenError error

	HTTPRequest  string // the opening handshake request as sent, "?" if none
	HTTPResponse string // the response head as received, "?" if none

	CreateWirelog bool
	WireLog       []WireEntry
	RxOctetStats  map[int]int // size of each TCP read -> count
	TxOctetStats  map[int]int // size of each TCP write -> count
	RxFrameStats  map[int]int // opcode -> frames received
	TxFrameStats  map[int]int // opcode -> frames sent
}

// Passed reports whether both verdicts pass: OK, NON-STRICT,
// INFORMATIONAL or UNIMPLEMENTED in each column.
func (r *Result) Passed() bool {
	return r.Behavior.IsPass() && r.BehaviorClose.IsPass()
}

// IsCloseProblem reports whether v is WRONG CODE, UNCLEAN or FAILED BY
// CLIENT: a close behaviour that is neither a pass nor FAILED.
func (v Verdict) IsCloseProblem() bool {
	switch v {
	case WrongCode, Unclean, FailedByClient:
		return true
	}
	return false
}
