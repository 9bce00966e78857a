package conformance

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/wskit/wskit/codec/deflate"
	"github.com/wskit/wskit/handshake"
)

// An Opening is a case's own opening handshake, for the cases that test
// how a server answers requests (wskit's category 0): the runner writes
// the request the case builds, byte for byte, reads the server's answer,
// and the case judges it. If the case finds the answer a valid upgrade
// and has an Open script, the case goes on over the WebSocket connection
// like any other, and its events and close decide the verdict; otherwise
// the answer alone does, and the runner closes the connection.
type Opening struct {
	// Request returns the bytes to write. It receives the valid request
	// the runner would have sent (a fresh key, the target's Host and
	// resource name, Autobahn's fields) and may change it: the runner
	// checks a 101 against req as the case leaves it (its key, offered
	// subprotocols and extensions). It may also return bytes that
	// req.Append would not write, such as a body after the head.
	// Required.
	Request func(req *handshake.Request) []byte
	// Drip, when positive, writes the request one byte per write with
	// this pause between (a slow client, not an attack: a server must
	// still answer).
	Drip time.Duration
	// Pipeline are frames written in the same write as the request,
	// right after it, as a client that does not wait for the 101 would.
	Pipeline []Frame
	// Judge gives the verdict on the server's answer and the one-line
	// result text for reports. Required.
	Judge func(a *Answer) (Verdict, string)
}

// A Reply is a case's own answer to a client's opening handshake, for the
// cases that test how a client checks the server's response (wskit's
// category 0 against clients, RFC 6455 section 4.1). A runner that tests clients
// (package clienttest) writes it with Write instead of its standard 101,
// then plays the case over the connection like any other: the case's
// Open sends a message, and whether the client echoes it or has failed
// the connection decides the verdict.
type Reply struct {
	// Head returns the bytes to write. It receives the client's request
	// and the valid 101 the runner would have sent for it (its
	// Sec-WebSocket-Accept, Server field, ...), which it may change; it
	// may also return bytes resp.Append would not write, such as a
	// field written twice in another form, or a frame after the head.
	// Required.
	Head func(req *handshake.Request, resp *handshake.Response) []byte
	// Drip, when positive, writes the reply one byte per write with this
	// pause between.
	Drip time.Duration
}

// Write writes the reply to the client's request req on conn, where
// valid is the 101 response the runner would have sent, and returns the
// bytes it wrote (all of them unless err is set).
func (r *Reply) Write(conn net.Conn, req *handshake.Request, valid []byte) ([]byte, error) {
	resp, _, err := handshake.ParseResponse(valid, 0)
	if err != nil || resp == nil {
		return nil, fmt.Errorf("conformance: the runner's own 101 does not parse: %v", err)
	}
	wire := r.Head(req, resp)
	if r.Drip <= 0 {
		_, err := conn.Write(wire)
		return wire, err
	}
	for i := range wire {
		if i > 0 {
			time.Sleep(r.Drip)
		}
		if _, err := conn.Write(wire[i : i+1]); err != nil {
			return wire[:i], err
		}
	}
	return wire, nil
}

// An Answer is what a server did with a case's own opening handshake.
type Answer struct {
	// Request is the request as the case left it.
	Request *handshake.Request
	// Response is the response head, or nil if none arrived.
	Response *handshake.Response
	// Upgrade is, for a 101 response, why it is not a valid acceptance
	// of Request (handshake.VerifyResponse's error), or nil.
	Upgrade error
	// Deflate is, for a valid upgrade that accepted permessage-deflate,
	// the agreed parameters (the case goes on with them in effect), or
	// nil. A 101 whose permessage-deflate element answers none of the
	// offers in Request is no valid upgrade (Upgrade says why).
	Deflate *deflate.Params
	// Err says why no response head arrived: the server closed the
	// connection (io.EOF or a reset), sent no complete head in time
	// (os.ErrDeadlineExceeded), or sent bytes that are no response head
	// (a *handshake.ResponseError).
	Err error
	// Elapsed is the time from the last byte of the request to the
	// answer: the response head, the close or the timeout.
	Elapsed time.Duration
}

// Status returns the response's status code, or 0 without a response.
func (a *Answer) Status() int {
	if a.Response == nil {
		return 0
	}
	return a.Response.Status
}

// Upgraded reports whether the server accepted the request with a valid
// 101 response.
func (a *Answer) Upgraded() bool { return a.Status() == 101 && a.Upgrade == nil }

// Closed reports whether the server ended the connection without a
// response head.
func (a *Answer) Closed() bool {
	return a.Response == nil && (errors.Is(a.Err, io.EOF) || errors.Is(a.Err, syscall.ECONNRESET) ||
		errors.Is(a.Err, syscall.EPIPE) || errors.Is(a.Err, net.ErrClosed))
}

// TimedOut reports whether the server neither answered nor closed the
// connection within the runner's handshake timeout.
func (a *Answer) TimedOut() bool {
	return a.Response == nil && errors.Is(a.Err, os.ErrDeadlineExceeded)
}

