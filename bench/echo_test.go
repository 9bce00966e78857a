package bench

// Round trips through echo servers over loopback TCP, and what an idle
// connection costs a server.
//
// One load client, built on wskit's codec and handshake packages, drives
// every server (echoserver_test.go; each runs in a process of its own) in
// turn, within the same run:
//
//   - BenchmarkEcho: conns connections each send a binary message of msg
//     bytes, wait for its echo and check its length, then send the next;
//     b.N messages in all, shared out evenly (each connection has one
//     message in flight). Reported: ns/op is wall time per message over
//     all connections, msgs/s its inverse, p50-ns and p99-ns the round-trip
//     latency of single messages, server-allocs/msg and server-B/msg the
//     server process's heap allocations per message (runtime.MemStats
//     Mallocs and TotalAlloc before and after, read by the server itself),
//     server-cpu-ns/msg and client-cpu-ns/msg the CPU time, user and
//     system, of the server process and of this one per message.
//     The B/op and allocs/op of -benchmem are the client's, which makes none
//     per message in steady state.
//   - BenchmarkEchoIdle: a fresh server process; one connection echoes one
//     16 B message and closes, then the baseline is read; then idleConns
//     connections each echo one 16 B message (so that every server has
//     set up whatever a used connection holds) and stay open while the
//     server, after a garbage collection, reports its memory. Reported per
//     connection: rss-B/conn (VmRSS: heap, stacks and everything else the
//     process touched), heap-B/conn (HeapInuse), stack-B/conn (StackInuse)
//     and goroutines/conn. ns/op is the time to open and use idleConns
//     connections.
//
// Every exchange has a deadline (echoTimeout per benchmark run, 5 s for a
// dial) and every loop a count, so a server that stops answering fails the
// benchmark instead of hanging it.

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/handshake"
	"github.com/wskit/wskit/spec"
)

var echoSizes = []struct {
	name string
	size int
}{
	{"16B", 16},
	{"1KiB", 1 << 10},
	{"64KiB", 64 << 10},
}

// echoConns are the numbers of connections BenchmarkEcho runs at once:
// one, where the round trip is all there is, and enough to keep both
// cores busy.
var echoConns = []int{1, 16}

const (
	// idleConns is the number of connections BenchmarkEchoIdle holds open.
	idleConns = 1000
	// echoTimeout bounds one benchmark run's exchanges on a connection.
	echoTimeout = 2 * time.Minute
	// echoReadBuffer is the client's read buffer per connection.
	echoReadBuffer = 128 << 10
)

// An echoClient is one client connection, on wskit's codec.
type echoClient struct {
	nc   net.Conn
	enc  *codec.Encoder
	dec  *codec.Decoder
	rbuf []byte // read buffer
	in   []byte // bytes read and not decoded yet, in rbuf or the handshake's rest
	wbuf []byte // the frame being sent
}

// dialEcho connects to an echo server at addr and completes the opening
// handshake.
func dialEcho(addr string) (*echoClient, error) {
	nc, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return nil, err
	}
	c, err := newEchoClient(nc, addr)
	if err != nil {
		nc.Close()
		return nil, err
	}
	return c, nil
}

func newEchoClient(nc net.Conn, addr string) (*echoClient, error) {
	nc.SetDeadline(time.Now().Add(echoTimeout))
	var nonce [16]byte
	rand.Read(nonce[:])
	req, err := handshake.NewRequest("ws://"+addr+"/", nonce, handshake.RequestOptions{})
	if err != nil {
		return nil, err
	}
	if _, err := nc.Write(req.Append(nil)); err != nil {
		return nil, err
	}
	c := &echoClient{nc: nc, rbuf: make([]byte, echoReadBuffer)}
	var rr handshake.ResponseReader
	for {
		n, err := nc.Read(c.rbuf)
		resp, rest, ferr := rr.Feed(c.rbuf[:n])
		if ferr != nil {
			return nil, ferr
		}
		if resp != nil {
			if _, err := handshake.VerifyResponse(req, resp); err != nil {
				return nil, err
			}
			c.in = append([]byte(nil), rest...)
			break
		}
		if err != nil {
			return nil, err
		}
	}
	// Masking keys from crypto/rand, 4 KiB at a time.
	if c.enc, err = codec.NewEncoder(codec.RoleClient, bufio.NewReaderSize(rand.Reader, 4096)); err != nil {
		return nil, err
	}
	if c.dec, err = codec.NewDecoder(codec.DecoderOptions{Role: codec.RoleClient}); err != nil {
		return nil, err
	}
	return c, nil
}

