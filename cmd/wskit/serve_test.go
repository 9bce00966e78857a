package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wskit/wskit/conformance/loopback"
)

// TestServeFlags: each limit flag of "wskit serve" lands in its
// loopback.Config field, the defaults are the package's, and a limit that
// would disable a defence is a usage error.
func TestServeFlags(t *testing.T) {
	defaults := loopback.Config{
		HandshakeTimeout: loopback.DefaultHandshakeTimeout,
		IdleTimeout:      loopback.DefaultIdleTimeout,
		CloseTimeout:     loopback.DefaultCloseTimeout,
		MaxMessage:       loopback.DefaultMaxMessage,
		MaxBuffered:      loopback.DefaultMaxBuffered,
		MaxConns:         loopback.DefaultMaxConns,
	}
	for _, tc := range []struct {
		args []string
		want func(*loopback.Config)
	}{
		{nil, func(*loopback.Config) {}},
		{[]string{"-max-conns", "10"}, func(c *loopback.Config) { c.MaxConns = 10 }},
		{[]string{"-handshake-timeout", "2s"}, func(c *loopback.Config) { c.HandshakeTimeout = 2 * time.Second }},
		{[]string{"-idle-timeout", "3s"}, func(c *loopback.Config) { c.IdleTimeout = 3 * time.Second }},
		{[]string{"-idle", "4s"}, func(c *loopback.Config) { c.IdleTimeout = 4 * time.Second }},
		{[]string{"-close-timeout", "500ms"}, func(c *loopback.Config) { c.CloseTimeout = 500 * time.Millisecond }},
		{[]string{"-max-message", "1000"}, func(c *loopback.Config) { c.MaxMessage = 1000 }},
		{[]string{"-max-buffered", "67108864"}, func(c *loopback.Config) { c.MaxBuffered = 64 << 20 }},
		{[]string{"-deflate=false"}, func(c *loopback.Config) { c.DisableDeflate = true }},
		{[]string{"-deflate"}, func(*loopback.Config) {}},
	} {
		var stderr bytes.Buffer
		o, code := parseServe(tc.args, &stderr)
		if code != -1 {
			t.Errorf("%q: exit %d\n%s", tc.args, code, stderr.String())
			continue
		}
		want := defaults
		tc.want(&want)
		if diff := cmp.Diff(want, o.cfg); diff != "" {
			t.Errorf("%q: Config (-want +got):\n%s", tc.args, diff)
		}
	}

	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"-max-conns", "0"}, "-max-conns"},
		{[]string{"-close-timeout", "0s"}, "-close-timeout"},
		{[]string{"-idle-timeout", "-1s"}, "-idle-timeout"},
		{[]string{"-max-message", "0"}, "-max-message"},
		{[]string{"-max-buffered", "0"}, "-max-buffered"},
		{[]string{"-max-buffered", "1000", "-max-message", "1001"}, "below -max-message"},
		{[]string{"-cert", "c.pem"}, "-cert and -key"},
		{[]string{"-deflate=maybe"}, "-deflate"},
	} {
		var stderr bytes.Buffer
		if _, code := parseServe(tc.args, &stderr); code != 2 || !strings.Contains(stderr.String(), tc.msg) {
			t.Errorf("%q: exit %d, want 2 with %q\n%s", tc.args, code, tc.msg, stderr.String())
		}
	}
}
