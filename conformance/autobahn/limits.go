package autobahn

import (
	"fmt"
	"strconv"
	"time"

	"github.com/wskit/wskit/conformance"

	"github.com/wskit/wskit/spec"
)

// limits is category 9: big messages, many fragments, small TCP chops and
// many round trips. Its cases declare no event lists: each handles the
// echoes itself (Session.HandleMessages), compares their type and length
// (not their content), sets its verdict with Autobahn's texts
// (autobahn.md section 3.8) and closes 1000; durations are reported.
var limits = &Category{ID: "9", Name: "Limits/Performance", AutobahnCases: 54, build: limitsCases,
	Captions: map[string]string{
		"9.1": "Text Message (increasing size)",
		"9.2": "Binary Message (increasing size)",
		"9.3": "Fragmented Text Message (fixed size, increasing fragment size)",
		"9.4": "Fragmented Binary Message (fixed size, increasing fragment size)",
		"9.5": "Text Message (fixed size, increasing chop size)",
		"9.6": "Binary Text Message (fixed size, increasing chop size)",
		"9.7": "Text Message Roundtrip Time (fixed number, increasing size)",
		"9.8": "Binary Message Roundtrip Time (fixed number, increasing size)",
	},
}

// Payload patterns of 9.1, 9.2, 9.5 and 9.6, repeated to the size.
var (
	limitsTextPattern   = []byte("BAsd7&jh23")
	limitsBinaryPattern = []byte{0x00, 0xfe, 0x23, 0xfa, 0xf0}
)

const (
	kib = 1 << 10
	mib = 1 << 20
	// limitsRoundTrips is how many messages 9.7 and 9.8 send, each after
	// the echo of the one before.
	limitsRoundTrips = 1000
)

// limitsCases are category 9.
func limitsCases() []*conformance.Case {
	var cases []*conformance.Case
	// 9.1, 9.2: one unfragmented frame of increasing size. 9.2.3 and
	// 9.2.4 wait only 10 s, as in Autobahn.
	sizes := []int{64 * kib, 256 * kib, mib, 4 * mib, 8 * mib, 16 * mib}
	textWait := []float64{10, 10, 100, 100, 100, 100}
	binaryWait := []float64{10, 10, 10, 10, 100, 100}
	for i, n := range sizes {
		cases = append(cases,
			bigMessageCase(fmt.Sprintf("9.1.%d", i+1), false, textWait[i],
				fmt.Sprintf("Send a text message of %s in one frame.", sizeName(n)),
				conformance.Frame{Opcode: int(spec.OpText), Fin: true, Payload: limitsTextPattern, RepeatLength: n},
				reqs("R-5.2-len-encoding", "R-5.4-unfragmented", "R-10.4-limits")),
			bigMessageCase(fmt.Sprintf("9.2.%d", i+1), true, binaryWait[i],
				fmt.Sprintf("Send a binary message of %s in one frame.", sizeName(n)),
				conformance.Frame{Opcode: int(spec.OpBinary), Fin: true, Payload: limitsBinaryPattern, RepeatLength: n},
				reqs("R-5.2-len-encoding", "R-5.4-unfragmented", "R-10.4-limits")))
	}
	// 9.3, 9.4: one 4 MiB message in fragments of increasing size (an
	// exact multiple, so Autobahn's sender adds an empty final frame,
	// except for one fragment of the whole size).
	fragments := []int{64, 256, kib, 4 * kib, 16 * kib, 64 * kib, 256 * kib, mib, 4 * mib}
	for i, f := range fragments {
		binaryByte := byte('*')
		if i == 0 {
			binaryByte = 0xfe // only 9.4.1 sends 0xfe
		}
		cases = append(cases,
			fragmentedCase(fmt.Sprintf("9.3.%d", i+1), false, '*', f),
			fragmentedCase(fmt.Sprintf("9.4.%d", i+1), true, binaryByte, f))
	}
	// 9.5, 9.6: one 1 MiB frame written to TCP in chops of increasing size.
	for i, c := range []int{64, 128, 256, 512, kib, 2 * kib} {
		cases = append(cases,
			bigMessageCase(fmt.Sprintf("9.5.%d", i+1), false, 1000,
				fmt.Sprintf("Send a text message of %s in one frame, written to TCP in chops of %d octets.", sizeName(mib), c),
				conformance.Frame{Opcode: int(spec.OpText), Fin: true, Payload: limitsTextPattern, RepeatLength: mib, ChopSize: c},
				reqs("R-6.2-parse", "R-5.2-len-encoding", "R-10.4-limits")),
			bigMessageCase(fmt.Sprintf("9.6.%d", i+1), true, 1000,
				fmt.Sprintf("Send a binary message of %s in one frame, written to TCP in chops of %d octets.", sizeName(mib), c),
				conformance.Frame{Opcode: int(spec.OpBinary), Fin: true, Payload: limitsBinaryPattern, RepeatLength: mib, ChopSize: c},
				reqs("R-6.2-parse", "R-5.2-len-encoding", "R-10.4-limits")))
	}
	// 9.7, 9.8: 1,000 round trips of increasing size.
	waits := []float64{60, 60, 60, 120, 240, 480}
	for i, n := range []int{0, 16, 64, 256, kib, 4 * kib} {
		cases = append(cases,
			roundTripCase(fmt.Sprintf("9.7.%d", i+1), false, fill('*', n), waits[i]),
			roundTripCase(fmt.Sprintf("9.8.%d", i+1), true, fill(0xfe, n), waits[i]))
	}
	return cases
}

