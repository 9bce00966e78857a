package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/wskit/wskit/conformance"
	"github.com/wskit/wskit/conformance/loopback"
)

func runConform(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("conform", "[-url ws://host:port/path] [-cases 1.*,6.4.*] [-exclude 9.*] [-j N] [-report DIR] [-agent NAME] [-insecure] [-list]",
		"Runs the conformance cases (Autobahn|Testsuite's categories 1-7 and 10, same IDs and verdicts) against\n"+
			"a WebSocket echo server, then prints a summary per category and one line per FAILED case.\n"+
			"Cases run in parallel, each on its own connection; opening handshakes take turns, as RFC 6455\n"+
			"asks of clients (one connection at a time in the CONNECTING state).\n"+
			"Without -url it tests wskit's own loopback server, started in-process on 127.0.0.1.\n\n"+
			"Case patterns are comma-separated IDs whose dot-separated components match whole:\n"+
			"1.* or 1 is all of category 1 (not 10), 6.4.* is 6.4.1-6.4.4, 7.*.1 the first case of each\n"+
			"sub-category of 7. A pattern that matches nothing is a usage error.\n\n"+
			"Exit status: 0 when no case FAILED, 1 when any FAILED, 2 on usage errors, an unreachable\n"+
			"server, or when no case ran.",
		stderr)
	url := fs.String("url", "", "`URL` of the server under test (ws:// or wss://); empty: the embedded loopback server")
	cases := fs.String("cases", "", "comma-separated case `patterns` to run (default: all)")
	exclude := fs.String("exclude", "", "comma-separated case `patterns` to leave out")
	parallel := fs.Int("j", 0, "cases to run at once, each on its own connection (default: the number of CPUs)")
	report := fs.String("report", "", "write index.json, one JSON per case, index.html and junit.xml to `DIR`")
	agent := fs.String("agent", "", "`name` of the server in reports (default: its Server header field)")
	list := fs.Bool("list", false, "list the selected cases and exit")
	insecure := fs.Bool("insecure", false, "for wss://, do not verify the server's certificate (self-signed test servers)")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if *parallel < 0 {
		fmt.Fprintln(stderr, "wskit conform: -j must be positive")
		return 2
	}
	selected, err := conformance.Select(splitPatterns(*cases), splitPatterns(*exclude))
	if err != nil {
		fmt.Fprintf(stderr, "wskit conform: %v\n", err)
		return 2
	}
	if len(selected) == 0 {
		fmt.Fprintln(stderr, "wskit conform: the patterns leave no case to run")
		return 2
	}
	if *list {
		for _, c := range selected {
			fmt.Fprintf(stdout, "%-8s %s\n", c.ID, c.Description)
		}
		return 0
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	target := *url
	if target == "" {
		addr, shutdown, err := startLoopback()
		if err != nil {
			fmt.Fprintf(stderr, "wskit conform: starting the loopback server: %v\n", err)
			return 2
		}
		defer shutdown()
		target = "ws://" + addr + "/"
		if *agent == "" {
			*agent = "wskit-loopback"
		}
		fmt.Fprintf(stderr, "testing the embedded loopback server at %s\n", target)
	}
	t, err := conformance.NewTarget(target)
	if err != nil {
		fmt.Fprintf(stderr, "wskit conform: -url: %v\n", err)
		return 2
	}

	var tlsConfig *tls.Config
	if *insecure {
		tlsConfig = &tls.Config{InsecureSkipVerify: true}
	}
	progress := conformance.NewProgress(stderr, isTerminal(stderr), len(selected))
	start := time.Now()
	results, err := conformance.Run(ctx, conformance.Options{
		Target:    t,
		TLSConfig: tlsConfig,
		Agent:     *agent,
		Cases:     selected,
		Parallel:  *parallel,
		Started:   func(c *conformance.Case) { progress.Start(c.ID) },
		Finished:  progress.Finish,
	})
	progress.End()
	switch {
	case errors.Is(err, conformance.ErrUnreachable):
		fmt.Fprintf(stderr, "wskit conform: %v\n", err)
		return 2
	case err != nil:
		fmt.Fprintf(stderr, "wskit conform: %v\n", err)
		return 2
	}
	fmt.Fprintf(stdout, "%d cases against %s in %v\n\n", len(results), target, time.Since(start).Round(time.Millisecond))
	if err := conformance.WriteSummary(stdout, results); err != nil {
		fmt.Fprintf(stderr, "wskit conform: %v\n", err)
		return 1
	}
	if *report != "" {
		if err := conformance.WriteReports(*report, results); err != nil {
			fmt.Fprintf(stderr, "wskit conform: writing reports: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "\nreports: %s (index.html, index.json, junit.xml)\n", *report)
	}
	for _, r := range results {
		if r.Failed() {
			return 1
		}
	}
	return 0
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
