package clienttest

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/conformance"
)

// DefaultExecTimeout bounds one run of the client under test in exec
// mode: longer than any case's own limit (conformance.DefaultCaseLimit).
const DefaultExecTimeout = conformance.DefaultCaseLimit + 10*time.Second

// execGrace is how long a result may take to appear once the client has
// exited without its case being served: a connection it opened just
// before exiting is still read.
const execGrace = 500 * time.Millisecond

// ExecOptions configure Exec.
type ExecOptions struct {
	// Command is the client under test and its arguments, run once per
	// case without a shell. In each word "{url}" becomes the case's URL
	// (ws://host:port/runCase?case=N&agent=A), "{case}" its number N,
	// "{id}" its ID and "{agent}" the agent. The same values are in the
	// environment as WSKIT_URL, WSKIT_CASE, WSKIT_CASE_ID and
	// WSKIT_AGENT. Required.
	Command []string
	// Agent names the client in the results. Required.
	Agent string
	// Parallel is how many clients run at once, each on its own case; 0
	// means 1. Only clients that can run side by side should get more.
	Parallel int
	// Timeout bounds each run of the client; zero means
	// DefaultExecTimeout. A client still running then is killed (with
	// its process group, on Unix).
	Timeout time.Duration
	// Env holds extra environment variables ("NAME=value") for the
	// client.
	Env []string
	// Exited, if set, is called when a client has exited, with its
	// error (an *exec.ExitError, a timeout, or a failure to start it)
	// and the last few KiB of what it wrote to stdout and stderr.
	Exited func(c *conformance.Case, err error, output []byte)
}

// ErrExecTimeout is the error Exited gets for a client that outlived
// ExecOptions.Timeout.
var ErrExecTimeout = errors.New("the client did not exit in time and was killed")

// Exec tests a client by starting it once per selected case with that
// case's URL on base (the server's own ws://host:port, as Serve listens
// on it), as h2spec's h2specd --exec does. Each case waits for the
// client to exit and for the case to end, and is judged as over the API.
// A client that exits without connecting, or whose opening handshake
// fails, gets the case FAILED (conformance.NotOpened). Results come back
// in case order; they are also stored, so /results and WriteReports see
// them. Cancelling ctx kills the clients and ends Exec with ctx.Err().
func (s *Server) Exec(ctx context.Context, base string, opts ExecOptions) ([]*conformance.Result, error) {
	if len(opts.Command) == 0 {
		return nil, errors.New("clienttest: no command to run")
	}
	if opts.Agent == "" {
		return nil, errors.New("clienttest: exec mode needs an agent name")
	}
	base = strings.TrimSuffix(base, "/")
	par := max(opts.Parallel, 1)
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultExecTimeout
	}
	cases := s.cfg.Cases
	results := make([]*conformance.Result, len(cases))
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		next int
	)
	for range min(par, len(cases)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= len(cases) || ctx.Err() != nil {
					return
				}
				results[i] = s.execCase(ctx, base, i+1, cases[i], opts, timeout)
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return results, nil
}

// execCase runs the client for case number n and returns its result.
func (s *Server) execCase(ctx context.Context, base string, n int, c *conformance.Case, opts ExecOptions, timeout time.Duration) *conformance.Result {
	agent := opts.Agent
	s.forget(agent, c.ID)
	caseURL := fmt.Sprintf("%s/runCase?case=%d&agent=%s", base, n, url.QueryEscape(agent))
	vars := map[string]string{"{url}": caseURL, "{case}": strconv.Itoa(n), "{id}": c.ID, "{agent}": agent}
	argv := make([]string, len(opts.Command))
	for i, w := range opts.Command {
		for k, v := range vars {
			w = strings.ReplaceAll(w, k, v)
		}
		argv[i] = w
	}
	pctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(pctx, argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), opts.Env...)
	cmd.Env = append(cmd.Env, "WSKIT_URL="+caseURL, "WSKIT_CASE="+strconv.Itoa(n), "WSKIT_CASE_ID="+c.ID, "WSKIT_AGENT="+agent)
	out := &tailBuffer{max: 4 << 10}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.WaitDelay = 5 * time.Second
	killGroup(cmd)
	err := cmd.Run()
	if pctx.Err() == context.DeadlineExceeded {
		err = ErrExecTimeout
	}
	if opts.Exited != nil {
		opts.Exited(c, err, out.Bytes())
	}
	if ctx.Err() != nil {
		return nil
	}
	// The client is gone; its case ends by itself if it is being served
	// (a case never outlives its limit), and a result appears.
	wait := execGrace
	if s.isRunning(agent, c.ID) {
		wait = conformance.DefaultCaseLimit + 5*time.Second
	}
	wctx, wcancel := context.WithTimeout(ctx, wait)
	defer wcancel()
	if r, werr := s.Wait(wctx, agent, c.ID); werr == nil {
		return r
	}
	if s.isRunning(agent, c.ID) {
		// Served after all (it connected just before the grace ran
		// out): wait for the case's end.
		if r, werr := s.Wait(ctx, agent, c.ID); werr == nil {
			return r
		}
		return nil
	}
	why := "the client did not connect"
	if err != nil {
		why += " (" + err.Error() + ")"
	} else {
		why += " (it exited with status 0)"
	}
	r := conformance.NotOpened(c, conformance.PlayOptions{Role: codec.RoleServer}, errors.New(why))
	s.finish(r, agent, n)
	return r
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if over := len(t.b) - t.max; over > 0 {
		t.b = append(t.b[:0], t.b[over:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) Bytes() []byte {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]byte(nil), t.b...)
}

// SplitCommand splits a command line into words as a POSIX shell does,
// without running one: words are separated by blanks; single quotes keep
// everything up to the next single quote; double quotes keep everything
// but a backslash before ", \, $ or `; a backslash outside quotes keeps
// the next character. Nothing is expanded ($VAR, globs, ~). For pipes
// or redirections run a shell yourself: sh -c '...'.
func SplitCommand(line string) ([]string, error) {
	var (
		words []string
		cur   strings.Builder
		in    bool // a word has started (possibly empty: '')
	)
	for i := 0; i < len(line); i++ {
		ch := line[i]
		switch {
		case ch == ' ' || ch == '\t' || ch == '\n':
			if in {
				words = append(words, cur.String())
				cur.Reset()
				in = false
			}
		case ch == '\'':
			j := strings.IndexByte(line[i+1:], '\'')
			if j < 0 {
				return nil, errors.New("unterminated single quote")
			}
			cur.WriteString(line[i+1 : i+1+j])
			i += j + 1
			in = true
		case ch == '"':
			in = true
			i++
			for ; i < len(line) && line[i] != '"'; i++ {
				if line[i] == '\\' && i+1 < len(line) && strings.IndexByte("\"\\$`", line[i+1]) >= 0 {
					i++
				}
				cur.WriteByte(line[i])
			}
			if i >= len(line) {
				return nil, errors.New("unterminated double quote")
			}
		case ch == '\\':
			if i+1 >= len(line) {
				return nil, errors.New("backslash at the end of the command")
			}
			i++
			cur.WriteByte(line[i])
			in = true
		default:
			cur.WriteByte(ch)
			in = true
		}
	}
	if in {
		words = append(words, cur.String())
	}
	if len(words) == 0 {
		return nil, errors.New("empty command")
	}
	return words, nil
}