// roundTrip sends p as one binary frame and reads the echoed message,
// which may come in several frames. It checks the echo's length, and its
// bytes too if check is set.
func (c *echoClient) roundTrip(p []byte, check bool) error {
	var err error
	if c.wbuf, err = c.enc.AppendFrame(c.wbuf[:0], true, spec.OpBinary, p); err != nil {
		return err
	}
	if _, err := c.nc.Write(c.wbuf); err != nil {
		return err
	}
	got := 0
	for {
		for {
			ev, n, err := c.dec.Decode(c.in)
			c.in = c.in[n:]
			if err != nil {
				return err
			}
			switch ev.Kind {
			case codec.EventNone:
			case codec.EventMessageStart:
				if ev.Opcode != spec.OpBinary {
					return fmt.Errorf("%w: a %v message", errEchoServer, ev.Opcode)
				}
				continue
			case codec.EventPayload:
				if check && (got+len(ev.Data) > len(p) || !bytes.Equal(ev.Data, p[got:got+len(ev.Data)])) {
					return fmt.Errorf("%w: wrong payload", errEchoServer)
				}
				got += len(ev.Data)
				continue
			case codec.EventMessageEnd:
				if got != len(p) {
					return fmt.Errorf("%w: echoed %d bytes of %d", errEchoServer, got, len(p))
				}
				return nil
			default:
				return fmt.Errorf("%w: %v", errEchoServer, ev.Kind)
			}
			break // EventNone: all of c.in was consumed
		}
		n, err := c.nc.Read(c.rbuf)
		if n == 0 && err != nil {
			return err
		}
		c.in = c.rbuf[:n]
	}
}

// close sends a Close and waits, within a second, for the server to
// answer or end the connection, then closes it.
func (c *echoClient) close() {
	if b, err := c.enc.AppendClose(nil, spec.CloseNormal, ""); err == nil {
		c.nc.SetDeadline(time.Now().Add(time.Second))
		if _, err := c.nc.Write(b); err == nil {
			c.awaitClose()
		}
	}
	c.nc.Close()
}

// awaitClose reads until the server's Close, the end of the connection, an
// error or the deadline.
func (c *echoClient) awaitClose() {
	for {
		for {
			ev, n, err := c.dec.Decode(c.in)
			c.in = c.in[n:]
			if err != nil || ev.Kind == codec.EventClose {
				return
			}
			if ev.Kind == codec.EventNone {
				break
			}
		}
		n, err := c.nc.Read(c.rbuf)
		if err != nil {
			return
		}
		c.in = c.rbuf[:n]
	}
}

// dialEchoN opens n connections to addr and checks each with one round
// trip of p.
func dialEchoN(addr string, n int, p []byte) ([]*echoClient, error) {
	clients := make([]*echoClient, 0, n)
	for range n {
		c, err := dialEcho(addr)
		if err == nil {
			clients = append(clients, c)
			err = c.roundTrip(p, true)
		}
		if err != nil {
			closeEchoClients(clients)
			return nil, err
		}
	}
	return clients, nil
}

// closeEchoClients closes every client, each Close sent before any answer
// is awaited.
func closeEchoClients(clients []*echoClient) {
	var wg sync.WaitGroup
	for _, c := range clients {
		wg.Go(c.close)
	}
	wg.Wait()
}

// percentile returns the q-quantile of sorted durations (nearest rank).
func percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted)) + 0.5)
	return sorted[min(max(i-1, 0), len(sorted)-1)]
}

// TestEchoAgree checks that every echo server returns every benchmark
// message byte for byte, on two connections at once.
func TestEchoAgree(t *testing.T) {
	for _, lib := range echoLibs {
		srv, err := sharedEchoServer(lib)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range echoSizes {
			clients, err := dialEchoN(srv.addr, 2, payload(spec.OpBinary, s.size, 1))
			if err != nil {
				t.Fatalf("%s, %s: %v", lib, s.name, err)
			}
			for i, c := range clients {
				if err := c.roundTrip(payload(spec.OpBinary, s.size, 2+i), true); err != nil {
					t.Errorf("%s, %s: %v", lib, s.name, err)
				}
			}
			closeEchoClients(clients)
		}
	}
}

func BenchmarkEcho(b *testing.B) {
	for _, s := range echoSizes {
		for _, conns := range echoConns {
			for _, lib := range echoLibs {
				b.Run(fmt.Sprintf("msg=%s/conns=%d/lib=%s", s.name, conns, lib), func(b *testing.B) {
					benchEcho(b, lib, conns, s.size)
				})
			}
		}
	}
}

