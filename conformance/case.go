package conformance

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wskit/wskit/codec/deflate"
	"github.com/wskit/wskit/handshake"
)

// A Case is one conformance test: what the runner sends to the server
// under test, what it expects back, and the requirements it checks. Case
// IDs, payloads, timers and verdict rules follow Autobahn|Testsuite's
// fuzzing client, so results compare with published Autobahn reports.
type Case struct {
	// ID is the Autobahn case ID, such as "6.4.1".
	ID string
	// Index is the case's 1-based number in the catalogue's full
	// numbering (Autobahn's "case" in reports), set by the catalogue.
	Index int
	// Description says what the runner sends.
	Description string
	// Expectation says what a conforming server does.
	Expectation string
	// Requirements lists the IDs (package spec) the case checks.
	Requirements []string

	// Expected maps a verdict to the exact event list that earns it.
	Expected map[Verdict][]Event
	// Close is how the connection should end.
	Close ExpectedClose
	// SuppressClose stops the runner from closing as soon as the expected
	// events have arrived (the case closes by itself).
	SuppressClose bool

	// ReportTime marks a case whose duration is part of its outcome
	// (Autobahn's performance cases): reports show it.
	ReportTime bool

	// Extensions are offered in the runner's opening handshake, as the
	// client (Autobahn's categories 12 and 13 offer permessage-deflate).
	// When the server accepts permessage-deflate, the session
	// decompresses what it receives and can compress what the case sends
	// (Session.Deflate, Session.SendCompressed); an acceptance that
	// answers none of the offers fails the opening handshake
	// (D-7-client-fail).
	Extensions []handshake.Extension
	// AcceptDeflate, if set, is the case's rule for the client's
	// permessage-deflate offers in a runner that tests clients
	// (Autobahn's fuzzing-server accept rules of categories 12 and 13):
	// given the elements of the client's Sec-WebSocket-Extensions, in
	// order, it returns the parameters the runner accepts, answers with
	// (Params.Extension) and then uses, or false to decline them all.
	// Without it such a runner declines every extension, as Autobahn's
	// fuzzing server does outside 12 and 13. Run, which tests servers,
	// ignores it.
	AcceptDeflate func(offered []handshake.Extension) (deflate.Params, bool)

	// Opening, if set, replaces the runner's opening handshake with the
	// case's own, which the case judges (wskit's category 0).
	Opening *Opening
	// ForClients, if set, is the case as it runs against clients (the
	// runner as the server, Play with codec.RoleServer), for a case whose
	// rule reads differently from the client's side (wskit's categories
	// 0 and 8): the same ID, with its own description, expectation,
	// requirements, script and verdicts. Without it, a case runs against
	// clients as it is, unless it has an Opening or ServerOnly is set.
	// See AgainstClients.
	ForClients *Case
	// ServerOnly, if not empty, says why the case means nothing against a
	// client (a rule only a server's side has, such as the request's
	// Host field): it runs only against servers.
	ServerOnly string
	// Reply, if set, is the case's own answer to the client's opening
	// handshake, written instead of the standard 101 by a runner that
	// tests clients (a ForClients case of category 0). Run refuses a case
	// with a Reply: it has no meaning against a server.
	Reply *Reply
	// Open runs on the session loop when the WebSocket connection opens:
	// it sends the case's frames and arms its timers. Required, unless
	// Opening is set: a case that ends with its opening handshake has
	// none.
	Open func(s *Session)
	// Judge, if set, applies the case's own rules after the standard
	// evaluation (Autobahn's case-specific post-rules). It runs once the
	// connection is closed and may change any field of r.
	Judge func(s *Session, r *Result)
	// Limit bounds the whole case: the runner drops the connection when
	// it is reached. Zero means DefaultCaseLimit.
	Limit time.Duration
}

// AgainstClients returns the case as a runner that tests clients plays
// it: ForClients, with c's ID and Index, if set; otherwise c itself. It
// returns nil and false when the case has no form against clients:
// ServerOnly is set, or the case has its own opening handshake (Opening,
// which judges a server's answers) and no ForClients.
func (c *Case) AgainstClients() (*Case, bool) {
	switch {
	case c.ForClients != nil:
		v := *c.ForClients
		v.ID, v.Index = c.ID, c.Index
		return &v, true
	case c.ServerOnly != "" || c.Opening != nil:
		return nil, false
	}
	return c, true
}

// DefaultCaseLimit bounds a case whose own timers failed to end it.
const DefaultCaseLimit = 30 * time.Second

// CompareIDs compares case IDs component by component, as Autobahn
// orders its cases (as tuples of integers): 1.1.1 < 1.1.2 < 9.8.6 <
// 10.1.1. Numeric components compare as integers and come before
// non-numeric ones, which compare as strings; a proper prefix comes first.
// It returns -1, 0 or +1.
func CompareIDs(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		na, errA := strconv.ParseUint(pa[i], 10, 64)
		nb, errB := strconv.ParseUint(pb[i], 10, 64)
		switch {
		case errA == nil && errB == nil:
			if c := cmp.Compare(na, nb); c != 0 {
				return c
			}
		case errA == nil:
			return -1
		case errB == nil:
			return +1
		default:
			if c := strings.Compare(pa[i], pb[i]); c != 0 {
				return c
			}
		}
	}
	if c := cmp.Compare(len(pa), len(pb)); c != 0 {
		return c
	}
	return strings.Compare(a, b) // "01" and "1": equal numbers, different spelling
}

// A Frame is what a case sends through the raw frame writer: any FIN,
// RSV and opcode, any payload, no checks at all. Client frames are masked
// with a fresh random key.
type Frame struct {
	Opcode  int
	Fin     bool
	Rsv     int    // 4 = RSV1, 2 = RSV2, 1 = RSV3, as in Autobahn
	Payload []byte // the payload, or the pattern repeated up to RepeatLength
	// RepeatLength, when positive, repeats Payload and truncates it to
	// exactly this many octets.
	RepeatLength int
	// ChopSize, when positive, writes the frame to TCP in pieces of this
	// many octets, each in its own write with a short pause between.
	ChopSize int
	// Sync writes the frame in its own write, apart from frames before
	// and after it.
	Sync bool
}

// payloadLen returns the length of the frame's real payload.
func (f Frame) payloadLen() int {
	if f.RepeatLength > 0 && len(f.Payload) > 0 {
		return f.RepeatLength
	}
	return len(f.Payload)
}

// appendPayload appends the frame's real payload to dst: Payload, or
// Payload repeated to RepeatLength octets by doubling what it has copied
// so far, up to maxCopy octets a copy (a short pattern repeated to 16 MiB
// takes about a hundred copies, not millions, and no buffer besides dst;
// see Session.queue for why no copy is longer).
func (f Frame) appendPayload(dst []byte) []byte {
	n := f.payloadLen()
	if n <= len(f.Payload) {
		return append(dst, f.Payload[:n]...)
	}
	start := len(dst)
	dst = slices.Grow(dst, n)[:start+n]
	// Each copy's source is a whole number of patterns, so the pattern
	// goes on where the copy lands.
	step := max(maxCopy/len(f.Payload), 1) * len(f.Payload)
	for k := copy(dst[start:], f.Payload); k < n; {
		k += copy(dst[start+k:], dst[start:start+min(k, step)])
	}
	return dst
}

// maxCopy bounds the copies the runner makes of what it sends.
const maxCopy = 256 << 10
