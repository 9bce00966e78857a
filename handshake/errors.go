package handshake

import (
	"strconv"
)

// A Rejection is a server's refusal of an opening handshake: the HTTP
// status to answer with, the header fields that answer must carry, the ID
// of the rule the request broke (package spec) and a detail for people.
// Every error ParseRequest and (*Server).Accept return for a bad request is
// a *Rejection, and Response gives the bytes to write before closing the
// connection (H-4.2.1-reject, H-10.7-http-status).
//
// Callers may build their own, for instance a 401 with WWW-Authenticate or
// a redirect with Location (H-4.2.2-auth/redirect).
type Rejection struct {
	// Status is the HTTP status code, such as 400, 405 or 426.
	Status int
	// Header lists the fields of the response. Rejections made by this
	// package carry what their status requires (Allow: GET on a 405;
	// Sec-WebSocket-Version: 13 and Upgrade on a 426) and Connection:
	// close, because bytes a client sent after a refused head cannot be
	// trusted to be anything.
	Header Header
	// Requirement is the ID of the rule broken, such as "H-4.2.1-key".
	Requirement string
	// Detail says what was wrong. It quotes peer bytes with
	// strconv.QuoteToASCII, so it is safe to send back as the body.
	Detail string
}

// Error returns a message such as
// "handshake: rejected with 400 Bad Request (H-4.2.1-key): ...".
func (r *Rejection) Error() string {
	s := "handshake: rejected with " + strconv.Itoa(r.Status) + " " + StatusText(r.Status) + " (" + r.Requirement + ")"
	if r.Detail != "" {
		s += ": " + r.Detail
	}
	return s
}

// Is reports whether target is a *Rejection with the same Status and, when
// target's Requirement is not empty, the same Requirement, so that
//
//	errors.Is(err, &handshake.Rejection{Status: 426})
//
// asks whether err answers with 426.
func (r *Rejection) Is(target error) bool {
	t, ok := target.(*Rejection)
	return ok && t.Status == r.Status && (t.Requirement == "" || t.Requirement == r.Requirement)
}

// Response returns the complete HTTP/1.1 response: the status line, the
// fields of Header as they are, Content-Type and Content-Length, and a
// plain-text body naming the requirement and the detail. The result is a
// new slice.
func (r *Rejection) Response() []byte {
	return r.AppendResponse(nil)
}

// AppendResponse appends what Response returns to dst and returns the
// extended slice.
func (r *Rejection) AppendResponse(dst []byte) []byte {
	body := r.Requirement
	if r.Detail != "" {
		if body != "" {
			body += ": "
		}
		body += r.Detail
	}
	if body != "" {
		body += "\n"
	}
	dst = appendStatusLine(dst, 1, 1, r.Status, StatusText(r.Status))
	dst = appendFields(dst, r.Header)
	if body != "" {
		dst = append(dst, "Content-Type: text/plain; charset=utf-8\r\n"...)
	}
	dst = append(dst, "Content-Length: "...)
	dst = strconv.AppendInt(dst, int64(len(body)), 10)
	dst = append(dst, "\r\n\r\n"...)
	return append(dst, body...)
}

// reject builds a Rejection with Connection: close and the given extra
// fields.
func reject(status int, requirement, detail string, fields ...Field) *Rejection {
	h := append(Header(fields), Field{"Connection", "close"})
	return &Rejection{Status: status, Header: h, Requirement: requirement, Detail: detail}
}

// A ResponseError reports a server response that does not complete the
// opening handshake. Status is the status code received (0 when the
// status line itself could not be read); for any status other than 101
// the Requirement is H-4.1-resp-status and the caller may handle the
// response as ordinary HTTP (authenticate after a 401, follow a 3xx). For
// a 101 that breaks a rule, the client must fail the connection.
type ResponseError struct {
	// Status is the response's status code, or 0.
	Status int
	// Requirement is the ID of the client rule that fails the handshake,
	// such as "H-4.1-resp-accept".
	Requirement string
	// Detail says what was wrong.
	Detail string
}

// Error returns a message such as
// "handshake: response 101 fails H-4.1-resp-accept: ...".
func (e *ResponseError) Error() string {
	s := "handshake: response"
	if e.Status != 0 {
		s += " " + strconv.Itoa(e.Status)
	}
	s += " fails " + e.Requirement
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// Is reports whether target is a *ResponseError whose non-zero fields
// (Status, Requirement) match e's.
func (e *ResponseError) Is(target error) bool {
	t, ok := target.(*ResponseError)
	return ok && (t.Status == 0 || t.Status == e.Status) && (t.Requirement == "" || t.Requirement == e.Requirement)
}

// A RequestError reports a request a client must not send, found before
// sending it: a URL that is not a valid ws or wss URI, or options that
// break a client rule, such as a duplicated subprotocol.
type RequestError struct {
	// Requirement is the ID of the client rule, such as "H-3-no-fragment".
	Requirement string
	// Detail says what was wrong.
	Detail string
}

// Error returns a message such as
// "handshake: cannot build request (H-3-no-fragment): ...".
func (e *RequestError) Error() string {
	return "handshake: cannot build request (" + e.Requirement + "): " + e.Detail
}

// A SyntaxError reports a header field value that does not match its
// grammar: Sec-WebSocket-Extensions (H-9.1-ext-grammar) or
// Sec-WebSocket-Protocol (H-4.2.1-protocol-grammar).
type SyntaxError struct {
	// Field is the header field name, such as "Sec-WebSocket-Extensions".
	Field string
	// Requirement is the ID of the grammar rule.
	Requirement string
	// Line is the index of the field line (0 for the first) and Offset
	// the byte offset in it where the value stopped matching.
	Line, Offset int
	// Detail says what was expected.
	Detail string
}

// Error returns a message such as
// "handshake: Sec-WebSocket-Extensions line 0 byte 4 (H-9.1-ext-grammar): ...".
func (e *SyntaxError) Error() string {
	return "handshake: " + e.Field + " line " + strconv.Itoa(e.Line) + " byte " + strconv.Itoa(e.Offset) +
		" (" + e.Requirement + "): " + e.Detail
}

// StatusText returns the reason phrase this package writes for an HTTP
// status code, or "Status" for a code it does not know; it never returns
// "", so a status line built with it always has a reason phrase.
func StatusText(code int) string {
	switch code {
	case 101:
		return "Switching Protocols"
	case 200:
		return "OK"
	case 301:
		return "Moved Permanently"
	case 302:
		return "Found"
	case 303:
		return "See Other"
	case 307:
		return "Temporary Redirect"
	case 308:
		return "Permanent Redirect"
	case 400:
		return "Bad Request"
	case 401:
		return "Unauthorized"
	case 403:
		return "Forbidden"
	case 404:
		return "Not Found"
	case 405:
		return "Method Not Allowed"
	case 414:
		return "URI Too Long"
	case 426:
		return "Upgrade Required"
	case 429:
		return "Too Many Requests"
	case 431:
		return "Request Header Fields Too Large"
	case 500:
		return "Internal Server Error"
	case 503:
		return "Service Unavailable"
	}
	return "Status"
}