func benchEcho(b *testing.B, lib string, conns, size int) {
	srv, err := sharedEchoServer(lib)
	if err != nil {
		b.Fatal(err)
	}
	p := payload(spec.OpBinary, size, 1)
	clients, err := dialEchoN(srv.addr, conns, p)
	if err != nil {
		b.Fatalf("%s: %v", lib, err)
	}
	defer closeEchoClients(clients)

	// Connection i sends counts[i] messages and records their round
	// trips in lat[offs[i]:offs[i]+counts[i]].
	lat := make([]time.Duration, b.N)
	counts := make([]int, conns)
	offs := make([]int, conns)
	for i := range conns {
		counts[i] = b.N / conns
		if i < b.N%conns {
			counts[i]++
		}
		if i > 0 {
			offs[i] = offs[i-1] + counts[i-1]
		}
	}
	errs := make([]error, conns)
	// What answering one stats command allocates, measured by two in a
	// row, is taken off the difference around the timed loop.
	cal, err := srv.stats(false)
	if err != nil {
		b.Fatal(err)
	}
	before, err := srv.stats(false)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(size))
	b.ResetTimer()
	clientCPU := cpuTime()
	start := time.Now()
	var wg sync.WaitGroup
	for i, c := range clients {
		wg.Go(func() {
			c.nc.SetDeadline(time.Now().Add(echoTimeout))
			l := lat[offs[i] : offs[i]+counts[i]]
			for j := range l {
				t0 := time.Now()
				if err := c.roundTrip(p, false); err != nil {
					errs[i] = err
					return
				}
				l[j] = time.Since(t0)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	clientCPU = cpuTime() - clientCPU
	b.StopTimer()
	if err := errors.Join(errs...); err != nil {
		b.Fatalf("%s: %v", lib, err)
	}
	after, err := srv.stats(false)
	if err != nil {
		b.Fatal(err)
	}
	slices.Sort(lat)
	n := float64(b.N)
	b.ReportMetric(n/elapsed.Seconds(), "msgs/s")
	b.ReportMetric(float64(percentile(lat, 0.50).Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(percentile(lat, 0.99).Nanoseconds()), "p99-ns")
	allocs := float64(after.mallocs-before.mallocs) - float64(before.mallocs-cal.mallocs)
	bytes := float64(after.totalAlloc-before.totalAlloc) - float64(before.totalAlloc-cal.totalAlloc)
	b.ReportMetric(max(allocs, 0)/n, "server-allocs/msg")
	b.ReportMetric(max(bytes, 0)/n, "server-B/msg")
	// The CPU time of each side per message, kernel included: against
	// the round trip (p50-ns) on one connection, what share of it the
	// server's own work is; on 16, with both processes on 2 cores, how
	// much of the machine each side takes.
	b.ReportMetric(float64(after.cpu-before.cpu)/n, "server-cpu-ns/msg")
	b.ReportMetric(float64(clientCPU)/n, "client-cpu-ns/msg")
}

func BenchmarkEchoIdle(b *testing.B) {
	for _, lib := range echoLibs {
		b.Run(fmt.Sprintf("conns=%d/lib=%s", idleConns, lib), func(b *testing.B) {
			benchEchoIdle(b, lib)
		})
	}
}

func benchEchoIdle(b *testing.B, lib string) {
	p := payload(spec.OpBinary, 16, 1)
	var sum idleCost
	b.StopTimer()
	for range b.N {
		srv, err := startEchoServer(lib)
		if err != nil {
			b.Fatal(err)
		}
		c, err := measureIdle(b, srv, p)
		srv.stop()
		if err != nil {
			b.Fatalf("%s: %v", lib, err)
		}
		sum.rss += c.rss
		sum.heap += c.heap
		sum.stack += c.stack
		sum.goroutines += c.goroutines
	}
	per := float64(b.N) * idleConns
	b.ReportMetric(sum.rss/per, "rss-B/conn")
	b.ReportMetric(sum.heap/per, "heap-B/conn")
	b.ReportMetric(sum.stack/per, "stack-B/conn")
	b.ReportMetric(sum.goroutines/per, "goroutines/conn")
}

// idleCost is what connections add to a server process's memory: the
// differences of two serverStats.
type idleCost struct {
	rss, heap, stack, goroutines float64
}

// measureIdle returns what idleConns used connections add to srv's
// memory. Opening and using the connections is timed.
func measureIdle(b *testing.B, srv *echoServer, p []byte) (idleCost, error) {
	warm, err := dialEchoN(srv.addr, 1, p)
	if err != nil {
		return idleCost{}, err
	}
	closeEchoClients(warm)
	before, err := srv.stats(true)
	if err != nil {
		return idleCost{}, err
	}
	b.StartTimer()
	clients, err := dialEchoN(srv.addr, idleConns, p)
	b.StopTimer()
	if err != nil {
		return idleCost{}, err
	}
	defer closeEchoClients(clients)
	after, err := srv.stats(true)
	if err != nil {
		return idleCost{}, err
	}
	diff := func(a, b uint64) float64 { return float64(a) - float64(b) }
	return idleCost{
		rss:        diff(after.rss, before.rss),
		heap:       diff(after.heapInuse, before.heapInuse),
		stack:      diff(after.stackInuse, before.stackInuse),
		goroutines: diff(after.goroutines, before.goroutines),
	}, nil
}
