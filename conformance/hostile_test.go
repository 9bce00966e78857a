package conformance_test

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/wskit/wskit/conformance"
	"github.com/wskit/wskit/conformance/autobahn"
	"github.com/wskit/wskit/internal/fixture"
)

// peakHeap samples the heap in use every few milliseconds until stop is
// called, and returns the largest sample.
func peakHeap() (stop func() uint64) {
	var (
		mu   sync.Mutex
		peak uint64
		done = make(chan struct{})
		wg   sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&ms)
			mu.Lock()
			peak = max(peak, ms.HeapInuse)
			mu.Unlock()
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		wg.Wait()
		return peak
	}
}

// runHostile runs the cases against a fixture with the flaw and returns
// the results, the wall time and the peak heap in use.
func runHostile(t *testing.T, flaw fixture.Flaw, opts conformance.Options, ids ...string) ([]*conformance.Result, time.Duration, uint64) {
	t.Helper()
	tg, _ := startFixture(t, flaw)
	cases, err := autobahn.Select(ids, nil)
	if err != nil {
		t.Fatal(err)
	}
	opts.Target, opts.Cases = tg, cases
	runtime.GC()
	stop := peakHeap()
	start := time.Now()
	rs, err := conformance.Run(context.Background(), opts)
	took, peak := time.Since(start), stop()
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != len(cases) {
		t.Fatalf("%d results for %d cases", len(rs), len(cases))
	}
	t.Logf("%d cases in %v, peak heap in use %d MiB", len(rs), took.Round(time.Millisecond), peak>>20)
	return rs, took, peak
}

// TestMessageFlood: against servers that stream messages, every case
// ends in bounded time, keeps no more than its budget, and the run's
// memory stays bounded. (Whether a case passes depends on whether its echo
// beat the flood; TestBudgetStopsFlood pins the rule itself.)
func TestMessageFlood(t *testing.T) {
	for _, flaw := range []fixture.Flaw{fixture.MessageFlood, fixture.BigMessageFlood} {
		rs, took, peak := runHostile(t, flaw, conformance.Options{Parallel: 2}, "1.1.1", "1.2.8", "2.1", "6.4.1")
		for _, r := range rs {
			var bytes int
			for _, e := range r.Received {
				bytes += len(e.Payload)
			}
			if len(r.Received) > conformance.DefaultBudget.Events || int64(bytes) > conformance.DefaultBudget.EventBytes {
				t.Errorf("%s kept %d events, %d bytes", r.ID, len(r.Received), bytes)
			}
			if r.Truncated != "" && (r.Behavior != conformance.Failed || r.Reason != r.Truncated) {
				t.Errorf("%s: truncated %q, but %s: %s", r.ID, r.Truncated, r.Behavior, r.Reason)
			}
		}
		if took > 30*time.Second {
			t.Errorf("took %v", took)
		}
		if peak > 256<<20 && !raceEnabled {
			t.Errorf("peak heap in use %d MiB, want under 256 MiB", peak>>20)
		}
	}
}

// TestBudgetStopsFlood: past its event budget a case stops recording,
// drops the connection at once (it does not wait for its timers) and
// fails, saying why.
func TestBudgetStopsFlood(t *testing.T) {
	c := &conformance.Case{
		ID: "99.2", Description: "d", Expectation: "one pong", Requirements: []string{"R-10.4-limits"},
		Expected: map[conformance.Verdict][]conformance.Event{conformance.OK: {conformance.Pong(nil)}},
		Close:    conformance.ExpectedClose{ClosedByMe: true, CloseCode: []int{1000}, RequireClean: true},
		Open:     func(s *conformance.Session) { s.KillAfter(5) },
	}
	tg, _ := startFixture(t, fixture.MessageFlood)
	start := time.Now()
	rs, err := conformance.Run(context.Background(), conformance.Options{Target: tg, Cases: []*conformance.Case{c}, Budget: conformance.Budget{Events: 100}})
	if err != nil {
		t.Fatal(err)
	}
	r := rs[0]
	want := "recording stopped after 100 events (102400 payload bytes): the peer sent more than the case asks for (budget 100 events, 20971520 bytes)"
	if r.Behavior != conformance.Failed || r.Truncated != want || r.Reason != want || len(r.Received) != 100 || !r.DroppedByMe {
		t.Errorf("%s/%s, %d events, dropped %v, truncated %q", r.Behavior, r.BehaviorClose, len(r.Received), r.DroppedByMe, r.Truncated)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("the case took %v: the flood did not end it", d)
	}
}

// TestPingFlood: pings are answered while the connection is open and
// never recorded as events; the wire log stops at its budget and says how
// much it left out. (The verdict depends on whether the flooding server
// still reads: this one stalls behind its own flood, so its echo comes
// late.)
func TestPingFlood(t *testing.T) {
	rs, took, peak := runHostile(t, fixture.PingFlood, conformance.Options{Parallel: 2, Budget: conformance.Budget{WireLog: 2000}}, "1.1.1", "1.1.2", "7.1.1")
	for _, r := range rs {
		if len(r.WireLog) > 2000 || r.WireLogDropped == 0 {
			t.Errorf("%s: %d wire-log entries, %d dropped", r.ID, len(r.WireLog), r.WireLogDropped)
		}
		// Pings that arrive together get one pong, for the latest
		// (R-5.5.3-latest-only): a flood cannot queue pongs without bound.
		// (None at all is right when the runner's Close went first.)
		if pings, pongs := r.RxFrameStats[9], r.TxFrameStats[10]; pongs*10 > pings {
			t.Errorf("%s: %d pongs for %d pings", r.ID, pongs, pings)
		}
		if r.Truncated != "" || len(r.Received) > 1 {
			t.Errorf("%s: received %d events, truncated %q: %s", r.ID, len(r.Received), r.Truncated, r.Reason)
		}
	}
	if took > 30*time.Second || peak > 256<<20 && !raceEnabled {
		t.Errorf("took %v, peak heap in use %d MiB", took, peak>>20)
	}
}

// TestSilentServer: a server that accepts TCP and never answers costs one
// full handshake timeout, two short ones, and nothing for the remaining
// cases, which are all reported.
func TestSilentServer(t *testing.T) {
	ids := []string{"1.*", "2.*", "3.*", "4.*", "5.1", "5.2", "5.3", "5.4", "5.5", "5.6"} // 50 cases
	rs, took, _ := runHostile(t, fixture.Silent, conformance.Options{Parallel: 4, HandshakeTimeout: 500 * time.Millisecond}, ids...)
	skipped := 0
	for _, r := range rs {
		if r.Behavior != conformance.Failed || r.BehaviorClose != conformance.Failed {
			t.Errorf("%s: %s/%s", r.ID, r.Behavior, r.BehaviorClose)
		}
		if errors.Is(r.OpenError, conformance.ErrSilent) {
			skipped++
		} else if !r.WasOpenHandshakeTimeout {
			t.Errorf("%s: neither timed out nor skipped: %v", r.ID, r.OpenError)
		}
	}
	if len(rs) != 50 || skipped != 47 {
		t.Errorf("%d results, %d skipped as silent; want 50, 47", len(rs), skipped)
	}
	// 500 ms, then twice min(500 ms, 1 s): about 1.5 s.
	if took > 5*time.Second {
		t.Errorf("took %v", took)
	}
}
