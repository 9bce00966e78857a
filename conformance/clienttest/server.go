package clienttest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/codec/deflate"
	"github.com/wskit/wskit/conformance"
	"github.com/wskit/wskit/conformance/report"
	"github.com/wskit/wskit/handshake"
	"github.com/wskit/wskit/spec"
)

// DefaultMaxConns is the default of Config.MaxConns.
const DefaultMaxConns = 64

// DefaultHandshakeTimeout bounds a client's opening handshake, from the
// TCP accept to its complete request head, as in Autobahn.
const DefaultHandshakeTimeout = 5 * time.Second

// apiCloseTimeout bounds how long the server waits for a client's Close
// on the API endpoints (/getCaseCount, ...) before it closes TCP anyway.
const apiCloseTimeout = 2 * time.Second

// Config configures a Server.
type Config struct {
	// Cases is the selected case list, in order: /runCase?case=N runs
	// Cases[N-1], and /getCaseCount sends len(Cases). Required. Each
	// runs in its form against clients (conformance.Case.AgainstClients;
	// Suite returns them so); New refuses a case that has none.
	Cases []*conformance.Case
	// ExcludeFor, if set, reports whether a case is skipped for an agent
	// (Autobahn's "exclude-agent-cases"): the client still connects, the
	// server closes at once and records nothing.
	ExcludeFor func(agent, id string) bool
	// OutDir is where /updateReports writes the reports of every agent
	// (report.WriteReports: index.json, one JSON per case, index.html,
	// junit.xml); empty writes none.
	OutDir string
	// Policy judges the runs in the reports and in /results; the zero
	// Policy means conformance.DefaultPolicy.
	Policy conformance.Policy
	// Subprotocols are the subprotocols the server accepts, in its order
	// of preference (fuzzingserver.json's "protocols"); it selects the
	// first the client offers.
	Subprotocols []string
	// HandshakeTimeout bounds each opening handshake; zero means
	// DefaultHandshakeTimeout.
	HandshakeTimeout time.Duration
	// Budget bounds what each case records; zero fields take
	// conformance.DefaultBudget's.
	Budget conformance.Budget
	// MaxConns is the most connections served at once; zero means
	// DefaultMaxConns. Further ones get HTTP 503 at once. Each running
	// case may hold up to its Budget's EventBytes (16 MiB by default)
	// besides the message being echoed, so the limit bounds the memory a
	// harness running cases in parallel can make the server take.
	MaxConns int
	// Name is sent in the Server field of every 101 response; empty
	// means "wskit-clienttest".
	Name string
	// Started and Finished, if set, are called as each case starts (its
	// connection upgraded) and ends, from the goroutine serving it.
	Started  func(agent string, c *conformance.Case)
	Finished func(r *conformance.Result)
	// Logf, if set, gets one line per API request, as Autobahn prints
	// them ("running case 1.1.1 for agent A from 127.0.0.1:5000").
	Logf func(format string, args ...any)
}

// A Server serves Autobahn|Testsuite's fuzzing-server API on one port and
// runs the cases with the runner as the server. Create it with New, start
// it with Serve, stop it with Shutdown or Close. Its methods are safe for
// concurrent use.
type Server struct {
	cfg  Config
	hs   handshake.Server
	ctx  context.Context // cancelled by Close: running cases drop their connections
	stop context.CancelFunc

	mu        sync.Mutex
	results   map[resultKey]*conformance.Result
	running   map[resultKey]int
	changed   chan struct{} // closed and replaced whenever results change
	listeners map[net.Listener]struct{}
	conns     map[net.Conn]struct{}
	closed    bool
	shutdown  chan struct{} // closed when a client asks for shutdownOnComplete
	shutOnce  sync.Once
	reported  chan struct{} // closed after the first /updateReports
	repOnce   sync.Once
	wg        sync.WaitGroup
}

type resultKey struct{ agent, id string }

// ErrServerClosed is returned by Serve after Shutdown or Close.
var ErrServerClosed = errors.New("clienttest: server closed")

