package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/wskit/wskit/conformance"
	"github.com/wskit/wskit/conformance/autobahn"
	"github.com/wskit/wskit/conformance/config"
	"github.com/wskit/wskit/conformance/loopback"
	"github.com/wskit/wskit/conformance/report"
)

const conformDoc = `Runs the conformance cases against WebSocket echo servers: Autobahn|Testsuite's
517 (categories 1-7, 9, 10 and permessage-deflate's 12 and 13, with Autobahn's IDs, payloads
and verdicts) and wskit's own: 0 (the opening handshake), 8 (rules and bug classes Autobahn
never sends) and 14 (permessage-deflate's). Only categories 12-14 offer permessage-deflate; a
server that declines it gets UNIMPLEMENTED there. Then it prints a summary per category and one
line per case that fails the run. Cases run in parallel, each on its own connection; opening
handshakes take turns, as RFC 6455 asks of clients (one connection at a time in the CONNECTING
state).
Without -url or -spec it tests wskit's own loopback server, started in-process on 127.0.0.1.

Case patterns (-cases, -exclude) are comma-separated IDs whose dot-separated components match
whole: 1.* or 1 is all of category 1 (not 10), 6.4.* is 6.4.1-6.4.4, 7.*.1 the first case of
each sub-category of 7. An include pattern that matches nothing is a usage error.

-spec reads Autobahn's fuzzingclient.json as projects write it and tests every server it lists,
with Autobahn's pattern rules for "cases", "exclude-cases" and "exclude-agent-cases" (a pattern
with * is a regular expression anchored at the start, one without is a literal case ID), and
writes index.json and the per-case files into its "outdir" (or -report), where Autobahn writes
them, so scripts that read Autobahn's reports keep working.

Exit status: 0 when no case fails the run, 1 when any does, 2 on usage errors, an unreachable
server, or when no case ran. By default a case fails the run when its behaviour is FAILED or its
close behaviour breaks a MUST of RFC 6455 (UNCLEAN, WRONG CODE); -fail-on sets the verdicts that
fail it (-fail-on FAILED is Autobahn's reading). With -expect, the run passes only when every
verdict equals the baseline's, and each difference is printed.

Against hostile servers: each case records at most -max-events events (-max-event-bytes of
payload) and -max-wirelog wire-log entries; a server that sends more fails the case, which ends
at once. A server that stops answering opening handshakes costs one -handshake-timeout and two
short ones; the cases after that are reported FAILED without being tried. With the defaults a
run holds about 24 MiB per case running at once (-j) and 0.4 MiB per finished case, whatever the
server sends.`

// A conformTarget is one server to test, with its cases.
type conformTarget struct {
	url          string
	agent        string
	origin       string
	subprotocols []string
	serverName   string // TLS server name, if not the URL's host
	cases        []*conformance.Case
}

