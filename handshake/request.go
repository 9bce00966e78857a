package handshake

import (
	"strconv"
	"strings"

	"github.com/wskit/wskit/spec"
)

// A Request is the head of an HTTP request: the request line and the
// header fields. ParseRequest fills it from bytes received; NewRequest
// builds a client's opening handshake. Append writes it exactly as it is,
// valid or not, so a test can edit a built Request (say, to send
// "Upgrade: WebSocket" or drop the key) before writing it.
type Request struct {
	// Method is the request method, such as "GET"; methods are case
	// sensitive.
	Method string
	// Target is the request-target as sent, such as "/chat?room=1".
	Target string
	// Major and Minor are the HTTP version, 1 and 1 for HTTP/1.1.
	Major, Minor int
	// Header holds the header fields in wire order.
	Header Header
}

// ParseRequest reads a request head from the front of p. It returns the
// request and the size of the head, final empty line included: p[n:] are
// the bytes that followed the head, untouched (a client that sends frames
// early puts them there).
//
// If p is a proper prefix of a head that could still fit in maxSize bytes,
// ParseRequest returns nil, 0 and a nil error: call it again with more
// bytes. maxSize limits the whole head; 0 or less means
// DefaultMaxHeadSize. ParseRequest never reads past maxSize bytes of p,
// so any input gets an answer at a cost bounded by the limit. It keeps no
// state between calls and scans p from the start each time, so calling it
// again after every read costs time quadratic in the head size when a
// peer sends its head a few bytes at a time
// (BenchmarkParseRequestByteAtATime measures the worst case); a
// RequestReader reads a head arriving in pieces in linear time, with the
// same results.
//
// Every error is a *Rejection ready to be written: 400 for a head that
// breaks the HTTP/1.1 grammar (H-4.2.1-reject), 431 for a head larger than
// maxSize, 414 when the request line alone is too long, as RFC 9112
// section 3 requires (both H-10.4-limits). ParseRequest checks syntax
// only; (*Server).Accept checks the WebSocket rules.
func ParseRequest(p []byte, maxSize int) (req *Request, n int, err error) {
	s := newHeadScanner(maxSize, true)
	head := s.window(p)
	n, f := s.scan(head)
	if n == 0 && f == nil {
		return nil, 0, nil
	}
	if req, err = newRequest(head[:n], &s, f); err != nil {
		return nil, 0, err
	}
	return req, n, nil
}

// newRequest turns what a scanner found into ParseRequest's result: the
// Rejection for fault f, or the request whose complete head is head.
func newRequest(head []byte, s *headScanner, f *headFault) (*Request, error) {
	if f != nil {
		switch {
		case f.tooLarge && f.inStartLine && f.sawSP:
			// RFC 9112 section 3: an over-long request-target MUST get 414.
			return nil, reject(414, "H-10.4-limits", f.detail)
		case f.tooLarge && f.inStartLine:
			return nil, reject(400, "H-10.4-limits", f.detail+" (the method alone fills it)")
		case f.tooLarge:
			return nil, reject(431, "H-10.4-limits", f.detail)
		}
		// H-4.2.1-reject: any violation of the HTTP grammar gets 400.
		return nil, reject(400, "H-4.2.1-reject", f.detail)
	}
	h := buildHead(string(head), s.fields)
	req := &Request{Header: h.fields}
	parts := strings.Split(h.start, " ")
	if len(parts) != 3 {
		return nil, reject(400, "H-4.2.1-reject", "request line "+strconv.QuoteToASCII(h.start)+" is not method SP request-target SP HTTP-version")
	}
	req.Method, req.Target = parts[0], parts[1]
	if !isToken(req.Method) {
		return nil, reject(400, "H-4.2.1-reject", "method "+strconv.QuoteToASCII(req.Method)+" is not a token")
	}
	if _, ok := resourceOf(req.Target); !ok {
		return nil, reject(400, "H-4.2.1-reject", "request-target "+strconv.QuoteToASCII(req.Target)+" is neither origin-form (/path?query) nor an absolute http or https URI without fragment")
	}
	var ok bool
	if req.Major, req.Minor, ok = parseVersion(parts[2]); !ok {
		return nil, reject(400, "H-4.2.1-reject", "HTTP version "+strconv.QuoteToASCII(parts[2])+" is not HTTP/DIGIT.DIGIT")
	}
	return req, nil
}

// Resource returns the resource name the request asks for: the
// request-target itself in origin-form ("/chat?x=1"), or the path and
// query of an absolute http or https URI ("http://host/chat?x=1" gives
// "/chat?x=1", and an empty path gives "/"). It returns "" for any other
// target.
func (r *Request) Resource() string {
	s, _ := resourceOf(r.Target)
	return s
}

// resourceOf checks a request-target and returns its resource name.
// Targets are limited to visible ASCII without '#': a fragment never
// belongs in a request-target (RFC 9112 section 3.2, H-3-no-fragment).
func resourceOf(target string) (string, bool) {
	if target == "" {
		return "", false
	}
	for i := 0; i < len(target); i++ {
		if c := target[i]; c <= ' ' || c >= 0x7f || c == '#' {
			return "", false
		}
	}
	if target[0] == '/' {
		return target, true
	}
	// absolute-form, which RFC 9112 section 3.2.2 says a server MUST
	// accept; RFC 6455 section 4.1 allows only http and https here.
	colon := strings.Index(target, "://")
	if colon < 0 || !(equalFold(target[:colon], "http") || equalFold(target[:colon], "https")) {
		return "", false
	}
	rest := target[colon+3:]
	end := strings.IndexAny(rest, "/?")
	if end < 0 {
		end = len(rest)
	}
	if end == 0 || strings.IndexByte(rest[:end], '@') >= 0 {
		return "", false // no host, or userinfo
	}
	switch rest = rest[end:]; {
	case rest == "":
		return "/", true
	case rest[0] == '?':
		return "/" + rest, true
	}
	return rest, true
}

// IsWebSocket reports whether r asks to be upgraded to WebSocket: it is
// HTTP/1.1 or a later 1.x and its Upgrade field lists the token websocket. A
// server that also serves plain HTTP can use it to route requests; Accept
// still applies every rule. An HTTP/1.0 request never qualifies, because
// RFC 9110 section 7.8 says a server MUST ignore Upgrade in HTTP/1.0.
func (r *Request) IsWebSocket() bool {
	return r.Major == 1 && r.Minor >= 1 && hasToken(r.Header.Values(spec.HeaderUpgrade), spec.UpgradeToken)
}

// Append appends the request head to dst, final empty line included, and
// returns the extended slice. Fields are written as "Name: Value" exactly
// as stored, with no check: a Request edited by hand can produce an
// invalid head on purpose.
func (r *Request) Append(dst []byte) []byte {
	dst = append(dst, r.Method...)
	dst = append(dst, ' ')
	dst = append(dst, r.Target...)
	dst = append(dst, ' ')
	dst = appendVersion(dst, r.Major, r.Minor)
	dst = append(dst, "\r\n"...)
	dst = appendFields(dst, r.Header)
	return append(dst, "\r\n"...)
}
