package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/wskit/wskit/codec/deflate"
	"github.com/wskit/wskit/conformance"
	"github.com/wskit/wskit/conformance/autobahn"
	"github.com/wskit/wskit/conformance/clienttest"
	"github.com/wskit/wskit/conformance/clienttest/echoclient"
	"github.com/wskit/wskit/conformance/config"
	"github.com/wskit/wskit/conformance/report"
)

const serveCasesDoc = `Serves the conformance cases to WebSocket clients, with Autobahn|Testsuite's fuzzing-server API
on one port, so that client test harnesses written for "wstest -m fuzzingserver" work unchanged:

  /getCaseCount                   the number of selected cases, as one text message
  /getCaseInfo?case=N             {"id": ..., "description": ...}
  /runCase?case=N&agent=A         runs case N (1-based in the selection; or casetuple=ID)
  /getCaseStatus?case=N&agent=A   {"behavior": ...} once the case has a result
  /updateReports?agent=A          writes the reports of every agent (&shutdownOnComplete=true stops)
  GET /results?agent=A            plain HTTP: the agent's verdicts as JSON
  GET /                           a page that runs the suite in the browser that opens it

The cases are all of Autobahn's (1-7, 9, 10, 12, 13) and wskit's categories 0, 8 and 14 in their
forms against clients (583 cases, the same IDs as against servers; 0.2 and 0.5 test request fields
and are server-only), with wskit as the server: its frames are unmasked, every client frame must be
masked, it closes TCP first, and verdicts follow Autobahn's fuzzing server (never FAILED BY
CLIENT). Categories 12 and 13 answer the client's permessage-deflate offer by Autobahn's accept
rules (a client that offers nothing they accept is UNIMPLEMENTED); 14.3 answers with invalid
acceptances the client must refuse. Every other case declines every extension.

-spec reads Autobahn's fuzzingserver.json ("url" to listen on, "outdir", "cases", "exclude-cases",
"exclude-agent-cases", "protocols", "key"/"cert" for wss; unknown keys and "options" are warned
about and ignored). Reports go to -report, else the spec's "outdir", else ./reports/clients/,
whenever a client asks for /updateReports, and once more when the server stops.

The server runs until interrupted (Ctrl-C, SIGTERM), until a client asks for
/updateReports?...&shutdownOnComplete=true, or, with -exit-on-report, until the first
/updateReports. It then prints the summary of every agent and exits as "wskit conform" does:
0 when no case fails the run (-fail-on, default FAILED,UNCLEAN,WRONG CODE) or every verdict
equals the -expect baseline, 1 otherwise, 2 on usage errors or when no case ran.`

const conformClientDoc = `Tests a WebSocket client by starting it once per case with the case's URL, as h2spec's h2specd
--exec does: the client connects to ws://127.0.0.1:PORT/runCase?case=N&agent=A, echoes every
message it receives, and exits when the connection closes. "{url}" in the command becomes that
URL ({case}, {id} and {agent} are replaced too; the environment has WSKIT_URL, WSKIT_CASE,
WSKIT_CASE_ID and WSKIT_AGENT). The command is split into words like a shell would, but no shell
runs it: for pipes or redirections write sh -c '...'.

  wskit conform-client -exec 'wskit echo-client {url}'
  wskit conform-client -exec 'node client.js {url}' -j 4 -report reports/clients

Each client gets -timeout; one still running then is killed. A client that exits without
connecting gets its case FAILED. Cases run one at a time unless -j allows more (only for clients
that can run side by side). The cases, verdicts, reports and exit status are those of
"wskit serve-cases" and "wskit conform".`

