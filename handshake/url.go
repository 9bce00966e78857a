package handshake

import (
	"net/url"
	"strconv"
	"strings"
)

// A URL is a ws or wss URI split into what a client needs to connect and
// to build its request (RFC 6455 section 3):
//
//	ws-URI  = "ws:" "//" host [ ":" port ] path [ "?" query ]
//	wss-URI = "wss:" "//" host [ ":" port ] path [ "?" query ]
type URL struct {
	// Secure is true for wss: the connection must use TLS, which is the
	// caller's business.
	Secure bool
	// Host is the host as the URI spells it, IPv6 literals in brackets.
	Host string
	// Port is the port given, or the default: 80 for ws, 443 for wss.
	Port int
	// Resource is the resource name: the path ("/" if empty), then "?"
	// and the query if the query is not empty.
	Resource string
}

// ParseURL checks that raw is a valid ws or wss URI (H-3-uri-valid): the
// scheme is ws or wss in any case, there is a host, no user information,
// a port from 1 to 65535 if any, and no fragment, not even an empty one,
// since a WebSocket URI never has one and '#' must be written as %23
// (H-3-no-fragment). Every error is a *RequestError.
func ParseURL(raw string) (*URL, error) {
	fail := func(req, detail string) (*URL, error) {
		return nil, &RequestError{Requirement: req, Detail: strconv.QuoteToASCII(raw) + ": " + detail}
	}
	if strings.IndexByte(raw, '#') >= 0 {
		return fail("H-3-no-fragment", "a WebSocket URI has no fragment; write a literal '#' as %23")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fail("H-3-uri-valid", err.Error())
	}
	var w URL
	switch {
	case equalFold(u.Scheme, "ws"):
		w.Port = 80
	case equalFold(u.Scheme, "wss"):
		w.Secure, w.Port = true, 443
	default:
		return fail("H-3-uri-valid", "the scheme must be ws or wss")
	}
	if u.Opaque != "" || u.Host == "" {
		return fail("H-3-uri-valid", "no host: the URI must start with ws:// or wss://")
	}
	if u.User != nil {
		return fail("H-3-uri-valid", "a WebSocket URI has no user information")
	}
	w.Host = u.Host
	if p := u.Port(); p != "" || strings.HasSuffix(u.Host, ":") {
		w.Host = u.Host[:strings.LastIndexByte(u.Host, ':')]
		if p != "" {
			n, err := strconv.Atoi(p)
			if err != nil || n < 1 || n > 65535 {
				return fail("H-3-uri-valid", "port "+p+" is not in 1-65535")
			}
			w.Port = n
		}
	}
	if w.Host == "" || w.Host == "[]" {
		return fail("H-3-uri-valid", "empty host")
	}
	for i := 0; i < len(w.Host); i++ {
		if c := w.Host[i]; c <= ' ' || c >= 0x7f {
			return fail("H-3-uri-valid", "the host must be ASCII (convert an international name to its A-label first)")
		}
	}
	w.Resource = u.EscapedPath()
	if w.Resource == "" {
		w.Resource = "/"
	}
	if u.RawQuery != "" {
		w.Resource += "?" + escapeQuery(u.RawQuery)
	}
	return &w, nil
}

// escapeQuery percent-encodes the bytes of a raw query that may not
// appear in a request-target (spaces, non-ASCII), leaving the rest, and
// any existing escapes, as they are.
func escapeQuery(q string) string {
	const hex = "0123456789ABCDEF"
	var b []byte
	for i := 0; i < len(q); i++ {
		if c := q[i]; c <= ' ' || c >= 0x7f {
			if b == nil {
				b = append(b, q[:i]...)
			}
			b = append(b, '%', hex[c>>4], hex[c&15])
		} else if b != nil {
			b = append(b, c)
		}
	}
	if b == nil {
		return q
	}
	return string(b)
}

// Addr returns the host and port to connect to, in the form net.Dial
// takes: "example.com:80", "[::1]:9001".
func (u *URL) Addr() string {
	return u.Host + ":" + strconv.Itoa(u.Port)
}

// HostHeader returns the Host field value for the request: the host, plus
// ":port" when the port is not the scheme's default (H-4.1-req-host).
func (u *URL) HostHeader() string {
	if u.Secure && u.Port == 443 || !u.Secure && u.Port == 80 {
		return u.Host
	}
	return u.Addr()
}
