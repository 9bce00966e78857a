package conformance

import (
	"strconv"
	"strings"
	"time"
)

// A Case is one conformance test: what the runner sends to the server
// under test, what it expects back, and the requirements it checks. Case
// IDs, payloads, timers and verdict rules follow Autobahn|Testsuite's
// fuzzing client, so results compare with published Autobahn reports.
type Case struct {
	// ID is the Autobahn case ID, such as "6.4.1".
	ID string
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

	// open runs when the WebSocket connection opens: it sends the case's
	// frames and arms its timers.
	open func(s *Session)
	// judge, if set, applies the case's own rules after the standard
	// evaluation (Autobahn's case-specific post-rules).
	judge func(s *Session, r *Result)
	// limit bounds the whole case; the runner drops the connection when
	// it is reached. Zero means defaultCaseLimit.
	limit time.Duration
}

// defaultCaseLimit bounds a case whose own timers failed to end it.
const defaultCaseLimit = 30 * time.Second

// Category returns the case's category, such as "6".
func (c *Case) Category() string { return CategoryOf(c.ID) }

// compareIDs orders case IDs numerically, component by component:
// 1.1.1 < 1.1.2 < 2.1 < 10.1.1.
func compareIDs(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		x, _ := strconv.Atoi(as[i])
		y, _ := strconv.Atoi(bs[i])
		if x != y {
			return x - y
		}
	}
	return len(as) - len(bs)
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

// payload returns the frame's real payload.
func (f Frame) payload() []byte {
	if f.RepeatLength <= 0 {
		return f.Payload
	}
	return repeatTo(f.Payload, f.RepeatLength)
}

// repeatTo repeats pattern and truncates it to n octets.
func repeatTo(pattern []byte, n int) []byte {
	out := make([]byte, 0, n)
	for len(out) < n {
		out = append(out, pattern[:min(len(pattern), n-len(out))]...)
	}
	return out
}

// fill returns n copies of b.
func fill(b byte, n int) []byte {
	return []byte(strings.Repeat(string([]byte{b}), n))
}