const echoClientDoc = `Runs wskit's reference WebSocket echo client, built on wskit's own handshake and codec packages:
it connects to URL, sends back every text and binary message, answers pings and the closing
handshake, and fails the connection on any protocol violation. It offers permessage-deflate
("permessage-deflate; client_max_window_bits", as browsers do; -deflate=false offers nothing) and
compresses as the server agrees. It passes every case of the client suite:

  wskit conform-client -exec 'wskit echo-client {url}'

With -suite, URL is the base of a fuzzing server ("wskit serve-cases" or Autobahn's) and the client
runs the whole suite the way Autobahn documents it: /getCaseCount, /runCase for every case, then
/updateReports.

Exit status: 0 once the connection opened (whatever the case made of it), 1 when it did not open,
2 on usage errors.`

// runFlags are the flags "serve-cases" and "conform-client" share with
// "conform": the policy, the baseline, the reports and the budget.
type runFlags struct {
	cases, exclude, failOn, expect, reportDir string
	handshakeTimeout                          time.Duration
	maxEvents, maxWireLog                     int
	maxEventBytes                             int64

	policy   conformance.Policy
	baseline *report.Baseline
}

func (f *runFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.cases, "cases", "", "comma-separated case `patterns` to serve (default: all; as for conform)")
	fs.StringVar(&f.exclude, "exclude", "", "comma-separated case `patterns` to leave out")
	fs.StringVar(&f.failOn, "fail-on", "", "comma-separated `verdicts` that fail the run (default FAILED,UNCLEAN,WRONG CODE)")
	fs.StringVar(&f.expect, "expect", "", "compare the verdicts with a baseline `FILE` (an index.json) and fail only on a difference")
	fs.StringVar(&f.reportDir, "report", "", "write index.json, one JSON per case, index.html and junit.xml to `DIR`")
	fs.DurationVar(&f.handshakeTimeout, "handshake-timeout", clienttest.DefaultHandshakeTimeout, "bound on each client's opening handshake")
	fs.IntVar(&f.maxEvents, "max-events", conformance.DefaultBudget.Events, "received messages and pongs one case records before it stops and FAILS")
	fs.Int64Var(&f.maxEventBytes, "max-event-bytes", conformance.DefaultBudget.EventBytes, "payload bytes of those events one case records, likewise")
	fs.IntVar(&f.maxWireLog, "max-wirelog", conformance.DefaultBudget.WireLog, "wire-log entries one case keeps")
}

// check validates the shared flags and reads the policy and baseline; it
// returns an error for a usage mistake.
func (f *runFlags) check() error {
	if f.handshakeTimeout <= 0 || f.maxEvents <= 0 || f.maxEventBytes <= 0 || f.maxWireLog <= 0 {
		return errors.New("-handshake-timeout, -max-events, -max-event-bytes and -max-wirelog must be positive")
	}
	f.policy = conformance.DefaultPolicy
	if f.failOn != "" {
		p, err := conformance.ParsePolicy(f.failOn)
		if err != nil {
			return fmt.Errorf("-fail-on: %v", err)
		}
		f.policy = p
	}
	if f.expect != "" {
		data, err := os.ReadFile(f.expect)
		if err != nil {
			return fmt.Errorf("-expect: %v", err)
		}
		if f.baseline, err = report.ReadBaseline(data); err != nil {
			return fmt.Errorf("-expect %s: %v", f.expect, err)
		}
	}
	return nil
}

func (f *runFlags) budget() conformance.Budget {
	return conformance.Budget{Events: f.maxEvents, EventBytes: f.maxEventBytes, WireLog: f.maxWireLog}
}

