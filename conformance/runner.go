package conformance

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime"
	"sync"
	"time"
)

// Options configure a run.
type Options struct {
	// Target is the server under test.
	Target *Target
	// Agent names the server in reports. Empty means the Server header
	// field of the first successful handshake, or the target's address.
	Agent string
	// Cases are the cases to run, normally from Select.
	Cases []*Case
	// Parallel is how many cases run at once, each on its own connection;
	// 0 means runtime.NumCPU().
	Parallel int
	// Rand supplies masking keys and handshake nonces; nil means
	// crypto/rand.Reader, the right source (R-5.3-unpredictable-key).
	Rand io.Reader
	// TLSConfig configures TLS for a wss:// target: nil means Go's
	// defaults (the system's roots). The server name is taken from the
	// URL's host unless set here.
	TLSConfig *tls.Config
	// Started and Finished, if set, are called as each case starts and
	// ends, from the goroutine running it.
	Started  func(c *Case)
	Finished func(r *Result)
}

// ErrUnreachable is returned by Run when the target does not accept TCP
// connections at all.
var ErrUnreachable = errors.New("conformance: the server is unreachable")

// ErrNoCases is returned by Run when there is nothing to run.
var ErrNoCases = errors.New("conformance: no case to run")

// Run runs the cases against the target and returns their results in the
// order of opts.Cases. Before any case it checks that the target accepts
// a TCP connection, and fails with ErrUnreachable otherwise. Cancelling
// ctx drops every open connection and ends the run with ctx.Err().
func Run(ctx context.Context, opts Options) ([]*Result, error) {
	if len(opts.Cases) == 0 {
		return nil, ErrNoCases
	}
	if opts.Target == nil {
		return nil, errors.New("conformance: no target")
	}
	probe, err := (&net.Dialer{Timeout: openHandshakeTimeout}).DialContext(ctx, "tcp", opts.Target.addr)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrUnreachable, opts.Target.url, err)
	}
	probe.Close()

	var rnd io.Reader = rand.Reader // safe for concurrent use
	if opts.Rand != nil {
		rnd = &lockedReader{r: opts.Rand}
	}
	par := opts.Parallel
	if par <= 0 {
		par = runtime.NumCPU()
	}
	results := make([]*Result, len(opts.Cases))
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		agent = opts.Agent
		next  = 0
	)
	work := func() {
		defer wg.Done()
		for {
			mu.Lock()
			i := next
			next++
			mu.Unlock()
			if i >= len(opts.Cases) || ctx.Err() != nil {
				return
			}
			c := opts.Cases[i]
			if opts.Started != nil {
				opts.Started(c)
			}
			r := runCase(ctx, opts, c, rnd)
			mu.Lock()
			if agent == "" && r.Agent != "" {
				agent = r.Agent
			}
			mu.Unlock()
			results[i] = r
			if opts.Finished != nil {
				opts.Finished(r)
			}
		}
	}
	for range min(par, len(opts.Cases)) {
		wg.Add(1)
		go work()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if agent == "" {
		agent = opts.Target.addr
	}
	for _, r := range results {
		r.Agent = agent
	}
	return results, nil
}

// runCase runs one case on a fresh connection.
func runCase(ctx context.Context, opts Options, c *Case, rnd io.Reader) *Result {
	s := &Session{
		c:      c,
		target: opts.Target,
		tls:    opts.TLSConfig,
		rand:   rnd,
		res: &Result{
			Index:        indexOf(c.ID),
			ID:           c.ID,
			Description:  c.Description,
			Expectation:  c.Expectation,
			Requirements: c.Requirements,
		},
	}
	r := s.run(ctx)
	r.Agent = s.agent
	if r.Duration < 0 {
		r.Duration = 0
	}
	r.Duration = r.Duration.Round(time.Millisecond)
	return r
}

// lockedReader lets cases running in parallel share a caller's source of
// randomness, which need not be safe for concurrent use.
type lockedReader struct {
	mu sync.Mutex
	r  io.Reader
}

func (l *lockedReader) Read(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.r.Read(p)
}
