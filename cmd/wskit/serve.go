package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"os/signal"
	"strconv"
	"time"

	"github.com/wskit/wskit/conformance/loopback"
)

// serveOptions is what the flags of "wskit serve" ask for.
type serveOptions struct {
	addr              string
	certFile, keyFile string
	cfg               loopback.Config
}

// parseServe reads the flags of "wskit serve". The int is an exit status
// to return at once, or -1 to go on.
func parseServe(args []string, stderr io.Writer) (serveOptions, int) {
	fs := newFlagSet("serve", "[-addr 127.0.0.1:9001] [-cert FILE -key FILE] [limits]",
		"Runs wskit's strict loopback echo server, for testing WebSocket clients: every text and binary\n"+
			"message is echoed, pings are answered, and any protocol violation fails the connection with\n"+
			"the right close code. A browser pointed at http://ADDR/ gets a small echo page. Interrupt\n"+
			"(Ctrl-C) shuts it down gracefully: open connections get a Close with 1001. With -cert and -key\n"+
			"it serves wss:// (TLS) instead of ws://.\n\n"+
			"The limits protect it from hostile clients: connections beyond -max-conns get HTTP 503 at once\n"+
			"(the answer to a flood of connections), a message over -max-message is closed with 1009, and\n"+
			"a message that would take the data held for unfinished messages of all connections past\n"+
			"-max-buffered is closed with 1013 (try again later). After a Close either way, the client has\n"+
			"-close-timeout to answer, however much else it sends.\n\n"+
			"permessage-deflate (RFC 7692) is accepted when a client offers it: the first valid offer, as\n"+
			"offered; -deflate=false declines every offer.",
		stderr)
	var o serveOptions
	fs.StringVar(&o.addr, "addr", "127.0.0.1:9001", "`address` to listen on")
	fs.IntVar(&o.cfg.MaxConns, "max-conns", loopback.DefaultMaxConns, "most `connections` served at once; more get HTTP 503 at once")
	fs.DurationVar(&o.cfg.HandshakeTimeout, "handshake-timeout", loopback.DefaultHandshakeTimeout, "`duration` a client has for its opening handshake")
	fs.DurationVar(&o.cfg.IdleTimeout, "idle-timeout", loopback.DefaultIdleTimeout, "close connections idle for this `duration` (1001)")
	fs.DurationVar(&o.cfg.IdleTimeout, "idle", loopback.DefaultIdleTimeout, "the same as -idle-timeout (its older name)")
	fs.DurationVar(&o.cfg.CloseTimeout, "close-timeout", loopback.DefaultCloseTimeout, "`duration` a client has to answer a Close, counted from the first Close either way")
	fs.Uint64Var(&o.cfg.MaxMessage, "max-message", loopback.DefaultMaxMessage, "largest message accepted, in `bytes` (larger: close 1009)")
	fs.Int64Var(&o.cfg.MaxBuffered, "max-buffered", loopback.DefaultMaxBuffered,
		"memory budget in `bytes` for unfinished messages, all connections together (over it: close 1013)")
	fs.BoolFunc("deflate", "accept permessage-deflate (RFC 7692) when a client offers it (default true; -deflate=false turns it off)", func(v string) error {
		on, err := strconv.ParseBool(v)
		o.cfg.DisableDeflate = !on
		return err
	})
	fs.StringVar(&o.certFile, "cert", "", "PEM certificate `file` for TLS (wss://); needs -key")
	fs.StringVar(&o.keyFile, "key", "", "PEM private key `file` for TLS (wss://); needs -cert")
	if code := parseFlags(fs, args); code >= 0 {
		return o, code
	}
	usage := func(msg string) (serveOptions, int) {
		fmt.Fprintln(stderr, "wskit serve: "+msg)
		return o, 2
	}
	switch {
	case (o.certFile == "") != (o.keyFile == ""):
		return usage("-cert and -key go together")
	case o.cfg.MaxConns <= 0:
		return usage("-max-conns must be positive")
	case o.cfg.HandshakeTimeout <= 0, o.cfg.IdleTimeout <= 0, o.cfg.CloseTimeout <= 0:
		return usage("-handshake-timeout, -idle-timeout and -close-timeout must be positive")
	case o.cfg.MaxMessage == 0:
		return usage("-max-message must be positive")
	case o.cfg.MaxBuffered <= 0:
		return usage("-max-buffered must be positive")
	case o.cfg.MaxBuffered < int64(min(o.cfg.MaxMessage, math.MaxInt64)):
		return usage(fmt.Sprintf("-max-buffered (%d) is below -max-message (%d): the largest messages could never be echoed",
			o.cfg.MaxBuffered, o.cfg.MaxMessage))
	}
	return o, -1
}

func runServe(args []string, stdout, stderr io.Writer) int {
	o, code := parseServe(args, stderr)
	if code >= 0 {
		return code
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		fmt.Fprintf(stderr, "wskit serve: %v\n", err)
		return 2
	}
	scheme, page := "ws", "http"
	if o.certFile != "" {
		cert, err := tls.LoadX509KeyPair(o.certFile, o.keyFile)
		if err != nil {
			ln.Close()
			fmt.Fprintf(stderr, "wskit serve: %v\n", err)
			return 2
		}
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}})
		scheme, page = "wss", "https"
	}
	srv := loopback.New(o.cfg)
	fmt.Fprintf(stdout, "wskit loopback echo server on %s://%s/ (echo page: %s://%s/)\n", scheme, ln.Addr(), page, ln.Addr())

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		fmt.Fprintf(stderr, "wskit serve: %v\n", err)
		return 1
	case <-ctx.Done():
	}
	fmt.Fprintln(stdout, "shutting down")
	// Every connection ends within the close timeout of its Close; the
	// second more covers the goroutines' exit.
	sctx, cancel := context.WithTimeout(context.Background(), o.cfg.CloseTimeout+time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		fmt.Fprintf(stderr, "wskit serve: shutdown: %v\n", err)
	}
	if err := <-served; !errors.Is(err, loopback.ErrServerClosed) {
		fmt.Fprintf(stderr, "wskit serve: %v\n", err)
		return 1
	}
	return 0
}