// New returns a Server for the configuration.
func New(cfg Config) (*Server, error) {
	if len(cfg.Cases) == 0 {
		return nil, conformance.ErrNoCases
	}
	// Each case in its form against clients (Suite gives them so
	// already; a case of a plain selection may still be a server's).
	cases := make([]*conformance.Case, len(cfg.Cases))
	for i, c := range cfg.Cases {
		v, ok := c.AgainstClients()
		if !ok || v.Open == nil {
			return nil, fmt.Errorf("clienttest: case %s does not run against clients", c.ID)
		}
		cases[i] = v
	}
	cfg.Cases = cases
	if cfg.HandshakeTimeout <= 0 {
		cfg.HandshakeTimeout = DefaultHandshakeTimeout
	}
	if cfg.Name == "" {
		cfg.Name = "wskit-clienttest"
	}
	if cfg.MaxConns <= 0 {
		cfg.MaxConns = DefaultMaxConns
	}
	if len(cfg.Policy.Verdicts()) == 0 {
		cfg.Policy = conformance.DefaultPolicy
	}
	s := &Server{
		cfg:       cfg,
		results:   map[resultKey]*conformance.Result{},
		running:   map[resultKey]int{},
		changed:   make(chan struct{}),
		listeners: map[net.Listener]struct{}{},
		conns:     map[net.Conn]struct{}{},
		shutdown:  make(chan struct{}),
		reported:  make(chan struct{}),
	}
	s.ctx, s.stop = context.WithCancel(context.Background())
	s.hs = handshake.Server{Header: handshake.Header{{Name: "Server", Value: cfg.Name}}}
	if len(cfg.Subprotocols) > 0 {
		s.hs.SelectSubprotocol = func(offered []string) string {
			for _, p := range cfg.Subprotocols {
				if slices.Contains(offered, p) {
					return p
				}
			}
			return ""
		}
	}
	return s, nil
}

// Cases returns the selected case list; the slice is shared.
func (s *Server) Cases() []*conformance.Case { return s.cfg.Cases }

// ShutdownRequested is closed once a client has asked the server to stop,
// with /updateReports?agent=A&shutdownOnComplete=true, after the reports
// were written. The server keeps serving: stopping it is the caller's
// decision.
func (s *Server) ShutdownRequested() <-chan struct{} { return s.shutdown }

// Reported is closed once the first /updateReports has been answered.
func (s *Server) Reported() <-chan struct{} { return s.reported }

// Serve accepts connections on ln and serves each in its own goroutine
// until Shutdown or Close; it then returns ErrServerClosed.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return ErrServerClosed
	}
	s.listeners[ln] = struct{}{}
	s.mu.Unlock()
	for {
		nc, err := ln.Accept()
		if err != nil {
			s.mu.Lock()
			closed := s.closed
			delete(s.listeners, ln)
			s.mu.Unlock()
			if closed {
				return ErrServerClosed
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				time.Sleep(10 * time.Millisecond)
				s.mu.Lock()
				s.listeners[ln] = struct{}{}
				s.mu.Unlock()
				continue
			}
			return err
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			nc.Close()
			return ErrServerClosed
		}
		if len(s.conns) >= s.cfg.MaxConns {
			s.mu.Unlock()
			nc.SetWriteDeadline(time.Now().Add(time.Second))
			refuse(nc, 503, fmt.Sprintf("more than %d connections at once", s.cfg.MaxConns))
			nc.Close()
			continue
		}
		s.conns[nc] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.wg.Done()
			s.serveConn(nc)
			s.mu.Lock()
			delete(s.conns, nc)
			s.mu.Unlock()
		}()
	}
}

// Shutdown stops accepting connections and waits for the running cases
// to end (each ends within its own limit), or for ctx; then it drops what
// is left, as Close does.
func (s *Server) Shutdown(ctx context.Context) error {
	s.closeListeners()
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		s.Close()
		return ctx.Err()
	}
}

// Close stops accepting connections, drops every open one (a running case
// ends at once and is still recorded) and waits for their goroutines.
func (s *Server) Close() error {
	s.closeListeners()
	s.stop()
	s.mu.Lock()
	for nc := range s.conns {
		nc.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
	return nil
}

func (s *Server) closeListeners() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	for ln := range s.listeners {
		ln.Close()
	}
}

