package loopback

import (
	"context"
	"crypto/rand"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/spec"
)

// TestBudgetLimit: the budget gives out exactly its limit, no byte more,
// and whatever the interleaving of concurrent reserve and release, what is
// reserved never exceeds it.
func TestBudgetLimit(t *testing.T) {
	b := &budget{limit: 100}
	if !b.reserve(60) || !b.reserve(40) {
		t.Fatal("could not reserve the whole limit")
	}
	if b.reserve(1) {
		t.Fatal("reserved one byte past the limit")
	}
	b.release(100)

	b = &budget{limit: 1000}
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			for i := range 2000 {
				n := int64(1 + (g*7+i)%150)
				if b.reserve(n) {
					b.release(n)
				}
			}
		})
	}
	wg.Wait()
	if used, peak := b.used.Load(), b.peak.Load(); used != 0 || peak > b.limit {
		t.Errorf("after the goroutines: %d reserved, peak %d of %d", used, peak, b.limit)
	}
}

// TestMessageChunks: a message holds what it reserved, to within one
// chunk, whatever the pieces it arrives in; releasing gives it all back.
func TestMessageChunks(t *testing.T) {
	b := &budget{limit: 1 << 30}
	var m message
	data := make([]byte, 1<<20+12345)
	for i := range data {
		data[i] = byte(i * 31)
	}
	for p := data; len(p) > 0; {
		n := min(len(p), 1+len(p)%7777)
		if !m.add(b, p[:n]) {
			t.Fatal("add refused within the budget")
		}
		p = p[n:]
	}
	var got []byte
	for _, c := range m.chunks {
		if len(c) > maxChunk {
			t.Fatalf("chunk of %d bytes", len(c))
		}
		got = append(got, c...)
	}
	if string(got) != string(data) {
		t.Fatal("the chunks do not hold the message")
	}
	if r := m.reserved; r != b.used.Load() || r < int64(len(data)) || r >= int64(len(data))+maxChunk {
		t.Errorf("%d bytes reserved for %d (budget: %d)", r, len(data), b.used.Load())
	}
	m.release(b)
	if b.used.Load() != 0 || len(m.chunks) != 0 {
		t.Errorf("after release: %d reserved, %d chunks", b.used.Load(), len(m.chunks))
	}
}

// TestMessageReusesChunks: once a message of 64 KiB has been held and
// released, the next one takes the same chunks from the pool instead of
// allocating its own (not under -race, where sync.Pool drops items at
// random).
func TestMessageReusesChunks(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items at random under the race detector")
	}
	b := &budget{limit: 1 << 30}
	var m message
	data := make([]byte, 64<<10)
	allocs := testing.AllocsPerRun(100, func() {
		for p := data; len(p) > 0; p = p[min(len(p), 1000):] {
			m.add(b, p[:min(len(p), 1000)])
		}
		m.release(b)
	})
	// A garbage collection during the run may empty the pool once: three
	// chunks allocated again, a few hundredths per run.
	if allocs >= 1 {
		t.Errorf("%.2f allocations per 64 KiB message, want none", allocs)
	}
	if b.used.Load() != 0 {
		t.Errorf("%d bytes still reserved", b.used.Load())
	}
}

