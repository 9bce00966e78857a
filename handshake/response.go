package handshake

import (
	"strconv"
	"strings"
)

// A Response is the head of an HTTP response: the status line and the
// header fields. ParseResponse fills it from bytes received.
type Response struct {
	// Major and Minor are the HTTP version, 1 and 1 for HTTP/1.1.
	Major, Minor int
	// Status is the three-digit status code, such as 101.
	Status int
	// Reason is the reason phrase, such as "Switching Protocols"; clients
	// ignore it.
	Reason string
	// Header holds the header fields in wire order. Folded lines
	// (obs-fold) have been joined with a single space.
	Header Header
}

// ParseResponse reads a response head from the front of p. It returns the
// response and the size of the head, final empty line included: p[n:] are
// the bytes that followed the head, untouched (after a 101 they are the
// server's first frames).
//
// If p is a proper prefix of a head that could still fit in maxSize bytes,
// ParseResponse returns nil, 0 and a nil error: call it again with more
// bytes. maxSize limits the whole head; 0 or less means
// DefaultMaxHeadSize. A ResponseReader reads a head arriving in pieces
// without scanning any byte twice, with the same results.
//
// Every error is a *ResponseError: H-10.4-limits for a head larger than
// maxSize, H-4.1-resp-conform for one that breaks the HTTP/1.1 grammar.
// ParseResponse checks syntax only; VerifyResponse checks the WebSocket
// rules.
func ParseResponse(p []byte, maxSize int) (resp *Response, n int, err error) {
	s := newHeadScanner(maxSize, false)
	head := s.window(p)
	n, f := s.scan(head)
	if n == 0 && f == nil {
		return nil, 0, nil
	}
	if resp, err = newResponse(head[:n], &s, f); err != nil {
		return nil, 0, err
	}
	return resp, n, nil
}

// newResponse turns what a scanner found into ParseResponse's result: the
// ResponseError for fault f, or the response whose complete head is head.
func newResponse(head []byte, s *headScanner, f *headFault) (*Response, error) {
	if f != nil {
		if f.tooLarge {
			return nil, &ResponseError{Requirement: "H-10.4-limits", Detail: f.detail}
		}
		return nil, &ResponseError{Requirement: "H-4.1-resp-conform", Detail: f.detail}
	}
	h := buildHead(string(head), s.fields)
	// status-line = HTTP-version SP status-code SP [ reason-phrase ]
	// (RFC 9112 section 4); the second SP is required even with no reason.
	resp := &Response{Header: h.fields}
	version, rest, ok1 := strings.Cut(h.start, " ")
	code, reason, ok2 := strings.Cut(rest, " ")
	var ok bool
	resp.Major, resp.Minor, ok = parseVersion(version)
	if !ok1 || !ok2 || !ok || len(code) != 3 || !isDigit(code[0]) || !isDigit(code[1]) || !isDigit(code[2]) {
		return nil, &ResponseError{Requirement: "H-4.1-resp-conform",
			Detail: "status line " + strconv.QuoteToASCII(h.start) + " is not HTTP-version SP 3DIGIT SP reason-phrase"}
	}
	resp.Status, _ = strconv.Atoi(code)
	resp.Reason = reason
	return resp, nil
}

// Append appends the response head to dst, final empty line included, and
// returns the extended slice. Fields are written exactly as stored, with
// no check.
func (r *Response) Append(dst []byte) []byte {
	dst = appendStatusLine(dst, r.Major, r.Minor, r.Status, r.Reason)
	dst = appendFields(dst, r.Header)
	return append(dst, "\r\n"...)
}

// appendStatusLine appends "HTTP/major.minor status reason\r\n".
func appendStatusLine(dst []byte, major, minor, status int, reason string) []byte {
	dst = appendVersion(dst, major, minor)
	dst = append(dst, ' ')
	if 0 <= status && status < 100 {
		dst = append(dst, '0')
		if status < 10 {
			dst = append(dst, '0')
		}
	}
	dst = strconv.AppendInt(dst, int64(status), 10)
	dst = append(dst, ' ')
	dst = append(dst, reason...)
	return append(dst, "\r\n"...)
}
