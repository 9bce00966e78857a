package conformance

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/codec/deflate"
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
	// Origin, if set, is sent in the Origin field of every opening
	// handshake, for servers that check it (H-4.1-req-origin).
	Origin string
	// Subprotocols, if any, are offered in Sec-WebSocket-Protocol; the
	// server may select one (H-4.1-req-protocols).
	Subprotocols []string
	// HandshakeTimeout bounds each opening handshake, from the TCP
	// connect to the verified response; 0 means DefaultHandshakeTimeout.
	// After one has timed out the next ones wait at most a second, and
	// after three in a row the remaining cases are reported without being
	// tried (their OpenError is ErrSilent): a silent server costs seconds,
	// not cases times the timeout.
	HandshakeTimeout time.Duration
	// Budget bounds what each case records; zero fields take
	// DefaultBudget's.
	Budget Budget
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
	for _, c := range opts.Cases {
		if c.Reply != nil {
			return nil, fmt.Errorf("conformance: case %s answers a client's opening handshake (Reply): it runs only against clients", c.ID)
		}
	}
	probe, err := (&net.Dialer{Timeout: opts.handshakeTimeout()}).DialContext(ctx, "tcp", opts.Target.addr)
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
		wg     sync.WaitGroup
		mu     sync.Mutex
		agent  = opts.Agent
		next   = 0
		runErr error // the first failure of opts.Rand
	)
	work := func() {
		defer wg.Done()
		for {
			mu.Lock()
			i := next
			next++
			failed := runErr != nil
			mu.Unlock()
			if i >= len(opts.Cases) || ctx.Err() != nil || failed {
				return
			}
			c := opts.Cases[i]
			if opts.Started != nil {
				opts.Started(c)
			}
			r, err := runCase(ctx, opts, c, rnd)
			mu.Lock()
			if err != nil && runErr == nil {
				runErr = err
			}
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
	if runErr != nil {
		return nil, runErr
	}
	if agent == "" {
		agent = opts.Target.addr
	}
	for _, r := range results {
		r.Agent = agent
	}
	return results, nil
}

// runCase runs one case on a fresh connection, as the client. The error
// is a failure of the source of randomness, which ends the run.
func runCase(ctx context.Context, opts Options, c *Case, rnd io.Reader) (*Result, error) {
	s := &Session{
		c:         c,
		role:      codec.RoleClient,
		target:    opts.Target,
		tls:       opts.TLSConfig,
		origin:    opts.Origin,
		budget:    opts.Budget.withDefaults(),
		hsTimeout: opts.handshakeTimeout(),
		protos:    opts.Subprotocols,
		rand:      rnd,
		res:       newResult(c),
	}
	r := s.run(ctx)
	r.Agent = s.agent
	if r.Duration < 0 {
		r.Duration = 0
	}
	r.Duration = r.Duration.Round(time.Millisecond)
	return r, s.randErr
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

// PlayOptions configure Play.
type PlayOptions struct {
	// Role is the runner's role: codec.RoleServer when it tests a client
	// over a connection its own listener accepted and upgraded,
	// codec.RoleClient when it tests a server. Required.
	Role codec.Role
	// Rest are the bytes the peer sent after its opening handshake.
	Rest []byte
	// Request and Response are the opening handshake's heads as sent, for
	// the report; nil if unknown.
	Request, Response []byte
	// Rand supplies masking keys when Role is codec.RoleClient; nil means
	// crypto/rand.Reader.
	Rand io.Reader
	// Budget bounds what the case records; zero fields take
	// DefaultBudget's.
	Budget Budget
	// Deflate, if not nil, is the permessage-deflate agreement of the
	// opening handshake: the session then decompresses what the peer
	// sends and can compress what the case sends with it.
	Deflate *deflate.Params
}

// Play runs one case over conn, a connection whose opening handshake is
// done. It is the engine under Run (the runner as the client of a
// server) and under a runner that tests clients (the runner as the
// server). Play closes conn. The error is a failure of opts.Rand; the
// result is then still filled in as far as the case got.
func Play(ctx context.Context, conn net.Conn, c *Case, opts PlayOptions) (*Result, error) {
	rnd := opts.Rand
	if rnd == nil {
		rnd = rand.Reader
	}
	s := &Session{
		c:      c,
		role:   opts.Role,
		rand:   rnd,
		conn:   conn,
		budget: opts.Budget.withDefaults(),
		res:    newResult(c),
	}
	if opts.Deflate != nil {
		p := *opts.Deflate
		s.deflate = &p
	}
	s.begin()
	s.res.IsServer = opts.Role == codec.RoleServer
	if opts.Request != nil {
		s.res.HTTPRequest = string(opts.Request)
	}
	if opts.Response != nil {
		s.res.HTTPResponse = string(opts.Response)
	}
	r := s.play(ctx, append([]byte(nil), opts.Rest...))
	r.Duration = max(r.Duration, 0).Round(time.Millisecond)
	return r, s.randErr
}

// NotOpened returns the result of a case whose WebSocket connection
// never opened, judged as Run judges one: FAILED in both columns,
// "The WebSocket opening handshake was never completed!". A runner that
// tests clients uses it for a client that was asked to run the case and
// did not connect, or whose opening handshake failed; err says why and
// becomes the result's OpenError. Of opts only Role, Request and Response
// are used (the heads as far as they went).
func NotOpened(c *Case, opts PlayOptions, err error) *Result {
	s := &Session{c: c, role: opts.Role, res: newResult(c)}
	s.begin()
	s.res.IsServer = opts.Role == codec.RoleServer
	if opts.Request != nil {
		s.res.HTTPRequest = string(opts.Request)
	}
	if opts.Response != nil {
		s.res.HTTPResponse = string(opts.Response)
	}
	s.res.OpenError = err
	if errors.Is(err, os.ErrDeadlineExceeded) {
		s.res.WasOpenHandshakeTimeout = true
	}
	s.res.WasNotCleanReason = err.Error()
	s.evaluate(false)
	return s.res
}

// newResult returns the result of a case before it runs.
func newResult(c *Case) *Result {
	return &Result{
		Index:        c.Index,
		ID:           c.ID,
		Description:  c.Description,
		Expectation:  c.Expectation,
		Requirements: c.Requirements,
		ReportTime:   c.ReportTime,
	}
}

func (o *Options) handshakeTimeout() time.Duration {
	if o.HandshakeTimeout > 0 {
		return o.HandshakeTimeout
	}
	return DefaultHandshakeTimeout
}