// TestCloseDeadline: once the server has sent its Close (at the idle
// timeout, or in Shutdown), a client that keeps sending pings or single
// bytes instead of its Close is cut off when the close timeout is over,
// counted from the Close: its reads do not extend it.
func TestCloseDeadline(t *testing.T) {
	const (
		closeTimeout = 200 * time.Millisecond
		drip         = 50 * time.Millisecond
		slack        = 300 * time.Millisecond
	)
	for _, tc := range []struct {
		name     string
		shutdown bool // the Close comes from Shutdown, not the idle timeout
		bytes    bool // drip the bytes of a frame, not whole pings
	}{
		{"idle, pings", false, false},
		{"idle, bytes", false, true},
		{"shutdown, pings", true, false},
		{"shutdown, bytes", true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := Config{CloseTimeout: closeTimeout}
			if !tc.shutdown {
				cfg.IdleTimeout = 100 * time.Millisecond
			}
			s, addr := start(t, cfg)
			c := dial(t, addr)
			shut := make(chan error, 1)
			if tc.shutdown {
				go func() {
					ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
					defer cancel()
					shut <- s.Shutdown(ctx)
				}()
			}
			for {
				ev, err := c.next()
				if err != nil {
					t.Fatalf("no Close from the server: %v", err)
				}
				if ev.Kind == codec.EventClose {
					if ev.Code != spec.CloseGoingAway {
						t.Fatalf("close code %v, want 1001", ev.Code)
					}
					break
				}
			}
			closed := time.Now()
			ended := make(chan time.Duration, 1)
			go func() {
				buf := make([]byte, 1024)
				for {
					if _, err := c.nc.Read(buf); err != nil {
						ended <- time.Since(closed)
						return
					}
				}
			}()

			enc, err := codec.NewEncoder(codec.RoleClient, rand.Reader)
			if err != nil {
				t.Fatal(err)
			}
			frame, _ := enc.AppendFrame(nil, true, spec.OpBinary, make([]byte, 1000))
			tick := time.NewTicker(drip)
			defer tick.Stop()
			var took time.Duration
		drip:
			for i := 0; ; i++ {
				select {
				case took = <-ended:
					break drip
				case <-tick.C:
				}
				if time.Since(closed) > 3*time.Second {
					t.Fatal("the connection is still open 3 s after the server's Close")
				}
				var b []byte
				if tc.bytes {
					b = frame[i%len(frame) : i%len(frame)+1]
				} else {
					b, _ = enc.AppendFrame(nil, true, spec.OpPing, []byte("still here"))
				}
				c.nc.SetWriteDeadline(time.Now().Add(time.Second))
				c.nc.Write(b) // fails once the server has closed; the reader tells
			}
			t.Logf("connection ended %v after the server's Close", took)
			if took > closeTimeout+slack {
				t.Errorf("connection ended %v after the server's Close, want at most %v", took, closeTimeout+slack)
			}
			if took < closeTimeout/2 {
				t.Errorf("connection ended %v after the server's Close: it did not wait for the answer", took)
			}
			if tc.shutdown {
				select {
				case err := <-shut:
					if err != nil {
						t.Errorf("Shutdown: %v", err)
					}
				case <-time.After(2 * time.Second):
					t.Error("Shutdown still waits 2 s after the connection ended")
				}
			}
		})
	}
}

