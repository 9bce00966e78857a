package interop

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"time"

	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/handshake"
	"github.com/wskit/wskit/spec"
	"github.com/wskit/wskit/vectors"
)

// runRequest sends a handshake.json request head (and its trailing bytes)
// to lib's server configured with the vector's policy, and compares the
// answer: 101 with the right Sec-WebSocket-Accept and subprotocol for an
// accept vector; any 4xx for a reject vector (RFC 6455 names its codes
// "such as", SCHEMA.md), with the fields the vector requires; silence for
// a head that is not finished.
func runRequest(lib Library, v vectors.RequestVector) Result {
	r := Result{Library: lib.Name, File: "handshake", ID: v.ID, Requirements: v.Requirements, Valid: v.Reject == nil}
	if !lib.Exact {
		switch p := v.Server; {
		case v.MaxHeadSize != 0:
			r.Verdict, r.Detail = NotApplicable, "no limit on the head size of its own"
			return r
		case p != nil && p.Resources != nil:
			r.Verdict, r.Detail = NotApplicable, "resource routing is the application's (net/http mux)"
			return r
		case p != nil && p.Extensions != nil:
			r.Verdict, r.Detail = NotApplicable, "no extension but permessage-deflate, which is off"
			return r
		}
	}
	srv, err := lib.Serve(Config{Policy: v.Server, MaxHeadSize: v.MaxHeadSize})
	if err != nil {
		r.Verdict, r.Detail = Crashes, err.Error()
		return r
	}
	defer srv.Stop()
	conn, err := net.DialTimeout("tcp", srv.Addr, hangTimeout)
	if err != nil {
		r.Verdict, r.Detail = Crashes, err.Error()
		return r
	}
	defer conn.Close()
	wait := hangTimeout
	if v.NeedMore {
		wait = 2 * settle
	}
	_ = conn.SetDeadline(time.Now().Add(wait))
	_, _ = conn.Write(append([]byte(v.Request), v.Trailing...))
	resp, _, err := readResponse(conn)
	r.Verdict, r.Detail = judgeRequest(v, resp, err)
	if r.Verdict == Conforms && len(v.Trailing) > 0 {
		r.Verdict, r.Detail = checkTrailing(v, srv)
	}
	return r
}

// judgeRequest compares the answer to a request head with the vector.
func judgeRequest(v vectors.RequestVector, resp *handshake.Response, err error) (Verdict, string) {
	timedOut := errors.Is(err, os.ErrDeadlineExceeded)
	switch {
	case v.NeedMore && timedOut:
		return Conforms, "waits for the rest of the head"
	case v.NeedMore && err != nil:
		return Differs, "closed the connection on an unfinished head"
	case v.NeedMore:
		return Differs, fmt.Sprintf("answered %d to an unfinished head", resp.Status)
	case timedOut:
		return Hangs, fmt.Sprintf("no answer within %v", hangTimeout)
	case err != nil && resp == nil && isEOF(err):
		if v.Accept != nil {
			return RejectsValid, "closed the connection without an answer"
		}
		return NoClose, "closed the connection without an HTTP answer"
	case err != nil:
		return WrongCode, "unreadable answer: " + oneLine(err.Error())
	}
	if v.Accept != nil {
		if resp.Status != 101 {
			return RejectsValid, fmt.Sprintf("answered %d", resp.Status)
		}
		req, _, err := handshake.ParseRequest([]byte(v.Request), 64<<10)
		if err != nil {
			return Differs, "vector: " + err.Error()
		}
		neg, err := handshake.VerifyResponse(req, resp)
		switch {
		case err != nil:
			return Differs, "invalid 101: " + oneLine(err.Error())
		case neg.Subprotocol != v.Accept.Subprotocol:
			return Differs, fmt.Sprintf("chose subprotocol %q, want %q", neg.Subprotocol, v.Accept.Subprotocol)
		case handshake.FormatExtensions(neg.Extensions) != v.Accept.Extensions:
			return Differs, fmt.Sprintf("accepted extensions %q, want %q", handshake.FormatExtensions(neg.Extensions), v.Accept.Extensions)
		}
		return Conforms, "101"
	}
	switch {
	case resp.Status == 101:
		return Lenient, "101 Switching Protocols"
	case resp.Status < 400 || resp.Status > 499:
		return WrongCode, fmt.Sprintf("answered %d, want %d", resp.Status, v.Reject.Status)
	}
	for _, f := range v.Reject.Header {
		if !hasValue(resp.Header.Values(f.Name), f.Value) {
			return Differs, fmt.Sprintf("answered %d without %s: %s", resp.Status, f.Name, f.Value)
		}
	}
	if resp.Status != v.Reject.Status {
		return Conforms, fmt.Sprintf("%d (wskit: %d)", resp.Status, v.Reject.Status)
	}
	return Conforms, fmt.Sprintf("%d", resp.Status)
}

// hasValue reports whether one of the field values lists want as a comma
// list element, case-insensitively.
func hasValue(values []string, want string) bool {
	for _, v := range values {
		for _, e := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(e), want) {
				return true
			}
		}
	}
	return false
}

// isEOF reports whether err means the server closed the connection.
func isEOF(err error) bool {
	var ne *net.OpError
	return err.Error() == "EOF" || errors.As(err, &ne)
}

// checkTrailing checks that a frame sent right after the head reached the
// application: the server must hand it to its frame decoder untouched.
func checkTrailing(v vectors.RequestVector, srv *Server) (Verdict, string) {
	var ep Endpoint
	select {
	case ep = <-srv.Accepted:
	case <-time.After(hangTimeout):
		return Hangs, "no connection reached the application"
	}
	defer ep.CloseTransport()
	want, err := decodeMessages(v.Trailing)
	if err != nil {
		return Differs, "vector: " + err.Error()
	}
	got := make(chan Message, 1)
	go func() {
		defer func() { _ = recover() }()
		if m, err := ep.Read(); err == nil {
			got <- m
		}
	}()
	select {
	case m := <-got:
		if !sameMessages([]Message{m}, want) {
			return Differs, "the first message is " + describeMessages([]Message{m})
		}
		return Conforms, "101, then the trailing frame delivered"
	case <-time.After(hangTimeout):
		return Hangs, "the frame sent after the head was not delivered"
	}
}

// decodeMessages decodes client frames into data events.
func decodeMessages(p []byte) ([]vectors.Event, error) {
	dec, err := codec.NewDecoder(codec.DecoderOptions{Role: codec.RoleServer})
	if err != nil {
		return nil, err
	}
	p = append([]byte(nil), p...)
	var out []vectors.Event
	var cur []byte
	for {
		ev, n, err := dec.Decode(p)
		p = p[n:]
		if err != nil {
			return nil, err
		}
		switch ev.Kind {
		case codec.EventNone:
			return out, nil
		case codec.EventMessageStart:
			cur = []byte{}
		case codec.EventPayload:
			cur = append(cur, ev.Data...)
		case codec.EventMessageEnd:
			kind := "binary"
			if ev.Opcode == spec.OpText {
				kind = "text"
			}
			out = append(out, vectors.Event{Kind: kind, Data: cur})
		}
	}
}