// sizeName writes a size in octets and binary units: "65536 octets (64 KiB)".
func sizeName(n int) string {
	if n >= mib {
		return fmt.Sprintf("%d octets (%d MiB)", n, n/mib)
	}
	return fmt.Sprintf("%d octets (%d KiB)", n, n/kib)
}

// typeName is "binary" or "text".
func typeName(binary bool) string {
	if binary {
		return "binary"
	}
	return "text"
}

// limitsCase fills in what every case of category 9 shares: no event
// lists, a normal close by the runner, the duration reported, and a bound
// past the case's own timer.
func limitsCase(id string, wait float64) *conformance.Case {
	return &conformance.Case{
		ID:         id,
		Expected:   map[conformance.Verdict][]conformance.Event{},
		Close:      closeNormal,
		ReportTime: true,
		Limit:      time.Duration(wait)*time.Second + 10*time.Second,
	}
}

// bigMessageCase is a case of 9.1-9.6: send one message (frame f, chopped
// or not), wait up to wait seconds for its echo, judge the first message
// that arrives by type and length, and close 1000. Autobahn switches the
// wire log off at open and on again at the echo, silently.
func bigMessageCase(id string, binary bool, wait float64, desc string, f conformance.Frame, requirements []string) *conformance.Case {
	return bigEcho(limitsCase(id, wait), binary, wait, desc, requirements, func(s *conformance.Session) { s.SendFrame(f) },
		f.RepeatLength)
}

// fragmentedCase is a case of 9.3/9.4: a 4 MiB message of octet b sent
// in fragments of size fragment. The payload is made when the case runs,
// so that the catalogue does not hold it.
func fragmentedCase(id string, binary bool, b byte, fragment int) *conformance.Case {
	const size = 4 * mib
	op := int(spec.OpText)
	if binary {
		op = int(spec.OpBinary)
	}
	desc := fmt.Sprintf("Send a %s message of %s in fragments of %s (and, for an exact multiple, an empty final fragment).",
		typeName(binary), sizeName(size), fragmentName(fragment))
	return bigEcho(limitsCase(id, 100), binary, 100, desc, reqs("R-5.4-fragmented", "R-5.4-any-size", "R-5.4-recv-both", "R-10.4-limits"),
		func(s *conformance.Session) { s.SendMessage(op, fill(b, size), fragment, false) }, size)
}

// fragmentName writes a fragment size: "64 octets", "4 KiB", "1 MiB".
func fragmentName(n int) string {
	switch {
	case n >= mib:
		return strconv.Itoa(n/mib) + " MiB"
	case n >= kib:
		return strconv.Itoa(n/kib) + " KiB"
	}
	return strconv.Itoa(n) + " octets"
}