// finishRun prints the summary of results, writes the reports and returns
// the exit status, as "wskit conform" does.
func (f *runFlags) finishRun(name string, results []*conformance.Result, elapsed time.Duration, stdout, stderr io.Writer) int {
	if len(results) == 0 {
		fmt.Fprintf(stderr, "wskit %s: no case ran\n", name)
		return 2
	}
	fmt.Fprintf(stdout, "%d cases in %v\n\n", len(results), elapsed.Round(time.Millisecond))
	if err := report.WriteSummary(stdout, results, f.policy); err != nil {
		fmt.Fprintf(stderr, "wskit %s: %v\n", name, err)
		return 1
	}
	if f.reportDir != "" {
		if err := report.WriteReports(f.reportDir, results, f.policy); err != nil {
			fmt.Fprintf(stderr, "wskit %s: writing reports: %v\n", name, err)
			return 1
		}
		fmt.Fprintf(stdout, "\nreports: %s (index.html, index.json, junit.xml)\n", f.reportDir)
	}
	if f.baseline != nil {
		diffs := f.baseline.Compare(results)
		if len(diffs) == 0 {
			fmt.Fprintf(stdout, "\nevery verdict equals the baseline %s\n", f.expect)
			return 0
		}
		fmt.Fprintf(stdout, "\n%d verdicts differ from the baseline %s:\n", len(diffs), f.expect)
		for _, d := range diffs {
			fmt.Fprintf(stdout, "  %s\n", d)
		}
		return 1
	}
	for _, r := range results {
		if f.policy.Fails(r) {
			return 1
		}
	}
	return 0
}

// serveCasesListening, if set (by tests), is told the address serve-cases
// listens on.
var serveCasesListening func(addr string)

func runServeCases(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("serve-cases", "[-addr 127.0.0.1:9001 | -spec fuzzingserver.json] [-cases 1.*] [-report DIR] [-fail-on LIST] [-expect FILE] [-exit-on-report]",
		serveCasesDoc, stderr)
	var f runFlags
	f.register(fs)
	addr := fs.String("addr", "", "`address` to listen on (default: the spec's url, else 127.0.0.1:9001)")
	specFile := fs.String("spec", "", "read the address, cases and report directory from Autobahn's fuzzingserver.json `FILE`")
	certFile := fs.String("cert", "", "PEM certificate `file` for TLS (wss://); needs -key")
	keyFile := fs.String("key", "", "PEM private key `file` for TLS (wss://); needs -cert")
	exitOnReport := fs.Bool("exit-on-report", false, "stop after the first /updateReports")
	maxConns := fs.Int("max-conns", clienttest.DefaultMaxConns, "most `connections` served at once; more get HTTP 503 at once")
	quiet := fs.Bool("q", false, "do not log API requests")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "wskit serve-cases: "+format+"\n", a...)
		return 2
	}
	if err := f.check(); err != nil {
		return fail("%v", err)
	}
	if (*certFile == "") != (*keyFile == "") {
		return fail("-cert and -key go together")
	}
	if *maxConns <= 0 {
		return fail("-max-conns must be positive")
	}
	cfg := clienttest.Config{HandshakeTimeout: f.handshakeTimeout, Budget: f.budget(), Policy: f.policy, MaxConns: *maxConns}
	outDir := config.DefaultFuzzingServerOutDir
	if *specFile != "" {
		if f.cases != "" || f.exclude != "" {
			return fail("-spec takes the cases from the file: leave out -cases and -exclude")
		}
		data, err := os.ReadFile(*specFile)
		if err != nil {
			return fail("-spec: %v", err)
		}
		spec, warnings, err := config.ParseFuzzingServer(data)
		for _, w := range warnings {
			fmt.Fprintf(stderr, "wskit serve-cases: %s: %s\n", *specFile, w)
		}
		if err != nil {
			return fail("-spec %s: %v", *specFile, err)
		}
		for k := range spec.Options {
			if k != "failByDrop" {
				fmt.Fprintf(stderr, "wskit serve-cases: %s: option %q ignored: wskit does not implement it\n", *specFile, k)
			}
		}
		cases, excludeFor, unknown, err := clienttest.Select(clienttest.Suite(autobahn.Cases()), spec.Selection)
		if err != nil {
			return fail("-spec %s: %v", *specFile, err)
		}
		for _, id := range unknown {
			fmt.Fprintf(stderr, "wskit serve-cases: %s: case %s is not in wskit's client suite; left out of the count\n", *specFile, id)
		}
		cfg.Cases, cfg.ExcludeFor, cfg.Subprotocols = cases, excludeFor, spec.Protocols
		outDir = spec.OutDir
		if *addr == "" {
			u, err := url.Parse(spec.URL)
			if err != nil {
				return fail("-spec %s: url: %v", *specFile, err)
			}
			port := u.Port()
			if port == "" {
				port = map[bool]string{true: "443", false: "80"}[u.Scheme == "wss"]
			}
			*addr = net.JoinHostPort(u.Hostname(), port)
			if u.Scheme == "wss" && *certFile == "" {
				*certFile, *keyFile = spec.Cert, spec.Key
			}
		}
	} else {
		selected, err := autobahn.Select(splitPatterns(f.cases), splitPatterns(f.exclude))
		if err != nil {
			return fail("%v", err)
		}
		cfg.Cases = clienttest.Suite(selected)
	}
	if len(cfg.Cases) == 0 {
		return fail("the patterns leave no case to serve")
	}
	if f.reportDir == "" {
		f.reportDir = outDir
	}
	cfg.OutDir = f.reportDir
	if *addr == "" {
		*addr = "127.0.0.1:9001"
	}
	if !*quiet {
		var mu sync.Mutex
		cfg.Logf = func(format string, a ...any) {
			mu.Lock()
			defer mu.Unlock()
			fmt.Fprintf(stderr, format+"\n", a...)
		}
	}
	srv, err := clienttest.New(cfg)
	if err != nil {
		return fail("%v", err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fail("%v", err)
	}
	scheme := "ws"
	if *certFile != "" {
		cert, err := tls.LoadX509KeyPair(*certFile, *keyFile)
		if err != nil {
			ln.Close()
			return fail("%v", err)
		}
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}})
		scheme = "wss"
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit(*maxConns, f.budget()))
	}
	fmt.Fprintf(stdout, "serving %d cases to clients at %s://%s (reports: %s)\n", len(cfg.Cases), scheme, ln.Addr(), f.reportDir)
	if serveCasesListening != nil {
		serveCasesListening(ln.Addr().String())
	}
	start := time.Now()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	var reported <-chan struct{}
	if *exitOnReport {
		reported = srv.Reported()
	}
	select {
	case err := <-served:
		return fail("%v", err)
	case <-ctx.Done():
	case <-srv.ShutdownRequested():
	case <-reported:
	}
	// Running cases end within their own limit.
	sctx, cancel := context.WithTimeout(context.Background(), conformance.DefaultCaseLimit+time.Second)
	defer cancel()
	srv.Shutdown(sctx)
	<-served
	fmt.Fprintln(stdout)
	return f.finishRun("serve-cases", srv.Results(), time.Since(start), stdout, stderr)
}

