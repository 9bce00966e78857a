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
	"time"

	"github.com/wskit/wskit/conformance/loopback"
)

func runServe(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("serve", "[-addr 127.0.0.1:9001] [-cert FILE -key FILE]",
		"Runs wskit's strict loopback echo server, for testing WebSocket clients: every text and binary\n"+
			"message is echoed, pings are answered, and any protocol violation fails the connection with\n"+
			"the right close code. A browser pointed at http://ADDR/ gets a small echo page. Interrupt\n"+
			"(Ctrl-C) shuts it down gracefully: open connections get a Close with 1001. With -cert and -key\n"+
			"it serves wss:// (TLS) instead of ws://.",
		stderr)
	addr := fs.String("addr", "127.0.0.1:9001", "`address` to listen on")
	maxMessage := fs.Uint64("max-message", loopback.DefaultMaxMessage, "largest message accepted, in `bytes` (larger: close 1009)")
	idle := fs.Duration("idle", loopback.DefaultIdleTimeout, "close connections idle for this `long` (1001)")
	certFile := fs.String("cert", "", "PEM certificate `file` for TLS (wss://); needs -key")
	keyFile := fs.String("key", "", "PEM private key `file` for TLS (wss://); needs -cert")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if (*certFile == "") != (*keyFile == "") {
		fmt.Fprintln(stderr, "wskit serve: -cert and -key go together")
		return 2
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "wskit serve: %v\n", err)
		return 2
	}
	scheme, page := "ws", "http"
	if *certFile != "" {
		cert, err := tls.LoadX509KeyPair(*certFile, *keyFile)
		if err != nil {
			ln.Close()
			fmt.Fprintf(stderr, "wskit serve: %v\n", err)
			return 2
		}
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}})
		scheme, page = "wss", "https"
	}
	srv := loopback.New(loopback.Config{MaxMessage: *maxMessage, IdleTimeout: *idle})
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
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
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