func runConform(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("conform", "[-url ws://host:port/path | -spec fuzzingclient.json] [-cases 1.*,6.4.*] [-exclude 9.*] [-fail-on LIST] [-expect FILE] [-j N] [-report DIR] [-agent NAME] [-insecure] [-list]",
		conformDoc, stderr)
	url := fs.String("url", "", "`URL` of the server under test (ws:// or wss://); empty: the embedded loopback server")
	specFile := fs.String("spec", "", "read the servers and cases from Autobahn's fuzzingclient.json `FILE`")
	cases := fs.String("cases", "", "comma-separated case `patterns` to run (default: all)")
	exclude := fs.String("exclude", "", "comma-separated case `patterns` to leave out")
	failOn := fs.String("fail-on", "", "comma-separated `verdicts` that fail the run: FAILED, NON-STRICT, INFORMATIONAL, UNIMPLEMENTED,\nWRONG CODE, UNCLEAN, FAILED BY CLIENT (default FAILED,UNCLEAN,WRONG CODE)")
	expect := fs.String("expect", "", "compare the verdicts with a baseline `FILE` (an index.json, or {\"6.4.3\": {\"behavior\": \"NON-STRICT\"}})\nand fail only on a difference")
	parallel := fs.Int("j", 0, "cases to run at once, each on its own connection (default: the number of CPUs)")
	reportDir := fs.String("report", "", "write index.json, one JSON per case, index.html and junit.xml to `DIR`")
	agent := fs.String("agent", "", "`name` of the server in reports (default: its Server header field)")
	list := fs.Bool("list", false, "list the selected cases and exit")
	insecure := fs.Bool("insecure", false, "for wss://, do not verify the server's certificate (self-signed test servers)")
	handshakeTimeout := fs.Duration("handshake-timeout", conformance.DefaultHandshakeTimeout, "bound on each opening handshake; after one times out the next wait 1s at most,\nand after 3 in a row the remaining cases are reported without being tried")
	maxEvents := fs.Int("max-events", conformance.DefaultBudget.Events, "received messages and pongs one case records before it stops, drops the connection and FAILS")
	maxEventBytes := fs.Int64("max-event-bytes", conformance.DefaultBudget.EventBytes, "payload bytes of those events one case records, likewise")
	maxWireLog := fs.Int("max-wirelog", conformance.DefaultBudget.WireLog, "wire-log entries one case keeps (the rest are counted, not kept)")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "wskit conform: "+format+"\n", a...)
		return 2
	}
	if *parallel < 0 {
		return fail("-j must be positive")
	}
	if *handshakeTimeout <= 0 || *maxEvents <= 0 || *maxEventBytes <= 0 || *maxWireLog <= 0 {
		return fail("-handshake-timeout, -max-events, -max-event-bytes and -max-wirelog must be positive")
	}
	policy := conformance.DefaultPolicy
	if *failOn != "" {
		p, err := conformance.ParsePolicy(*failOn)
		if err != nil {
			return fail("-fail-on: %v", err)
		}
		policy = p
	}
	var baseline *report.Baseline
	if *expect != "" {
		data, err := os.ReadFile(*expect)
		if err != nil {
			return fail("-expect: %v", err)
		}
		if baseline, err = report.ReadBaseline(data); err != nil {
			return fail("-expect %s: %v", *expect, err)
		}
	}

	var targets []conformTarget
	if *specFile != "" {
		if *url != "" || *cases != "" || *exclude != "" || *agent != "" {
			return fail("-spec takes the servers and cases from the file: leave out -url, -cases, -exclude and -agent")
		}
		dir, ts, err := specTargets(*specFile, stderr)
		if err != nil {
			return fail("%v", err)
		}
		targets = ts
		if *reportDir == "" {
			*reportDir = dir
		}
	} else {
		selected, err := autobahn.Select(splitPatterns(*cases), splitPatterns(*exclude))
		if err != nil {
			return fail("%v", err)
		}
		targets = []conformTarget{{url: *url, agent: *agent, cases: selected}}
	}
	total := 0
	for _, t := range targets {
		total += len(t.cases)
	}
	if total == 0 {
		return fail("the patterns leave no case to run")
	}
	if *list {
		for _, t := range targets {
			if len(targets) > 1 {
				fmt.Fprintf(stdout, "%s (%s):\n", t.agent, t.url)
			}
			for _, c := range t.cases {
				fmt.Fprintf(stdout, "%-8s %s\n", c.ID, c.Description)
			}
		}
		return 0
	}

	budget := conformance.Budget{Events: *maxEvents, EventBytes: *maxEventBytes, WireLog: *maxWireLog}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit(*parallel, budget))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	progress := newProgress(stderr, isTerminal(stderr), total, policy)
	start := time.Now()
	var results []*conformance.Result
	for _, t := range targets {
		if t.url == "" {
			addr, shutdown, err := startLoopback()
			if err != nil {
				return fail("starting the loopback server: %v", err)
			}
			defer shutdown()
			t.url = "ws://" + addr + "/"
			if t.agent == "" {
				t.agent = "wskit-loopback"
			}
			fmt.Fprintf(stderr, "testing the embedded loopback server at %s\n", t.url)
		}
		tg, err := conformance.NewTarget(t.url)
		if err != nil {
			return fail("%s: %v", t.url, err)
		}
		var tlsConfig *tls.Config
		if *insecure || t.serverName != "" {
			tlsConfig = &tls.Config{InsecureSkipVerify: *insecure, ServerName: t.serverName}
		}
		rs, err := conformance.Run(ctx, conformance.Options{
			Target:           tg,
			TLSConfig:        tlsConfig,
			Agent:            t.agent,
			Origin:           t.origin,
			Subprotocols:     t.subprotocols,
			Cases:            t.cases,
			Parallel:         *parallel,
			HandshakeTimeout: *handshakeTimeout,
			Budget:           budget,
			Started:          func(c *conformance.Case) { progress.Start(c.ID) },
			Finished:         progress.Finish,
		})
		if err != nil {
			progress.End()
			return fail("%v", err)
		}
		results = append(results, rs...)
	}
	progress.End()
	fmt.Fprintf(stdout, "%d cases in %v\n\n", len(results), time.Since(start).Round(time.Millisecond))
	if err := report.WriteSummary(stdout, results, policy); err != nil {
		fmt.Fprintf(stderr, "wskit conform: %v\n", err)
		return 1
	}
	if *reportDir != "" {
		if err := report.WriteReports(*reportDir, results, policy); err != nil {
			fmt.Fprintf(stderr, "wskit conform: writing reports: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "\nreports: %s (index.html, index.json, junit.xml)\n", *reportDir)
	}
	if baseline != nil {
		diffs := baseline.Compare(results)
		if len(diffs) == 0 {
			fmt.Fprintf(stdout, "\nevery verdict equals the baseline %s\n", *expect)
			return 0
		}
		fmt.Fprintf(stdout, "\n%d verdicts differ from the baseline %s:\n", len(diffs), *expect)
		for i, d := range diffs {
			if len(targets) > 1 && (i == 0 || diffs[i-1].Agent != d.Agent) {
				fmt.Fprintf(stdout, " agent %s:\n", d.Agent)
			}
			fmt.Fprintf(stdout, "  %s\n", d)
		}
		return 1
	}
	for _, r := range results {
		if policy.Fails(r) {
			return 1
		}
	}
	return 0
}

// memoryLimit returns the soft memory limit of a run: what its cases can
// hold by design (each running case at most its event budget, which counts
// the message being reassembled, plus 4 MiB of unprocessed reads; the
// finished ones their previews and wire logs) and room for the rest. It
// keeps the garbage collector from letting the heap double past that
// bound between collections; the Go runtime never lets a soft limit make
// it spend more than half the CPU.
func memoryLimit(parallel int, b conformance.Budget) int64 {
	if parallel <= 0 {
		parallel = runtime.NumCPU()
	}
	return 96<<20 + int64(parallel)*(b.EventBytes+4<<20)
}

// specTargets reads a fuzzingclient.json and returns its report directory
// and its servers, each with the cases Autobahn would run against it.
// Warnings (unknown keys, options wskit does not apply) go to stderr.
func specTargets(file string, stderr io.Writer) (string, []conformTarget, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return "", nil, fmt.Errorf("-spec: %w", err)
	}
	spec, warnings, err := config.ParseFuzzingClient(data)
	for _, w := range warnings {
		fmt.Fprintf(stderr, "wskit conform: %s: %s\n", file, w)
	}
	if err != nil {
		return "", nil, fmt.Errorf("-spec %s: %w", file, err)
	}
	servers, err := spec.ResolveServers("")
	if err != nil {
		return "", nil, fmt.Errorf("-spec %s: %w", file, err)
	}
	m, err := spec.Compile()
	if err != nil {
		return "", nil, fmt.Errorf("-spec %s: %w", file, err)
	}
	all := autobahn.Cases()
	ids := make([]string, len(all))
	for i, c := range all {
		ids[i] = c.ID
	}
	var targets []conformTarget
	for _, s := range servers {
		for _, w := range ignoredOptions(spec.Options, s.Options) {
			fmt.Fprintf(stderr, "wskit conform: %s: server %s: option %s\n", file, s.URL, w)
		}
		t := conformTarget{url: s.URL, agent: s.Agent, origin: s.Origin, subprotocols: s.Protocols, serverName: s.Hostname}
		for _, id := range m.SelectFor(s.Agent, ids) {
			c, _ := autobahn.Lookup(id)
			t.cases = append(t.cases, c)
		}
		targets = append(targets, t)
	}
	return spec.OutDir, targets, nil
}

// ignoredOptions lists the engine options of a spec file that wskit does
// not apply, as warnings. "version" 18 (RFC 6455) is what wskit speaks
// anyway; "failByDrop" only changes Autobahn's verdicts in ways wskit's
// close verdicts already report.
func ignoredOptions(global, server map[string]any) []string {
	var out []string
	for _, opts := range []map[string]any{global, server} {
		for k, v := range opts {
			switch k {
			case "version":
				if n, ok := v.(float64); ok && n == 18 {
					continue
				}
				out = append(out, fmt.Sprintf("%q=%v ignored: wskit speaks RFC 6455 (version 18) only", k, v))
			case "failByDrop":
				continue
			default:
				out = append(out, fmt.Sprintf("%q ignored: wskit does not implement it", k))
			}
		}
	}
	return out
}

// splitPatterns splits a comma-separated flag value, dropping empty items.
func splitPatterns(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// startLoopback runs the loopback server on a free port of 127.0.0.1.
func startLoopback() (addr string, shutdown func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := loopback.New(loopback.Config{})
	done := make(chan struct{})
	go func() {
		srv.Serve(ln)
		close(done)
	}()
	return ln.Addr().String(), func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		<-done
	}, nil
}

// isTerminal reports whether w is a character device, such as a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
