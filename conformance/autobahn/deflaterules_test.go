package autobahn_test

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wskit/wskit/conformance"
	"github.com/wskit/wskit/conformance/autobahn"
	"github.com/wskit/wskit/conformance/loopback"
	"github.com/wskit/wskit/handshake"
)

// TestDeflateRulesCatalogue pins category 14, wskit's own: its cases,
// numbered after Autobahn's 517, and its sub-categories.
func TestDeflateRulesCatalogue(t *testing.T) {
	cases, err := autobahn.Select([]string{"14"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	sub := map[string]int{}
	for _, c := range cases {
		sub[autobahn.SubcategoryOf(c.ID)]++
		if c.Index <= 517 {
			t.Errorf("%s has number %d, inside Autobahn's numbering", c.ID, c.Index)
		}
		if c.Opening == nil && c.ID != "14.2.6" && len(c.Extensions) == 0 {
			t.Errorf("%s offers nothing", c.ID)
		}
	}
	want := map[string]int{"14.1": 2, "14.2": 6, "14.3": 5, "14.4": 9}
	for s, n := range want {
		if sub[s] != n {
			t.Errorf("sub-category %s has %d cases, want %d", s, sub[s], n)
		}
	}
	if len(cases) != 22 || len(sub) != len(want) {
		t.Errorf("%d cases in %d sub-categories, want 22 in %d", len(cases), len(sub), len(want))
	}
}

// runAt runs the cases named by the keys of want against url, all at
// once, and checks their verdicts.
func runAt(t *testing.T, url string, want map[string]string) {
	t.Helper()
	tg, err := conformance.NewTarget(url)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for id := range want {
		ids = append(ids, id)
	}
	cases, err := autobahn.Select(ids, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := conformance.Run(context.Background(), conformance.Options{Target: tg, Cases: cases, Parallel: len(cases), HandshakeTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if got := string(r.Behavior) + "/" + string(r.BehaviorClose); got != want[r.ID] {
			t.Errorf("%s: %s, want %s (%s; %s)", r.ID, got, want[r.ID], r.Result, r.Reason)
		}
		if r.Result == "" || r.ResultClose == "" {
			t.Errorf("%s: verdict texts missing: %q %q", r.ID, r.Result, r.ResultClose)
		}
	}
}

// startLoopback runs a loopback server with cfg for the test.
func startLoopback(t *testing.T, cfg loopback.Config) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := loopback.New(cfg)
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "ws://" + ln.Addr().String() + "/"
}

// startDying runs a server that accepts permessage-deflate as offered
// and stops serving altogether, as a crash would, at the first frame it
// receives.
func startDying(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() {
		ln.Close()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				c.SetDeadline(time.Now().Add(10 * time.Second))
				rr := handshake.NewRequestReader(0)
				buf := make([]byte, 4096)
				for {
					n, err := c.Read(buf)
					req, rest, perr := rr.Feed(buf[:n])
					if perr != nil || err != nil && req == nil {
						return
					}
					if req == nil {
						continue
					}
					c.Write(upgradeAll(req, nil))
					if len(rest) == 0 {
						if _, err := c.Read(buf); err != nil {
							return
						}
					}
					ln.Close() // dies
					return
				}
			}()
		}
	}()
	return "ws://" + ln.Addr().String() + "/"
}

// TestCompressionVerdicts runs categories 12-14 against servers that
// decline permessage-deflate, have other limits, get negotiation wrong,
// ignore the rules, or die: every verdict a case can give besides OK is
// shown to be given where it belongs.
func TestCompressionVerdicts(t *testing.T) {
	extensionsRefused := func(status string) func(req *handshake.Request, err error) []byte {
		return func(req *handshake.Request, err error) []byte {
			if req != nil && req.Header.Get("Sec-WebSocket-Extensions") != "" {
				return []byte(status)
			}
			return upgradeAll(req, err)
		}
	}
	tests := []struct {
		name string
		url  func(t *testing.T) string
		want map[string]string // case ID -> behavior/behaviorClose
	}{
		{"strict", func(t *testing.T) string { return startLoopback(t, loopback.Config{}) }, map[string]string{
			"12.2.1": "OK/OK", "12.4.11": "OK/OK", "13.3.2": "OK/OK", "13.7.1": "OK/OK",
			"14.1.1": "OK/OK", "14.2.1": "OK/OK", "14.2.4": "OK/OK", "14.2.6": "OK/OK", "14.3.2": "OK/OK",
			"14.3.3": "OK/OK", "14.4.5": "OK/OK", "14.4.8": "OK/OK", "14.4.9": "OK/OK",
		}},
		// A server without permessage-deflate: UNIMPLEMENTED, except where
		// no offer is needed or declining is the answer.
		{"declines permessage-deflate", func(t *testing.T) string { return startLoopback(t, loopback.Config{DisableDeflate: true}) }, map[string]string{
			"12.1.1": "UNIMPLEMENTED/OK", "13.7.18": "UNIMPLEMENTED/OK", "14.1.1": "UNIMPLEMENTED/OK", "14.2.1": "UNIMPLEMENTED/OK",
			"14.4.9": "UNIMPLEMENTED/OK", "14.2.6": "OK/OK", "14.3.1": "OK/OK", "14.3.2": "OK/OK",
		}},
		// A limit above 17 MiB: the bomb is inflated and echoed, and the
		// runner's own limit stops it.
		{"32 MiB message limit", func(t *testing.T) string { return startLoopback(t, loopback.Config{MaxMessage: 32 << 20}) }, map[string]string{
			"14.1.1": "INFORMATIONAL/INFORMATIONAL", "14.1.2": "OK/OK",
		}},
		// A memory budget below the bomb: the server fails the connection
		// with 1013, not 1009.
		{"small memory budget", func(t *testing.T) string {
			return startLoopback(t, loopback.Config{MaxMessage: 32 << 20, MaxBuffered: 1 << 20})
		}, map[string]string{
			"14.1.1": "INFORMATIONAL/INFORMATIONAL",
		}},
		// A server that accepts any offer as written and then never
		// answers: the response to Autobahn's offer repeats
		// client_max_window_bits without a value, which no response may
		// hold; invalid offers accepted are no valid upgrades; the rules
		// are never enforced.
		{"accepts every offer, then hangs", func(t *testing.T) string { return startCanned(t, upgradeAll) }, map[string]string{
			"12.1.1": "FAILED/FAILED", "13.2.1": "FAILED/FAILED", "14.3.3": "FAILED/OK", "14.3.4": "FAILED/OK",
			"14.2.1": "FAILED/FAILED", "14.2.3": "FAILED/FAILED", "14.2.6": "FAILED/FAILED", "14.1.1": "FAILED/FAILED",
		}},
		{"400 for any extension offer", func(t *testing.T) string {
			return startCanned(t, extensionsRefused("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"))
		}, map[string]string{
			"14.3.1": "FAILED/OK", "14.3.2": "FAILED/OK", "14.3.5": "FAILED/OK", "12.1.1": "FAILED/FAILED",
		}},
		{"hangs up on any extension offer", func(t *testing.T) string { return startCanned(t, extensionsRefused("")) }, map[string]string{
			"14.3.3": "FAILED/OK", "14.3.4": "FAILED/OK",
		}},
		{"dies at the first frame", startDying, map[string]string{"14.1.1": "FAILED/FAILED"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			runAt(t, tt.url(t), tt.want)
		})
	}
}

// TestCompressionResultTexts checks category 12's and 13's texts, which
// are Autobahn's (autobahn.md section 3.8).
func TestCompressionResultTexts(t *testing.T) {
	tg, err := conformance.NewTarget(startLoopback(t, loopback.Config{DisableDeflate: true}))
	if err != nil {
		t.Fatal(err)
	}
	cases, _ := autobahn.Select([]string{"12.1.1"}, nil)
	res, err := conformance.Run(context.Background(), conformance.Options{Target: tg, Cases: cases})
	if err != nil {
		t.Fatal(err)
	}
	if r := res[0]; r.Result != "Actual events differ from any expected." || !strings.Contains(r.Reason, "declined permessage-deflate") {
		t.Errorf("12.1.1 without permessage-deflate: result %q, reason %q", r.Result, r.Reason)
	}
	tg, err = conformance.NewTarget(startLoopback(t, loopback.Config{}))
	if err != nil {
		t.Fatal(err)
	}
	res, err = conformance.Run(context.Background(), conformance.Options{Target: tg, Cases: cases})
	if err != nil {
		t.Fatal(err)
	}
	if r := res[0]; r.Result != "Ok, received all echo'ed messages in time." || !r.ReportTime ||
		!strings.Contains(r.Reason, "agreed: permessage-deflate; client_no_context_takeover") {
		t.Errorf("12.1.1: result %q, reason %q", r.Result, r.Reason)
	}
}

// TestDeflateRulesAgainstClients: every case of 14 runs against clients
// with the same ID: 14.3's answer the client with an invalid acceptance
// (Case.Reply) and decline nothing of their own; 14.2.6 declines every
// offer; the others accept the client's first valid offer and read as
// such.
func TestDeflateRulesAgainstClients(t *testing.T) {
	cases, err := autobahn.Select([]string{"14"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		v, ok := c.AgainstClients()
		if !ok || v.ID != c.ID || v.Open == nil || v.Opening != nil || v.Extensions != nil || v == c {
			t.Errorf("%s: form against clients %v %+v", c.ID, ok, v)
			continue
		}
		switch {
		case strings.HasPrefix(c.ID, "14.3."):
			if v.Reply == nil || v.AcceptDeflate != nil {
				t.Errorf("%s: no invalid acceptance", c.ID)
			}
		case c.ID == "14.2.6":
			if v.AcceptDeflate != nil || !strings.HasPrefix(v.Description, "Decline every extension") {
				t.Errorf("14.2.6 against clients: %q", v.Description)
			}
		default:
			if v.AcceptDeflate == nil || !strings.HasPrefix(v.Description, "Accept the client's first valid permessage-deflate offer") ||
				strings.Contains(v.Expectation, "server declines") {
				t.Errorf("%s against clients: %q / %q", c.ID, v.Description, v.Expectation)
			}
		}
	}
}