// bigEcho completes a case of 9.1-9.6: send runs the sending, n is the
// payload length the echo must have.
func bigEcho(c *conformance.Case, binary bool, wait float64, desc string, requirements []string, send func(*conformance.Session), n int) *conformance.Case {
	t := typeName(binary)
	c.Description = desc
	c.Expectation = fmt.Sprintf("Receive echo'ed %s message (with payload as sent). Clean close with normal code. Timeout case after %g secs.", t, wait)
	c.Requirements = requirements
	// 9.4's wrong-type text says "but got binary" (sic); 9.2 and 9.6 say
	// "but got text".
	wrongType := "Expected text message with payload, but got binary."
	switch {
	case binary && SubcategoryOf(c.ID) == "9.4":
		wrongType = "Expected binary message with payload, but got binary."
	case binary:
		wrongType = "Expected binary message with payload, but got text."
	}
	c.Open = func(s *conformance.Session) {
		s.SetWireLogSilent(false)
		s.SetBehavior(conformance.Failed, fmt.Sprintf("Did not receive message within %g seconds.", wait))
		judged := false
		s.HandleMessages(func(payload []byte, gotBinary bool) {
			if judged {
				return // only the first message counts
			}
			judged = true
			switch {
			case gotBinary != binary:
				s.SetBehavior(conformance.Failed, wrongType)
			case len(payload) != n:
				s.SetBehavior(conformance.Failed, fmt.Sprintf("Expected %s message with payload of length %d, but got %d.", t, n, len(payload)))
			default:
				s.SetBehavior(conformance.OK, fmt.Sprintf("Received %s message of length %d.", t, len(payload)))
			}
			s.SetWireLogSilent(true)
			s.Close(1000, "")
		})
		send(s)
		s.CloseAfter(wait)
	}
	return c
}

// roundTripCase is a case of 9.7/9.8: send payload, wait for its echo,
// send it again, limitsRoundTrips times in all, within wait seconds.
// Autobahn switches the wire log off at open (with a WLM row) and on again
// just before its own close.
func roundTripCase(id string, binary bool, payload []byte, wait float64) *conformance.Case {
	c := limitsCase(id, wait)
	t := typeName(binary)
	op := int(spec.OpText)
	if binary {
		op = int(spec.OpBinary)
	}
	c.Description = fmt.Sprintf("Send %d %s messages of payload size %d to measure implementation/network RTT (round trip time) / latency.",
		limitsRoundTrips, t, len(payload))
	c.Expectation = fmt.Sprintf("Receive echo'ed %s messages (with payload as sent). Timeout case after %g secs.", t, wait)
	c.Requirements = reqs("R-6.2-parse", "R-5.4-unfragmented")
	c.Open = func(s *conformance.Session) {
		s.SetWireLog(false)
		s.SetBehavior(conformance.Failed, fmt.Sprintf("Case did not finish within %g seconds.", wait))
		s.CloseAfter(wait)
		received, done := 0, false
		s.HandleMessages(func(got []byte, gotBinary bool) {
			if done {
				return
			}
			switch {
			case gotBinary != binary || len(got) != len(payload):
				done = true
				s.SetBehavior(conformance.Failed, fmt.Sprintf("Echo'ed message type or length differs from what I sent (got binary = %s, payload length = %d).",
					pyBool(gotBinary), len(got)))
			case received+1 < limitsRoundTrips:
				received++
				s.SendFrame(conformance.Frame{Opcode: op, Fin: true, Payload: payload})
				return
			default:
				done = true
				s.SetBehavior(conformance.OK, "Ok, received all echo'ed messages in time.")
			}
			s.SetWireLog(true)
			s.Close(1000, "")
		})
		s.SendFrame(conformance.Frame{Opcode: op, Fin: true, Payload: payload})
	}
	return c
}

// pyBool writes a bool as Python prints it.
func pyBool(b bool) string {
	if b {
		return "True"
	}
	return "False"
}
