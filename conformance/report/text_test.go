package conformance

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestWriteSummary(t *testing.T) {
	var b bytes.Buffer
	if err := WriteSummary(&b, repResults()); err != nil {
		t.Fatal(err)
	}
	want := `agent "Other <script>alert("x")</script> & co"
category  name     cases  OK  NON-STRICT  INFORMATIONAL  UNIMPLEMENTED  FAILED  close problems
1         Framing      1   0           0              0              0       1               0
10        Misc         1   1           0              0              0       0               0
total                  2   1           0              0              0       1               0

FAILED (1):
  1.1.1 OK/FAILED: The connection was failed by the wrong endpoint

agent "wskit loopback/1.0"
category  name                                        cases  OK  NON-STRICT  INFORMATIONAL  UNIMPLEMENTED  FAILED  close problems
1         Framing                                         3   2           0              0              0       1               1
2         Pings/Pongs                                     1   1           0              0              0       0               1
3         Reserved Bits                                   1   0           0              0              0       1               0
6         UTF-8 Handling                                  1   0           1              0              0       0               0
7         Close Handling                                  1   0           0              1              0       0               0
9         Limits/Performance                              1   1           0              0              0       0               1
12        WebSocket Compression (different payloads)      1   0           0              0              1       0               0
total                                                     9   4           1              1              1       2               3

FAILED (2):
  1.1.2 FAILED/FAILED: the opening handshake failed: connection refused
  3.1 FAILED/FAILED: expected the testee to fail the connection with 1002, it echoed the <frame>

close problems (3):
  1.2.8 OK/WRONG CODE: The close code should have been 1000 or empty
  2.10 OK/FAILED BY CLIENT: It is preferred that the server close the TCP connection
  9.1.1 OK/UNCLEAN: The spec requires the connection to be failed cleanly here
`
	if got := b.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestWriteSummaryEmpty(t *testing.T) {
	var b bytes.Buffer
	if err := WriteSummary(&b, []*Result{nil}); err != nil || b.String() != "no cases ran\n" {
		t.Errorf("got %q, %v", b.String(), err)
	}
}

// repFailingWriter fails after n successful writes.
type repFailingWriter struct{ n int }

var errRepWrite = errors.New("disk full")

func (w *repFailingWriter) Write(p []byte) (int, error) {
	if w.n == 0 {
		return 0, errRepWrite
	}
	w.n--
	return len(p), nil
}

func TestReportWritersReturnWriteErrors(t *testing.T) {
	rs := repResults()
	for name, fn := range map[string]func(w *repFailingWriter) error{
		"WriteSummary":   func(w *repFailingWriter) error { return WriteSummary(w, rs) },
		"WriteIndexJSON": func(w *repFailingWriter) error { return WriteIndexJSON(w, rs) },
		"WriteCaseJSON":  func(w *repFailingWriter) error { return WriteCaseJSON(w, rs[0]) },
		"WriteHTML":      func(w *repFailingWriter) error { return WriteHTML(w, rs) },
		"WriteJUnit":     func(w *repFailingWriter) error { return WriteJUnit(w, rs) },
	} {
		for _, n := range []int{0, 1} {
			if n > 0 && strings.HasSuffix(name, "JSON") {
				continue // the JSON writers write once
			}
			if err := fn(&repFailingWriter{n: n}); !errors.Is(err, errRepWrite) {
				t.Errorf("%s after %d writes: error %v, want %v", name, n, err, errRepWrite)
			}
		}
	}
}

func TestProgressPlain(t *testing.T) {
	var b bytes.Buffer
	p := NewProgress(&b, false, 3)
	rs := repSorted()
	p.Start("6.4.1")
	p.Start("3.1")
	if b.Len() != 0 {
		t.Errorf("plain progress wrote on start: %q", b.String())
	}
	for _, r := range rs {
		if r.ID == "6.4.1" && r.Agent == repAgentLoop || r.ID == "3.1" || r.ID == "12.1.1" {
			p.Finish(r)
		}
	}
	p.End()
	want := "3.1 FAILED/FAILED 1.0s: expected the testee to fail the connection with 1002, it echoed the <frame>\n" +
		"6.4.1 NON-STRICT/OK 2.0s\n" +
		"12.1.1 UNIMPLEMENTED/OK 0.0s\n"
	if got := b.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestProgressTTY(t *testing.T) {
	var b bytes.Buffer
	p := NewProgress(&b, true, 12)
	byID := map[string]*Result{}
	for _, r := range repResults() {
		if r.Agent == repAgentLoop {
			byID[r.ID] = r
		}
	}
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
	p := NewProgress(&b, true, 1)
	p.Finish(&Result{ID: "12.1.1", Behavior: Unimplemented, BehaviorClose: OK})
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
		p := NewProgress(&b, tty, n) // a bytes.Buffer: Progress must serialise its writes
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				id := fmt.Sprintf("9.%d.%d", i/8+1, i%8+1)
				p.Start(id)
				p.Finish(&Result{ID: id, Behavior: OK, BehaviorClose: OK, Duration: time.Millisecond})
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

// Counts wider than their headings widen the column; every row of the
// table keeps the same length, so columns stay aligned.
func TestWriteSummaryWideCounts(t *testing.T) {
	var rs []*Result
	for i := range 145 {
		rs = append(rs, &Result{Agent: "a", ID: fmt.Sprintf("6.%d.%d", i/10+1, i%10+1), Behavior: OK, BehaviorClose: OK})
	}
	rs = append(rs, &Result{Agent: "a", ID: "1.1.1", Behavior: OK, BehaviorClose: OK})
	var b bytes.Buffer
	if err := WriteSummary(&b, rs); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(b.String(), "\n")[1:5] // heading, 1, 6, total
	for _, l := range lines[1:] {
		if len(l) != len(lines[0]) {
			t.Errorf("misaligned:\n%s", strings.Join(lines, "\n"))
			break
		}
	}
	if !strings.Contains(lines[2], " 145  145 ") {
		t.Errorf("row of category 6: %q", lines[2])
	}
}