func (s *Server) logf(format string, args ...any) {
	if s.cfg.Logf != nil {
		s.cfg.Logf(format, args...)
	}
}

// Results returns every recorded result, of every agent, sorted by agent
// and then by case order. The latest run of a case for an agent replaces
// the earlier ones.
func (s *Server) Results() []*conformance.Result {
	s.mu.Lock()
	out := make([]*conformance.Result, 0, len(s.results))
	for _, r := range s.results {
		out = append(out, r)
	}
	s.mu.Unlock()
	sortResults(out)
	return out
}

// AgentResults returns the results recorded for one agent, in case order.
func (s *Server) AgentResults(agent string) []*conformance.Result {
	var out []*conformance.Result
	for _, r := range s.Results() {
		if r.Agent == agent {
			out = append(out, r)
		}
	}
	return out
}

// Agents returns the agents with at least one result, sorted.
func (s *Server) Agents() []string {
	var out []string
	for _, r := range s.Results() {
		if len(out) == 0 || out[len(out)-1] != r.Agent {
			out = append(out, r.Agent)
		}
	}
	return out
}

// Result returns the result of case id for agent, if there is one.
func (s *Server) Result(agent, id string) (*conformance.Result, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.results[resultKey{agent, id}]
	return r, ok
}

// Wait returns the result of case id for agent once there is one, or
// ctx's error.
func (s *Server) Wait(ctx context.Context, agent, id string) (*conformance.Result, error) {
	for {
		s.mu.Lock()
		r, ok := s.results[resultKey{agent, id}]
		ch := s.changed
		s.mu.Unlock()
		if ok {
			return r, nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// WriteReports writes the reports of every agent into Config.OutDir, as
// /updateReports does. It does nothing when OutDir is empty.
func (s *Server) WriteReports() error {
	if s.cfg.OutDir == "" {
		return nil
	}
	return report.WriteReports(s.cfg.OutDir, s.Results(), s.cfg.Policy)
}

// store records a result and wakes the waiters.
func (s *Server) store(r *conformance.Result) {
	s.mu.Lock()
	s.results[resultKey{r.Agent, r.ID}] = r
	close(s.changed)
	s.changed = make(chan struct{})
	s.mu.Unlock()
	if s.cfg.Finished != nil {
		s.cfg.Finished(r)
	}
}

// forget removes a result, so that the next run of the case is awaited.
func (s *Server) forget(agent, id string) {
	s.mu.Lock()
	delete(s.results, resultKey{agent, id})
	s.mu.Unlock()
}

// isRunning reports whether a /runCase connection for the case is being
// served.
func (s *Server) isRunning(agent, id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.running[resultKey{agent, id}] > 0
}

func (s *Server) setRunning(agent, id string, d int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := resultKey{agent, id}
	s.running[k] += d
	if s.running[k] <= 0 {
		delete(s.running, k)
	}
	close(s.changed)
	s.changed = make(chan struct{})
}

// waitIdle waits until no case of agent is being served, or ctx ends. A
// harness asks for /updateReports as soon as its client has seen the last
// case's connection close, which can be a moment before the server has
// judged and stored that case.
func (s *Server) waitIdle(ctx context.Context, agent string) {
	for {
		s.mu.Lock()
		busy := false
		for k := range s.running {
			if k.agent == agent {
				busy = true
				break
			}
		}
		ch := s.changed
		s.mu.Unlock()
		if !busy {
			return
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return
		}
	}
}

// serveConn reads one request head and serves it.
func (s *Server) serveConn(nc net.Conn) {
	defer nc.Close()
	nc.SetReadDeadline(time.Now().Add(s.cfg.HandshakeTimeout))
	head := handshake.NewRequestReader(0)
	buf := make([]byte, 4096)
	var (
		req  *handshake.Request
		rest []byte
	)
	for req == nil {
		n, err := nc.Read(buf)
		if n > 0 {
			r, after, perr := head.Feed(buf[:n])
			if perr != nil {
				var rej *handshake.Rejection
				if errors.As(perr, &rej) {
					nc.Write(rej.Response())
				}
				return
			}
			if r != nil {
				req, rest = r, append([]byte(nil), after...)
			}
		}
		if err != nil && req == nil {
			return
		}
	}
	nc.SetReadDeadline(time.Time{})
	rawHead := append([]byte(nil), head.Buffered()...)
	s.route(nc, req, rawHead, rest)
}

// refuse answers a request with an HTTP error and the reason.
func refuse(nc net.Conn, status int, detail string) {
	rej := &handshake.Rejection{Status: status, Header: handshake.Header{{Name: "Connection", Value: "close"}}, Detail: detail}
	nc.Write(rej.Response())
}

// route dispatches a request by its path.
func (s *Server) route(nc net.Conn, req *handshake.Request, rawHead, rest []byte) {
	u, err := url.Parse(req.Resource())
	if err != nil || req.Resource() == "" {
		refuse(nc, 400, "a request-target this server does not serve")
		return
	}
	q := u.Query()
	agent := q.Get("agent")
	if !req.IsWebSocket() {
		switch {
		case req.Method != "GET":
			rej := &handshake.Rejection{Status: 405, Header: handshake.Header{{Name: "Allow", Value: "GET"}, {Name: "Connection", Value: "close"}}, Detail: "only GET is served"}
			nc.Write(rej.Response())
		case u.Path == "/results":
			s.serveResults(nc, q)
		case u.Path == "/":
			writeHTTP(nc, 200, "text/html; charset=utf-8", []byte(page))
		default:
			refuse(nc, 404, "no such resource; GET / lists the API")
		}
		return
	}
	switch u.Path {
	case "/runCase":
		n, c, err := s.caseParam(q)
		switch {
		case err != nil:
			refuse(nc, 400, err.Error())
			return
		case agent == "":
			refuse(nc, 400, "/runCase needs an agent parameter")
			return
		}
		s.runCase(nc, req, rawHead, rest, agent, n, c)
	case "/getCaseCount":
		s.api(nc, req, rest, func(context.Context) []string {
			return []string{strconv.Itoa(len(s.cfg.Cases))}
		})
	case "/getCaseInfo":
		_, c, err := s.caseParam(q)
		if err != nil {
			refuse(nc, 400, err.Error())
			return
		}
		s.api(nc, req, rest, func(context.Context) []string {
			return []string{`{"id": ` + pyString(c.ID) + `, "description": ` + pyString(c.Description) + `}`}
		})
	case "/getCaseStatus":
		_, c, err := s.caseParam(q)
		switch {
		case err != nil:
			refuse(nc, 400, err.Error())
			return
		case agent == "":
			refuse(nc, 400, "/getCaseStatus needs an agent parameter")
			return
		}
		s.api(nc, req, rest, func(ctx context.Context) []string {
			r, err := s.Wait(ctx, agent, c.ID)
			if err != nil {
				return nil
			}
			return []string{`{"behavior": ` + pyString(string(r.Behavior)) + `}`}
		})
	case "/updateReports":
		if agent == "" {
			refuse(nc, 400, "/updateReports needs an agent parameter")
			return
		}
		s.logf("updating reports for agent %s, requested by %s", agent, nc.RemoteAddr())
		s.api(nc, req, rest, func(ctx context.Context) []string {
			wctx, cancel := context.WithTimeout(ctx, conformance.DefaultCaseLimit)
			s.waitIdle(wctx, agent)
			cancel()
			if err := s.WriteReports(); err != nil {
				s.logf("writing reports: %v", err)
			}
			if q.Get("shutdownOnComplete") == "true" {
				s.shutOnce.Do(func() { close(s.shutdown) })
			}
			s.repOnce.Do(func() { close(s.reported) })
			return nil
		})
	default:
		refuse(nc, 404, "no such resource: /runCase, /getCaseCount, /getCaseInfo, /getCaseStatus and /updateReports are served")
	}
}

// caseParam reads case=N (1-based in the selected list) or casetuple=ID.
func (s *Server) caseParam(q url.Values) (int, *conformance.Case, error) {
	if t := q.Get("casetuple"); t != "" && !q.Has("case") {
		for i, c := range s.cfg.Cases {
			if c.ID == t {
				return i + 1, c, nil
			}
		}
		return 0, nil, fmt.Errorf("casetuple=%s is not among the %d selected cases", t, len(s.cfg.Cases))
	}
	n, err := strconv.Atoi(q.Get("case"))
	if err != nil || n < 1 || n > len(s.cfg.Cases) {
		return 0, nil, fmt.Errorf("case=%q: want a number from 1 to %d (or casetuple=ID)", q.Get("case"), len(s.cfg.Cases))
	}
	return n, s.cfg.Cases[n-1], nil
}

// accept performs case c's opening handshake and returns the response
// head it wrote (the 101, or the case's own answer to the request,
// Case.Reply) and the permessage-deflate parameters it accepted by the
// case's rule (Case.AcceptDeflate), if any. It returns an error (and has
// answered) when the request is refused.
func (s *Server) accept(nc net.Conn, req *handshake.Request, c *conformance.Case) ([]byte, *deflate.Params, error) {
	hs, reply := s.hs, c.Reply
	var agreed *deflate.Params
	if c.AcceptDeflate != nil {
		// The case's own rule for the client's offers (Autobahn's
		// fuzzing server: categories 12 and 13); every other case
		// declines them all.
		hs.NegotiateExtensions = func(offered []handshake.Extension) []handshake.Extension {
			if p, ok := c.AcceptDeflate(offered); ok {
				agreed = &p
				return []handshake.Extension{p.Extension()}
			}
			return nil
		}
	}
	acc, err := hs.Accept(req)
	if err != nil {
		var rej *handshake.Rejection
		if errors.As(err, &rej) {
			nc.Write(rej.Response())
		} else {
			refuse(nc, 500, err.Error())
		}
		return nil, nil, err
	}
	if reply != nil {
		// A client that fails the connection may close it, or stop
		// reading, before the whole reply is written (0.7.3's is 2 MiB):
		// the write gives up after the handshake timeout, and the case
		// is played and judged anyway.
		nc.SetWriteDeadline(time.Now().Add(s.cfg.HandshakeTimeout + time.Duration(len(acc.Response)+64<<10)*reply.Drip))
		wire, err := reply.Write(nc, req, acc.Response)
		nc.SetWriteDeadline(time.Time{})
		if err != nil && wire == nil {
			return nil, nil, err
		}
		return wire, agreed, nil
	}
	if _, err := nc.Write(acc.Response); err != nil {
		return nil, nil, err
	}
	return acc.Response, agreed, nil
}

// runCase runs case c (number n of the selection) for agent.
func (s *Server) runCase(nc net.Conn, req *handshake.Request, rawHead, rest []byte, agent string, n int, c *conformance.Case) {
	s.setRunning(agent, c.ID, +1)
	defer s.setRunning(agent, c.ID, -1)
	if s.cfg.ExcludeFor != nil && s.cfg.ExcludeFor(agent, c.ID) {
		s.logf("skipping case %s for agent %s by the spec's exclude-agent-cases", c.ID, agent)
		s.api(nc, req, rest, func(context.Context) []string { return nil })
		return
	}
	s.logf("running case %s for agent %s from %s", c.ID, agent, nc.RemoteAddr())
	// A case of its own answer (Case.Reply) writes it instead of the
	// 101, and is played and judged on: whether the client went on
	// after that answer is what it tests.
	resp, agreed, err := s.accept(nc, req, c)
	if err != nil {
		// A client asked to run the case and failed its opening
		// handshake: the case is FAILED, as a server's would be.
		r := conformance.NotOpened(c, conformance.PlayOptions{Role: codec.RoleServer, Request: rawHead, Response: resp}, err)
		s.finish(r, agent, n)
		return
	}
	if s.cfg.Started != nil {
		s.cfg.Started(agent, c)
	}
	r, err := conformance.Play(s.ctx, nc, c, conformance.PlayOptions{
		Role:     codec.RoleServer,
		Rest:     rest,
		Request:  rawHead,
		Response: resp,
		Budget:   s.cfg.Budget,
		Deflate:  agreed,
	})
	if err != nil {
		s.logf("case %s for agent %s: %v", c.ID, agent, err)
	}
	s.finish(r, agent, n)
}

// finish numbers a result as Autobahn's fuzzing server does (the
// position in the selection) and stores it.
func (s *Server) finish(r *conformance.Result, agent string, n int) {
	r.Agent = agent
	r.Index = n
	s.store(r)
}

// api serves one of the API's WebSocket endpoints: it sends the text
// messages produce returns (produce may wait, until ctx ends when the
// client goes away), then closes with 1000 and waits for the client's
// Close, as the server, and closes TCP.
func (s *Server) api(nc net.Conn, req *handshake.Request, rest []byte, produce func(ctx context.Context) []string) {
	if _, _, err := s.accept(nc, req, &conformance.Case{}); err != nil {
		return
	}
	ws, err := codec.NewConn(codec.ConnOptions{Role: codec.RoleServer})
	if err != nil {
		return
	}
	ctx, cancel := context.WithCancel(s.ctx)
	defer cancel()
	reads := make(chan []byte)
	go func() {
		defer close(reads)
		for {
			buf := make([]byte, 4096)
			n, err := nc.Read(buf)
			if n > 0 {
				select {
				case reads <- buf[:n]:
				case <-ctx.Done():
					return
				}
			}
			if err != nil {
				return
			}
		}
	}()
	msgs := make(chan []string, 1)
	go func() { msgs <- produce(ctx) }()
	write := func(b []byte) { nc.Write(b) }
	handle := func(p []byte) bool {
		ws.Receive(p)
		write(ws.Outgoing())
		return ws.ShouldCloseTransport() || ws.State() == codec.StateClosed
	}
	if len(rest) > 0 && handle(rest) {
		return
	}
	var deadline <-chan time.Time
	for {
		select {
		case m := <-msgs:
			for _, text := range m {
				out, err := ws.SendMessage(spec.OpText, []byte(text))
				if err != nil {
					break
				}
				write(out)
			}
			out, err := ws.SendClose(spec.CloseNormal, "")
			if err == nil {
				write(out)
			}
			if ws.ShouldCloseTransport() {
				return
			}
			deadline = time.After(apiCloseTimeout)
		case p, ok := <-reads:
			if !ok || handle(p) {
				return
			}
		case <-deadline:
			return
		case <-s.ctx.Done():
			return
		}
	}
}

// pyString returns s as a JSON string the way Python's json.dumps writes
// it, as Autobahn's API messages are written: non-ASCII characters as
// \uXXXX escapes (surrogate pairs beyond the BMP), "<", ">" and "&"
// as they are.
func pyString(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	var out strings.Builder
	for _, r := range strings.TrimSuffix(b.String(), "\n") {
		switch {
		case r < utf8.RuneSelf:
			out.WriteRune(r)
		case r > 0xFFFF:
			r1, r2 := utf16.EncodeRune(r)
			fmt.Fprintf(&out, "\\u%04x\\u%04x", r1, r2)
		default:
			fmt.Fprintf(&out, "\\u%04x", r)
		}
	}
	return out.String()
}

// writeHTTP writes a complete HTTP/1.1 response and nothing more.
func writeHTTP(nc net.Conn, status int, contentType string, body []byte) {
	head := fmt.Sprintf("HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %d\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
		status, handshake.StatusText(status), contentType, len(body))
	nc.Write(append([]byte(head), body...))
}

const apiHelp = `wskit client suite: Autobahn|Testsuite's fuzzing-server API.

WebSocket endpoints:
  /getCaseCount                   the number of selected cases, as a text message
  /getCaseInfo?case=N             {"id": ..., "description": ...}
  /runCase?case=N&agent=A         runs case N (1-based; or casetuple=ID) against the client
  /getCaseStatus?case=N&agent=A   {"behavior": ...} once the case has a result
  /updateReports?agent=A          writes the reports (optional &shutdownOnComplete=true)

Plain HTTP:
  GET /results?agent=A            the agent's results as JSON (without agent: every agent)
  GET /                           this page, which runs the suite in the browser that opens it
`
