package report

import (
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/wskit/wskit/conformance"
)

// repBenchResults returns n results shaped like a full run: an echo, a
// 40-row wire log with 64-octet previews, and statistics.
func repBenchResults(n int) []*conformance.Result {
	out := make([]*conformance.Result, n)
	for i := range out {
		payload := repBytes('*', 1000)
		log := make([]conformance.WireEntry, 40)
		for j := range log {
			kinds := []conformance.WireKind{conformance.WireWrite, conformance.WireFrameOut, conformance.WireRead, conformance.WireFrameIn}
			log[j] = conformance.WireEntry{Kind: kinds[j%4], Len: 1000, Data: payload[:64], Opcode: 1, Fin: true,
				Mask: []byte{1, 2, 3, 4}, At: time.Duration(j) * time.Millisecond}
		}
		out[i] = &conformance.Result{
			Agent: "bench/1.0", Index: i + 1, ID: fmt.Sprintf("%d.%d.%d", i/100+1, i/10%10+1, i%10+1),
			Description: "Send text message with payload of length 1000.",
			Expectation: "Receive echo'ed text message (with payload as sent). Clean close with normal code.",
			Started:     repStart, Duration: 3 * time.Millisecond,
			Behavior: conformance.OK, BehaviorClose: conformance.OK,
			Result: "Actual events match at least one expected.", ResultClose: "Connection was properly closed",
			Expected:      map[conformance.Verdict][]conformance.Event{conformance.OK: {conformance.Message(payload, false)}},
			ExpectedClose: &conformance.ExpectedClose{ClosedByMe: true, CloseCode: []int{1000}, RequireClean: true},
			Received:      []conformance.Event{conformance.Message(payload, false)},
			ClosedByMe:    true, WasClean: true, LocalCloseCode: 1000, RemoteCloseCode: 1000, HasLocalCloseCode: true, HasRemoteCloseCode: true,
			HTTPRequest: "GET / HTTP/1.1\r\nHost: 127.0.0.1:9001\r\n\r\n", HTTPResponse: "HTTP/1.1 101 Switching Protocols\r\n\r\n",
			CreateWirelog: true, WireLog: log,
			RxOctetStats: map[int]int{8: 1, 1004: 1, 129: 1}, TxOctetStats: map[int]int{1008: 1, 8: 1, 240: 1},
			RxFrameStats: map[int]int{1: 1, 8: 1}, TxFrameStats: map[int]int{1: 1, 8: 1},
		}
	}
	return out
}

// repCountingWriter counts what is written to it.
type repCountingWriter struct{ n int64 }

func (w *repCountingWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

func BenchmarkWriteCaseJSON(b *testing.B) {
	r := repBenchResults(1)[0]
	var w repCountingWriter
	for b.Loop() {
		if err := WriteCaseJSON(&w, r); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(w.n / int64(b.N))
}

func BenchmarkWriteIndexJSON(b *testing.B) {
	rs := repBenchResults(517)
	for b.Loop() {
		if err := WriteIndexJSON(io.Discard, rs); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteHTML(b *testing.B) {
	rs := repBenchResults(517)
	var w repCountingWriter
	for b.Loop() {
		if err := WriteHTML(&w, rs, conformance.DefaultPolicy); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(w.n/int64(b.N)), "page-bytes")
}

func BenchmarkWriteJUnit(b *testing.B) {
	rs := repBenchResults(517)
	for b.Loop() {
		if err := WriteJUnit(io.Discard, rs, conformance.DefaultPolicy); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteReports(b *testing.B) {
	rs := repBenchResults(517)
	dir := b.TempDir()
	for b.Loop() {
		if err := WriteReports(dir, rs, conformance.DefaultPolicy); err != nil {
			b.Fatal(err)
		}
	}
}
