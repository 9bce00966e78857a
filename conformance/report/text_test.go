package report

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/wskit/wskit/conformance"
)

func TestWriteSummary(t *testing.T) {
	var b bytes.Buffer
	if err := WriteSummary(&b, repResults(), conformance.DefaultPolicy); err != nil {
		t.Fatal(err)
	}
	want := `agent "Other <script>alert("x")</script> & co"
category  name     cases  OK  NON-STRICT  INFORMATIONAL  UNIMPLEMENTED  FAILED  close problems
1         Framing      1   0           0              0              0       1               0
10        Misc         1   1           0              0              0       0               0
total                  2   1           0              0              0       1               0

failing the run under fail-on FAILED,UNCLEAN,WRONG CODE (1):
  1.1.1 OK/FAILED (close FAILED): The connection was failed by the wrong endpoint

agent "wskit loopback/1.0"
category  name                                        cases  OK  NON-STRICT  INFORMATIONAL  UNIMPLEMENTED  FAILED  close problems
1         Framing                                         3   1           0              0              0       2               1
2         Pings/Pongs                                     1   1           0              0              0       0               1
3         Reserved Bits                                   1   0           0              0              0       1               0
6         UTF-8 Handling                                  1   0           1              0              0       0               0
7         Close Handling                                  1   0           0              1              0       0               0
9         Limits/Performance                              1   0           0              0              0       1               1
12        WebSocket Compression (different payloads)      1   0           0              0              1       0               0
total                                                     9   2           1              1              1       4               3

failing the run under fail-on FAILED,UNCLEAN,WRONG CODE (4):
  1.1.2 FAILED/FAILED (behaviour FAILED, close FAILED): the opening handshake failed: connection refused
  1.2.8 OK/WRONG CODE (close WRONG CODE): The close code should have been 1000 or empty
  3.1 FAILED/FAILED (behaviour FAILED, close FAILED): expected the testee to fail the connection with 1002, it echoed the <frame>
  9.1.1 OK/UNCLEAN (close UNCLEAN): The spec requires the connection to be failed cleanly here

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
	if err := WriteSummary(&b, []*conformance.Result{nil}, conformance.DefaultPolicy); err != nil || b.String() != "no cases ran\n" {
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
		"WriteSummary":   func(w *repFailingWriter) error { return WriteSummary(w, rs, conformance.DefaultPolicy) },
		"WriteIndexJSON": func(w *repFailingWriter) error { return WriteIndexJSON(w, rs) },
		"WriteCaseJSON":  func(w *repFailingWriter) error { return WriteCaseJSON(w, rs[0]) },
		"WriteHTML":      func(w *repFailingWriter) error { return WriteHTML(w, rs, conformance.DefaultPolicy) },
		"WriteJUnit":     func(w *repFailingWriter) error { return WriteJUnit(w, rs, conformance.DefaultPolicy) },
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

// Counts wider than their headings widen the column; every row of the
// table keeps the same length, so columns stay aligned.
func TestWriteSummaryWideCounts(t *testing.T) {
	var rs []*conformance.Result
	for i := range 145 {
		rs = append(rs, &conformance.Result{Agent: "a", ID: fmt.Sprintf("6.%d.%d", i/10+1, i%10+1), Behavior: conformance.OK, BehaviorClose: conformance.OK})
	}
	rs = append(rs, &conformance.Result{Agent: "a", ID: "1.1.1", Behavior: conformance.OK, BehaviorClose: conformance.OK})
	var b bytes.Buffer
	if err := WriteSummary(&b, rs, conformance.DefaultPolicy); err != nil {
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