func runConformClient(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("conform-client", "-exec 'CMD {url}' [-agent NAME] [-j N] [-timeout D] [-cases 1.*] [-report DIR] [-fail-on LIST] [-expect FILE] [-list]",
		conformClientDoc, stderr)
	var f runFlags
	f.register(fs)
	command := fs.String("exec", "", "the client under test, run once per case; {url} becomes the case's URL")
	agent := fs.String("agent", "", "`name` of the client in reports (default: the command's program name)")
	parallel := fs.Int("j", 1, "clients to run at once, each on its own case")
	timeout := fs.Duration("timeout", clienttest.DefaultExecTimeout, "`duration` each client may run before it is killed")
	list := fs.Bool("list", false, "list the selected cases and exit")
	verbose := fs.Bool("v", false, "show what a client wrote when it exits with an error")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "wskit conform-client: "+format+"\n", a...)
		return 2
	}
	if err := f.check(); err != nil {
		return fail("%v", err)
	}
	if *parallel <= 0 || *timeout <= 0 {
		return fail("-j and -timeout must be positive")
	}
	selected, err := autobahn.Select(splitPatterns(f.cases), splitPatterns(f.exclude))
	if err != nil {
		return fail("%v", err)
	}
	if selected = clienttest.Suite(selected); len(selected) == 0 {
		return fail("the patterns select no case of the client suite (categories %s)", "0-10")
	}
	if *list {
		for _, c := range selected {
			fmt.Fprintf(stdout, "%-8s %s\n", c.ID, c.Description)
		}
		return 0
	}
	if *command == "" {
		return fail("-exec is required: the command that runs the client, with {url}")
	}
	argv, err := clienttest.SplitCommand(*command)
	if err != nil {
		return fail("-exec: %v", err)
	}
	if *agent == "" {
		*agent = filepath.Base(argv[0])
	}
	progress := newProgress(stderr, isTerminal(stderr), len(selected), f.policy)
	srv, err := clienttest.New(clienttest.Config{
		Cases:            selected,
		HandshakeTimeout: f.handshakeTimeout,
		Budget:           f.budget(),
		Policy:           f.policy,
		MaxConns:         max(clienttest.DefaultMaxConns, 2**parallel),
		Started:          func(_ string, c *conformance.Case) { progress.Start(c.ID) },
		Finished:         progress.Finish,
	})
	if err != nil {
		return fail("%v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fail("%v", err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	defer func() {
		srv.Close()
		<-served
	}()
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit(*parallel, f.budget()))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var mu sync.Mutex
	start := time.Now()
	results, err := srv.Exec(ctx, "ws://"+ln.Addr().String(), clienttest.ExecOptions{
		Command:  argv,
		Agent:    *agent,
		Parallel: *parallel,
		Timeout:  *timeout,
		Exited: func(c *conformance.Case, err error, out []byte) {
			if err == nil || !*verbose && !errors.Is(err, clienttest.ErrExecTimeout) {
				return
			}
			mu.Lock()
			defer mu.Unlock()
			fmt.Fprintf(stderr, "wskit conform-client: case %s: client: %v\n", c.ID, err)
			if *verbose && len(out) > 0 {
				fmt.Fprintf(stderr, "  %s\n", strings.ReplaceAll(strings.TrimSpace(string(out)), "\n", "\n  "))
			}
		},
	})
	progress.End()
	if err != nil {
		return fail("%v", err)
	}
	return f.finishRun("conform-client", results, time.Since(start), stdout, stderr)
}

