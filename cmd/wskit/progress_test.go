package main

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wskit/wskit/conformance"
)

// progressResults are the results the progress tests finish, by case ID.
func progressResults() map[string]*conformance.Result {
	r := func(id string, b, c conformance.Verdict, d time.Duration, reason string) *conformance.Result {
		return &conformance.Result{ID: id, Behavior: b, BehaviorClose: c, Duration: d, Reason: reason}
	}
	return map[string]*conformance.Result{
		"1.1.1":  r("1.1.1", conformance.OK, conformance.OK, 0, ""),
		"1.1.2":  r("1.1.2", conformance.Failed, conformance.OK, 0, "expected a text message, received nothing"),
		"2.10":   r("2.10", conformance.OK, conformance.OK, 0, ""),
		"3.1":    r("3.1", conformance.Failed, conformance.Failed, time.Second, "expected the testee to fail the connection with 1002, it echoed the <frame>"),
		"6.4.1":  r("6.4.1", conformance.NonStrict, conformance.OK, 2*time.Second, ""),
		"7.1.6":  r("7.1.6", conformance.Informational, conformance.Informational, 0, ""),
		"12.1.1": r("12.1.1", conformance.Unimplemented, conformance.OK, 0, ""),
	}
}

func TestProgressPlain(t *testing.T) {
	var b bytes.Buffer
	p := newProgress(&b, false, 3, conformance.DefaultPolicy)
	byID := progressResults()
	p.Start("6.4.1")
	p.Start("3.1")
	if b.Len() != 0 {
		t.Errorf("plain progress wrote on start: %q", b.String())
	}
	for _, id := range []string{"3.1", "6.4.1", "12.1.1"} {
		p.Finish(byID[id])
	}
	p.End()
	want := "3.1 FAILED/FAILED 1.0s (behaviour FAILED, close FAILED): expected the testee to fail the connection with 1002, it echoed the <frame>\n" +
		"6.4.1 NON-STRICT/OK 2.0s\n" +
		"12.1.1 UNIMPLEMENTED/OK 0.0s\n"
	if got := b.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestProgressTTY(t *testing.T) {
	var b bytes.Buffer
	p := newProgress(&b, true, 12, conformance.DefaultPolicy)
	byID := progressResults()
	for _, id := range []string{"1.1.1", "1.1.2", "2.10", "3.1", "6.4.1", "7.1.6"} {
		p.Start(id)
	}
	p.Finish(byID["2.10"])
	p.Finish(byID["3.1"])
	p.Finish(byID["6.4.1"])
	p.Finish(byID["1.1.1"])
	p.Finish(byID["1.1.2"])
	p.Finish(byID["7.1.6"])
	p.End()
	p.End() // a second End writes nothing
	lines := strings.Split(b.String(), "\r")
	if lines[0] != "" {
		t.Fatalf("output does not start with a carriage return: %q", b.String())
	}
	lines = lines[1:]
	if len(lines) != 12 {
		t.Fatalf("%d redraws, want 12: %q", len(lines), b.String())
	}
	for i, want := range map[int]string{
		0:  "[ 0/12] running 1.1.1 | OK 0 NON-STRICT 0 FAILED 0 INFO 0",
		5:  "[ 0/12] running 1.1.1 1.1.2 2.10 3.1 +2 | OK 0 NON-STRICT 0 FAILED 0 INFO 0",
		6:  "[ 1/12] running 1.1.1 1.1.2 3.1 6.4.1 +1 | OK 1 NON-STRICT 0 FAILED 0 INFO 0",
		8:  "[ 3/12] running 1.1.1 1.1.2 7.1.6 | OK 1 NON-STRICT 1 FAILED 1 INFO 0",
		11: "[ 6/12] | OK 2 NON-STRICT 1 FAILED 2 INFO 1\n",
	} {
		if got := strings.TrimRight(lines[i], " \n") + map[bool]string{true: "\n"}[strings.HasSuffix(lines[i], "\n")]; got != want {
			t.Errorf("redraw %d: got %q, want %q", i, got, want)
		}
	}
	// On a terminal each redraw overwrites the line from its start; a
	// shorter line must blank out what is left of a longer one.
	var screen []byte
	for i, l := range lines {
		l = strings.TrimSuffix(l, "\n")
		if len(l) > len(screen) {
			screen = append(screen, make([]byte, len(l)-len(screen))...)
		}
		copy(screen, l)
		if got, want := strings.TrimRight(string(screen), " "), strings.TrimRight(l, " "); got != want {
			t.Errorf("redraw %d leaves %q on the screen, want %q", i, got, want)
		}
	}
}

func TestProgressUnimplementedOnTTY(t *testing.T) {
	var b bytes.Buffer
	p := newProgress(&b, true, 1, conformance.DefaultPolicy)
	p.Finish(&conformance.Result{ID: "12.1.1", Behavior: conformance.Unimplemented, BehaviorClose: conformance.OK})
	if !strings.Contains(b.String(), "UNIMPLEMENTED 1") {
		t.Errorf("got %q", b.String())
	}
}

// Cases run in parallel; the race detector checks the locking and the
// counts must add up.
func TestProgressConcurrent(t *testing.T) {
	for _, tty := range []bool{false, true} {
		var b bytes.Buffer
		const n = 64
		p := newProgress(&b, tty, n, conformance.DefaultPolicy) // a bytes.Buffer: progress must serialise its writes
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				id := fmt.Sprintf("9.%d.%d", i/8+1, i%8+1)
				p.Start(id)
				p.Finish(&conformance.Result{ID: id, Behavior: conformance.OK, BehaviorClose: conformance.OK, Duration: time.Millisecond})
			})
		}
		wg.Wait()
		p.End()
		if tty {
			if !strings.HasSuffix(strings.TrimRight(b.String(), " \n"), "[64/64] | OK 64 NON-STRICT 0 FAILED 0 INFO 0") {
				t.Errorf("tty: last line wrong: %q", b.String()[max(0, b.Len()-120):])
			}
		} else if got := strings.Count(b.String(), " OK/OK 0.0s\n"); got != n {
			t.Errorf("plain: %d lines, want %d", got, n)
		}
	}
}
