package interop

import (
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"
)

// acceptedBuffer is how many upgraded connections a server holds for the
// harness; a run uses one.
const acceptedBuffer = 4

// rawServer serves on a fresh 127.0.0.1 listener, calling upgrade for each
// connection in its own goroutine: for libraries that upgrade a net.Conn
// themselves (wskit, gobwas). upgrade returns nil and no error when it
// rejected the handshake (and answered it).
func rawServer(upgrade func(conn net.Conn) (Endpoint, error)) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	accepted := make(chan Endpoint, acceptedBuffer)
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		conns []net.Conn
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, conn)
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { _ = recover() }() // a panicking upgrade is reported as no endpoint
				_ = conn.SetDeadline(time.Now().Add(hangTimeout))
				ep, err := upgrade(conn)
				if err != nil || ep == nil {
					_ = conn.Close()
					return
				}
				_ = conn.SetDeadline(time.Time{})
				select {
				case accepted <- ep:
				default:
					ep.CloseTransport()
				}
			}()
		}
	}()
	stop := func() {
		_ = ln.Close()
		mu.Lock()
		for _, c := range conns {
			_ = c.Close()
		}
		mu.Unlock()
		wg.Wait()
		drain(accepted)
	}
	return &Server{Addr: ln.Addr().String(), Accepted: accepted, Stop: stop}, nil
}

// httpServer serves upgrade as a net/http handler on an httptest server on
// 127.0.0.1: for libraries that upgrade through net/http (gorilla, coder,
// gws). upgrade returns nil when it rejected the handshake (the library
// wrote the answer).
func httpServer(upgrade func(w http.ResponseWriter, r *http.Request) Endpoint) *Server {
	accepted := make(chan Endpoint, acceptedBuffer)
	ts := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ep := upgrade(w, r)
		if ep == nil {
			return
		}
		select {
		case accepted <- ep:
		default:
			ep.CloseTransport()
		}
	}))
	ts.Config.ReadHeaderTimeout = hangTimeout
	ts.Config.ErrorLog = discardLog
	ts.Start()
	stop := func() {
		ts.CloseClientConnections()
		ts.Close()
		drain(accepted)
	}
	return &Server{Addr: ts.Listener.Addr().String(), Accepted: accepted, Stop: stop}
}

// drain closes the endpoints no run took.
func drain(ch chan Endpoint) {
	for {
		select {
		case ep := <-ch:
			ep.CloseTransport()
		default:
			return
		}
	}
}