// String describes the answer for reports: the status line, or what
// happened instead.
func (a *Answer) String() string {
	var b strings.Builder
	switch {
	case a.Response != nil:
		r := a.Response
		fmt.Fprintf(&b, "HTTP/%d.%d %d %s", r.Major, r.Minor, r.Status, r.Reason)
		if a.Status() == 101 && a.Upgrade != nil {
			fmt.Fprintf(&b, " (not a valid upgrade: %v)", a.Upgrade)
		}
	case a.TimedOut():
		fmt.Fprintf(&b, "no answer within %v", a.Elapsed.Round(time.Millisecond))
	case a.Closed():
		fmt.Fprintf(&b, "connection closed without a response after %v", a.Elapsed.Round(time.Millisecond))
	default:
		fmt.Fprintf(&b, "no valid response: %v", a.Err)
	}
	return b.String()
}

// requestReportLen bounds the request a report keeps: the heads of the
// oversized-head cases run to hundreds of kilobytes.
const requestReportLen = 8 << 10

// ownOpening runs the case's own opening handshake (Case.Opening). If
// the case goes on as a WebSocket session, it returns the bytes that
// followed the 101 and ok; otherwise the result is final.
func (s *Session) ownOpening(ctx context.Context) (rest []byte, ok bool, err error) {
	o := s.c.Opening
	select {
	case s.target.connecting <- struct{}{}:
		defer func() { <-s.target.connecting }()
	case <-ctx.Done():
		return nil, false, ctx.Err()
	}
	s.t0 = time.Now()
	s.res.Started = s.t0.UTC()
	// The whole exchange must end within the handshake timeout after the
	// last byte is written; the drip adds its own time.
	budget := s.hsTimeout
	conn, err := s.dial(ctx, s.t0.Add(budget))
	if err != nil {
		return nil, false, err
	}
	req, err := s.newRequest()
	if err != nil {
		return nil, false, err
	}
	wire := o.Request(req)
	for _, f := range o.Pipeline {
		var ok bool
		if wire, _, ok = s.encodeFrame(wire, f); !ok {
			return nil, false, s.randErr
		}
		s.res.TxFrameStats[f.Opcode]++
	}
	if len(wire) > requestReportLen {
		s.res.HTTPRequest = fmt.Sprintf("%s\n[... %d more octets]", wire[:requestReportLen], len(wire)-requestReportLen)
	} else {
		s.res.HTTPRequest = string(wire)
	}
	drip := o.Drip
	if drip > 0 {
		budget += time.Duration(len(wire)) * drip
	}
	conn.SetDeadline(s.t0.Add(budget))

	// The request is written while the answer is read: a server may
	// answer (or close) before it has read a large head, and a write
	// blocked on a server that stopped reading must not keep the answer
	// unread.
	written := make(chan time.Time, 1)
	go func() {
		defer func() { written <- time.Now() }()
		if drip <= 0 {
			s.logWrite(len(wire), wire)
			conn.Write(wire)
			return
		}
		for i := range wire {
			if i > 0 {
				time.Sleep(drip)
			}
			s.logWrite(1, wire[i:i+1])
			if _, err := conn.Write(wire[i : i+1]); err != nil {
				return
			}
		}
	}()
	resp, rest, rerr := s.readResponse(conn)
	end := time.Now()
	conn.SetDeadline(time.Time{})
	var last time.Time
	select {
	case last = <-written:
	default:
		// Still writing after an answer: the rest of the request is moot.
		conn.SetWriteDeadline(time.Now())
		last = <-written
		conn.SetWriteDeadline(time.Time{})
	}

	a := &Answer{Request: req, Response: resp, Err: rerr, Elapsed: max(end.Sub(last), 0)}
	if resp != nil && resp.Status == 101 {
		var n handshake.Negotiated
		if n, a.Upgrade = handshake.VerifyResponse(req, resp); a.Upgrade == nil {
			a.Upgrade = s.agree(req, n)
			a.Deflate = s.deflate
		}
	}
	v, text := o.Judge(a)
	if v == OK && a.Upgraded() && s.c.Open != nil {
		return rest, true, nil
	}

	conn.Close()
	r := s.res
	r.Behavior, r.Result = v, text
	r.BehaviorClose, r.ResultClose = OK, "The case ends with the opening handshake."
	r.WasClean = a.Upgraded() // nothing to close on a refused connection
	r.Reason = fmt.Sprintf("%s: %s", v, text)
	r.Duration = time.Since(s.t0)
	return nil, false, nil
}

// logWrite records one TCP write of the runner's own opening handshake.
func (s *Session) logWrite(n int, p []byte) {
	s.mu.Lock()
	s.res.TxOctetStats[n]++
	s.logLocked(WireEntry{Kind: WireWrite, Len: n, Data: preview(p)})
	s.mu.Unlock()
}