func runEchoClient(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("echo-client", "[-suite [-agent NAME] [-j N]] URL", echoClientDoc, stderr)
	suite := fs.Bool("suite", false, "URL is a fuzzing server's base: run every case through its API")
	agent := fs.String("agent", "wskit-echoclient", "`name` of the client in the suite's reports (with -suite)")
	parallel := fs.Int("j", 1, "cases to run at once (with -suite)")
	insecure := fs.Bool("insecure", false, "for wss://, do not verify the server's certificate")
	offer := fs.Bool("deflate", true, "offer permessage-deflate")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "wskit echo-client: want exactly one URL")
		fs.Usage()
		return 2
	}
	if *parallel <= 0 {
		fmt.Fprintln(stderr, "wskit echo-client: -j must be positive")
		return 2
	}
	target := fs.Arg(0)
	var cfg echoclient.Config
	if *offer {
		cfg.Deflate = &deflate.ClientOptions{Offers: []deflate.Params{{ClientMaxWindowBits: deflate.WindowBitsNoValue}}}
	}
	if *insecure {
		cfg.TLSConfig = &tls.Config{InsecureSkipVerify: true}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if !*suite {
		err := echoclient.Run(ctx, target, cfg)
		if err != nil {
			fmt.Fprintf(stderr, "wskit echo-client: %v\n", err)
			if errors.Is(err, echoclient.ErrNotOpened) {
				return 1
			}
		}
		return 0
	}
	n, err := echoclient.RunSuite(ctx, target, *agent, *parallel, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "wskit echo-client: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "ran %d cases as agent %s; reports updated\n", n, *agent)
	return 0
}