// TestMemoryBudget: 8 clients each send 15 MiB of an unfinished message to
// a server with a 64 MiB budget. At most 4 can be held; the others are
// closed with 1013 (try again later) as soon as their next piece would
// pass the budget, and their memory is given back. The bytes held never
// exceed the budget, the heap measured after a collection stays within
// the budget plus a fixed overhead, and the clients that were held get
// their whole message echoed once they finish it (R-10.4-limits).
func TestMemoryBudget(t *testing.T) {
	const (
		limit    = 64 << 20
		held     = 15 << 20
		clients  = 8
		overhead = 8 << 20 // the fixed costs: per-connection buffers, the test's clients
		piece    = 64 << 10
	)
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	s, addr := start(t, Config{MaxBuffered: limit, CloseTimeout: 10 * time.Second})

	cs := make([]*client, clients)
	for i := range cs {
		cs[i] = dial(t, addr)
		cs[i].nc.SetDeadline(time.Now().Add(30 * time.Second))
	}
	data := make([]byte, piece)
	finish := make(chan struct{})
	var mu sync.Mutex
	refused, echoed := 0, 0
	var wg sync.WaitGroup
	for i, c := range cs {
		// Each client's goroutine owns its codec.Conn; a reader goroutine
		// hands it what the server sends.
		in := make(chan []byte, 16)
		go func() {
			defer close(in)
			for {
				buf := make([]byte, 64<<10)
				n, err := c.nc.Read(buf)
				if n > 0 {
					in <- buf[:n]
				}
				if err != nil {
					return
				}
			}
		}()
		wg.Go(func() {
			for k := range held / piece {
				op := spec.OpContinuation
				if k == 0 {
					op = spec.OpBinary
				}
				b, err := c.ws.SendFrame(false, op, data)
				if err == nil {
					_, err = c.nc.Write(b)
				}
				if err != nil {
					t.Errorf("client %d: sending: %v", i, err)
					return
				}
			}
			next := func() (codec.Event, bool) {
				for len(c.queued) == 0 {
					p, ok := <-in
					if !ok {
						return codec.Event{}, false
					}
					evs, err := c.ws.Receive(p)
					if err != nil {
						t.Errorf("client %d: %v", i, err)
						return codec.Event{}, false
					}
					c.queued = append(c.queued, evs...)
				}
				ev := c.queued[0]
				c.queued = c.queued[1:]
				return ev, true
			}
			select {
			case p, ok := <-in: // the server spoke first: a Close
				if !ok {
					t.Errorf("client %d: connection ended without a Close", i)
					return
				}
				evs, _ := c.ws.Receive(p)
				if len(evs) == 0 || evs[0].Kind != codec.EventClose || evs[0].Code != spec.CloseTryAgainLater {
					t.Errorf("client %d: %v before finishing its message, want a Close with 1013", i, evs)
					return
				}
				c.nc.Write(c.ws.Outgoing())
				mu.Lock()
				refused++
				mu.Unlock()
				return
			case <-finish:
			}
			b, err := c.ws.SendFrame(true, spec.OpContinuation, nil)
			if err == nil {
				_, err = c.nc.Write(b)
			}
			if err != nil {
				t.Errorf("client %d: finishing the message: %v", i, err)
				return
			}
			n := 0
			for {
				ev, ok := next()
				if !ok {
					t.Errorf("client %d: connection ended after %d bytes of the echo", i, n)
					return
				}
				if ev.Kind == codec.EventPayload {
					n += len(ev.Data)
				}
				if ev.Kind == codec.EventMessageEnd {
					break
				}
			}
			if n != held {
				t.Errorf("client %d: echo of %d bytes, want %d", i, n, held)
			}
			mu.Lock()
			echoed++
			mu.Unlock()
			if b, err := c.ws.SendClose(spec.CloseNormal, ""); err == nil {
				c.nc.Write(b)
			}
			for {
				ev, ok := next()
				if !ok || ev.Kind == codec.EventClose {
					return
				}
			}
		})
	}

	// On a failure below, end the clients before the test ends.
	defer func() {
		for _, c := range cs {
			c.nc.Close()
		}
		wg.Wait()
	}()

	// Wait for the steady state: each client not refused is held whole.
	deadline := time.Now().Add(20 * time.Second)
	for {
		mu.Lock()
		r := refused
		mu.Unlock()
		if s.Buffered() == int64(clients-r)*held {
			break
		}
		if t.Failed() || time.Now().After(deadline) {
			t.Fatalf("no steady state: %d refused, %d bytes held", r, s.Buffered())
		}
		time.Sleep(10 * time.Millisecond)
	}
	runtime.GC()
	var during runtime.MemStats
	runtime.ReadMemStats(&during)
	grown := int64(during.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("%d clients held, %d refused; %d bytes held (peak %d, budget %d); heap grew %.1f MiB (HeapInuse %.1f MiB)",
		clients-refused, refused, s.Buffered(), s.budget.peak.Load(), int64(limit),
		float64(grown)/(1<<20), float64(during.HeapInuse)/(1<<20))
	if refused < clients-limit/held || refused == clients {
		t.Errorf("%d of %d clients refused, want %d (the most the budget holds is %d)", refused, clients, clients-limit/held, limit/held)
	}
	if p := s.budget.peak.Load(); p > limit {
		t.Errorf("the server held %d bytes at once, over its budget of %d", p, int64(limit))
	}
	if grown > limit+overhead {
		t.Errorf("heap grew by %d bytes, more than the budget of %d plus %d", grown, int64(limit), int64(overhead))
	}

	close(finish)
	wg.Wait()
	if echoed != clients-refused {
		t.Errorf("%d echoes for %d clients held", echoed, clients-refused)
	}
	for deadline := time.Now().Add(5 * time.Second); s.Buffered() != 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d bytes still held after every message ended", s.Buffered())
		}
	}
}
