package handshake

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/wskit/wskit/spec"
)

// A Server holds a server's handshake policy. The zero Server accepts
// every valid handshake: any Origin, any resource, no subprotocol and no
// extension.
type Server struct {
	// CheckOrigin, if not nil, decides whether to serve a request given
	// its Origin (req.Header.Get("Origin"), "" when absent; a missing
	// Origin does not mean the client is not a browser). Returning false
	// rejects the request with 403 (H-4.2.2-origin).
	CheckOrigin func(req *Request) bool
	// CheckResource, if not nil, reports whether the server serves a
	// resource name such as "/chat?room=1". Returning false rejects the
	// request with 404 (H-4.2.2-resource).
	CheckResource func(resource string) bool
	// SelectSubprotocol, if not nil, is called with the subprotocols the
	// client offered, in its order of preference, when it offered any.
	// It returns one of them, or "" to use none (H-4.2.2-subprotocol).
	SelectSubprotocol func(offered []string) string
	// NegotiateExtensions, if not nil, is called with the extensions the
	// client offered, in order, when it offered any. It returns the ones
	// the server will use, in the order they process data, each with the
	// parameters of the response; nil declines them all. It may return
	// only extensions that were offered (H-4.2.2-extensions). This is
	// where permessage-deflate plugs in: declining an offer, for whatever
	// reason, is never an HTTP error (RFC 7692 section 5).
	NegotiateExtensions func(offered []Extension) []Extension
	// Header holds extra fields for the 101 response, such as Server. It
	// may not hold the fields the handshake itself writes.
	Header Header
}

// An Acceptance is a server's positive answer to an opening handshake:
// what was agreed and the complete 101 response to write. After writing
// it the connection speaks WebSocket.
type Acceptance struct {
	Negotiated
	// Key is the client's Sec-WebSocket-Key as received.
	Key string
	// Response is the whole response head: "HTTP/1.1 101 Switching
	// Protocols", Upgrade: websocket, Connection: Upgrade,
	// Sec-WebSocket-Accept, then Sec-WebSocket-Protocol and
	// Sec-WebSocket-Extensions when something was agreed, each in exactly
	// one field, then the Server's extra fields.
	Response []byte
}

// Accept verifies req as a server must (RFC 6455 section 4.2.1) and, if
// it passes, negotiates with the policy of s and builds the 101 response
// (section 4.2.2). The checks run in this order; the first failure is
// returned as a *Rejection:
//
//   - method GET: else 405 with Allow: GET (H-4.2.1-method);
//   - HTTP/1.1 or a later 1.x: else 400 (H-4.2.1-http11);
//   - exactly one valid Host: else 400 (H-4.2.1-host);
//   - Upgrade lists websocket: else 400 (H-4.2.1-upgrade);
//   - Connection lists upgrade: else 400 (H-4.2.1-connection);
//   - no request content (Content-Length other than 0, or
//     Transfer-Encoding): else 400 (H-4.2.1-reject);
//   - exactly one Sec-WebSocket-Key (H-11.3.1-key-once), the padded base64
//     of 16 bytes (H-4.2.1-key): else 400;
//   - exactly one Sec-WebSocket-Version (H-11.3.5-version-once), equal to
//     13 (H-4.2.1-version): else 426 with Sec-WebSocket-Version: 13
//     (H-4.2.2-version-advertise, H-4.4-advertise-all);
//   - Sec-WebSocket-Protocol and Sec-WebSocket-Extensions parse: else 400
//     (H-4.2.1-protocol-grammar, H-9.1-ext-grammar);
//   - CheckOrigin: else 403; CheckResource: else 404.
//
// An error that is not a *Rejection means a hook of s broke a rule (it
// chose a subprotocol or an extension the client did not offer, or
// returned an extension that does not format to a valid list) or s.Header
// is invalid: a bug in the caller, to be answered with a 500 or by closing
// the connection.
func (s *Server) Accept(req *Request) (*Acceptance, error) {
	if s == nil {
		s = new(Server)
	}
	if rej := verifyRequest(req); rej != nil {
		return nil, rej
	}
	protocols, err := ParseProtocols(req.Header.Values(spec.HeaderProtocol)...)
	if err != nil {
		return nil, reject(400, "H-4.2.1-protocol-grammar", err.Error())
	}
	exts, err := ParseExtensions(req.Header.Values(spec.HeaderExtensions)...)
	if err != nil {
		return nil, reject(400, "H-9.1-ext-grammar", err.Error())
	}
	if s.CheckOrigin != nil && !s.CheckOrigin(req) {
		return nil, reject(403, "H-4.2.2-origin", "origin "+strconv.QuoteToASCII(req.Header.Get(spec.HeaderOrigin))+" is not allowed")
	}
	if s.CheckResource != nil && !s.CheckResource(req.Resource()) {
		return nil, reject(404, "H-4.2.2-resource", "no WebSocket service at "+strconv.QuoteToASCII(req.Resource()))
	}

	acc := &Acceptance{Key: req.Header.Get(spec.HeaderKey)}
	if len(protocols) > 0 && s.SelectSubprotocol != nil {
		// H-4.2.2-subprotocol: one of the client's names, or none.
		p := s.SelectSubprotocol(slices.Clone(protocols))
		if p != "" && !slices.Contains(protocols, p) {
			return nil, fmt.Errorf("handshake: SelectSubprotocol chose %q, which the client did not offer (H-4.2.2-subprotocol)", p)
		}
		acc.Subprotocol = p
	}
	if len(exts) > 0 && s.NegotiateExtensions != nil {
		// H-4.2.2-extensions: never an extension the client did not offer.
		chosen := s.NegotiateExtensions(exts)
		for _, e := range chosen {
			if !slices.ContainsFunc(exts, func(o Extension) bool { return o.Name == e.Name }) {
				return nil, fmt.Errorf("handshake: NegotiateExtensions chose %q, which the client did not offer (H-4.2.2-extensions)", e.Name)
			}
		}
		if err := checkExtensions(chosen); err != nil {
			return nil, fmt.Errorf("handshake: NegotiateExtensions: %w (H-9.1-ext-grammar)", err)
		}
		if len(chosen) > 0 {
			acc.Extensions = chosen
		}
	}
	if f, ok := checkFields(s.Header); !ok {
		return nil, fmt.Errorf("handshake: Server.Header field %q is not token \": \" field-value", f.Name+": "+f.Value)
	}
	for _, f := range s.Header {
		if isHandshakeField(f.Name) {
			return nil, fmt.Errorf("handshake: Server.Header may not set %s: the handshake writes it", f.Name)
		}
	}

	// H-4.2.2-101, H-4.2.2-upgrade, H-4.2.2-connection, H-4.2.2-accept,
	// and one field each for the accept, the subprotocol and the
	// extensions (H-11.3.3-accept-once, H-11.3.4-protocol-once,
	// H-11.3.2-extensions-once).
	b := make([]byte, 0, 160)
	b = appendStatusLine(b, 1, 1, 101, StatusText(101))
	b = append(b, "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "...)
	b = append(b, AcceptKey(acc.Key)...)
	b = append(b, "\r\n"...)
	if acc.Subprotocol != "" {
		b = appendFields(b, Header{{spec.HeaderProtocol, acc.Subprotocol}})
	}
	if len(acc.Extensions) > 0 {
		b = appendFields(b, Header{{spec.HeaderExtensions, FormatExtensions(acc.Extensions)}})
	}
	b = appendFields(b, s.Header)
	acc.Response = append(b, "\r\n"...)
	return acc, nil
}

// verifyRequest applies the request rules that need no policy.
func verifyRequest(req *Request) *Rejection {
	// H-4.2.1-method: methods are case-sensitive; RFC 9110 section 15.5.6
	// says a 405 MUST carry Allow.
	if req.Method != "GET" {
		return reject(405, "H-4.2.1-method", "method "+strconv.QuoteToASCII(req.Method)+" is not GET", Field{"Allow", "GET"})
	}
	// H-4.2.1-http11: HTTP/1.0 cannot upgrade (RFC 9110 section 7.8 says
	// to ignore its Upgrade field), and a major version other than 1 is
	// not HTTP/1.1 syntax. 505 would also fit the latter; every rejection
	// here is a 4xx.
	if req.Major != 1 || req.Minor < 1 {
		return reject(400, "H-4.2.1-http11", "HTTP/"+strconv.Itoa(req.Major)+"."+strconv.Itoa(req.Minor)+" cannot upgrade to WebSocket; use HTTP/1.1")
	}
	// H-4.2.1-host: RFC 9112 section 3.2 requires 400 for a missing,
	// repeated or invalid Host.
	if hosts := req.Header.Values(spec.HeaderHost); len(hosts) != 1 || !validHost(hosts[0]) {
		return reject(400, "H-4.2.1-host", strconv.Itoa(len(hosts))+" Host fields; want exactly one with a valid host[:port]")
	}
	// H-4.2.1-upgrade: a comma list containing websocket, in any case.
	if !hasToken(req.Header.Values(spec.HeaderUpgrade), spec.UpgradeToken) {
		return reject(400, "H-4.2.1-upgrade", "Upgrade does not list websocket")
	}
	// H-4.2.1-connection: a comma list, over any number of lines,
	// containing upgrade in any case.
	if !hasToken(req.Header.Values(spec.HeaderConnection), "upgrade") {
		return reject(400, "H-4.2.1-connection", "Connection does not list Upgrade")
	}
	// A GET upgrade carries no content: with content, the bytes after the
	// head would be both body and frames. H-4.2.1-reject covers it.
	for _, v := range req.Header.Values("Content-Length") {
		if v != "0" {
			return reject(400, "H-4.2.1-reject", "a handshake request has no content (Content-Length: "+strconv.QuoteToASCII(v)+")")
		}
	}
	if req.Header.count("Transfer-Encoding") > 0 {
		return reject(400, "H-4.2.1-reject", "a handshake request has no content (Transfer-Encoding)")
	}
	// H-11.3.1-key-once, then H-4.2.1-key.
	switch keys := req.Header.Values(spec.HeaderKey); {
	case len(keys) > 1:
		return reject(400, "H-11.3.1-key-once", strconv.Itoa(len(keys))+" Sec-WebSocket-Key fields")
	case len(keys) == 0:
		return reject(400, "H-4.2.1-key", "no Sec-WebSocket-Key")
	case !validKey(keys[0]):
		return reject(400, "H-4.2.1-key", "Sec-WebSocket-Key "+strconv.QuoteToASCII(keys[0])+" is not the padded base64 of 16 bytes")
	}
	// H-11.3.5-version-once, then H-4.2.1-version. The 426 answer carries
	// every version served (H-4.2.2-version-advertise, H-4.4-advertise-all)
	// and, as RFC 9110 section 15.5.22 requires of a 426, Upgrade.
	versionRejection := func(requirement, detail string) *Rejection {
		return &Rejection{Status: 426, Requirement: requirement, Detail: detail, Header: Header{
			{spec.HeaderVersion, spec.Version},
			{spec.HeaderUpgrade, spec.UpgradeToken},
			{spec.HeaderConnection, "Upgrade, close"},
		}}
	}
	switch vs := req.Header.Values(spec.HeaderVersion); {
	case len(vs) > 1:
		return versionRejection("H-11.3.5-version-once", strconv.Itoa(len(vs))+" Sec-WebSocket-Version fields")
	case len(vs) == 0:
		return versionRejection("H-4.2.1-version", "no Sec-WebSocket-Version")
	case !validVersionNumber(vs[0]):
		return versionRejection("H-4.2.1-version", "Sec-WebSocket-Version "+strconv.QuoteToASCII(vs[0])+" is not a version (a decimal 0-255 without leading zeros)")
	case vs[0] != spec.Version:
		return versionRejection("H-4.2.1-version", "Sec-WebSocket-Version "+vs[0]+" is not supported")
	}
	return nil
}

// validKey reports whether k is base64 that decodes to exactly 16 bytes:
// 22 characters of the standard alphabet then "==". The last character's
// 4 unused bits are not checked: RFC 6455's own section 4.1 example,
// AQIDBAUGBwgJCgsMDQ4PEC==, sets them, and the key is only ever hashed
// as a string.
func validKey(k string) bool {
	if len(k) != 24 || k[22:] != "==" {
		return false
	}
	// The decoder refuses bytes outside the alphabet. It skips CR and LF,
	// but with the length fixed at 24 and "==" last, skipping any would
	// leave too few characters for 16 bytes.
	var buf [18]byte
	n, err := base64.StdEncoding.Decode(buf[:], []byte(k))
	return err == nil && n == 16
}

// validVersionNumber reports whether v is a version per RFC 6455 section
// 4.3: a decimal without leading zeros, at most 255. The ABNF's "2" DIGIT
// DIGIT branch would let 256-299 through; its comment says 0-255, and the
// range is checked.
func validVersionNumber(v string) bool {
	if v == "" || len(v) > 3 || (v[0] == '0' && len(v) > 1) {
		return false
	}
	n := 0
	for i := 0; i < len(v); i++ {
		if !isDigit(v[i]) {
			return false
		}
		n = n*10 + int(v[i]-'0')
	}
	return n <= 255
}

// validHost reports whether v is a valid Host value: uri-host [":" port]
// (RFC 9112 section 3.2, RFC 3986 section 3.2.2), with a non-empty host.
func validHost(v string) bool {
	host, port := v, ""
	if len(v) > 0 && v[0] == '[' {
		end := 0
		for end < len(v) && v[end] != ']' {
			end++
		}
		if end == len(v) || !validIPLiteral(v[1:end]) {
			return false
		}
		host, port = v[:end+1], v[end+1:]
		if port != "" && port[0] != ':' {
			return false
		}
	} else if i := strings.LastIndexByte(v, ':'); i >= 0 {
		host, port = v[:i], v[i:]
	}
	if port != "" {
		for i := 1; i < len(port); i++ {
			if !isDigit(port[i]) {
				return false
			}
		}
	}
	if host == "" {
		return false
	}
	if host[0] == '[' {
		return true
	}
	// reg-name or IPv4: unreserved / pct-encoded / sub-delims.
	for i := 0; i < len(host); i++ {
		switch c := host[i]; {
		case isUnreservedOrSubDelim(c):
		case c == '%' && i+2 < len(host) && isHex(host[i+1]) && isHex(host[i+2]):
			i += 2
		default:
			return false
		}
	}
	return true
}

// validIPLiteral checks the inside of an IP-literal (RFC 3986 section
// 3.2.2) loosely: an IPv6 address made of hex digits, colons and dots
// (for a trailing IPv4 part), or an IPvFuture "v" HEXDIG "." followed by
// unreserved, sub-delims or colon characters.
func validIPLiteral(s string) bool {
	if len(s) > 1 && lower(s[0]) == 'v' {
		dot := strings.IndexByte(s, '.')
		if dot < 2 || dot == len(s)-1 {
			return false
		}
		for i := 1; i < dot; i++ {
			if !isHex(s[i]) {
				return false
			}
		}
		for i := dot + 1; i < len(s); i++ {
			if c := s[i]; !(isUnreservedOrSubDelim(c) || c == ':') {
				return false
			}
		}
		return true
	}
	if len(s) < 2 || strings.IndexByte(s, ':') < 0 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(isHex(c) || c == ':' || c == '.') {
			return false
		}
	}
	return true
}

// isUnreservedOrSubDelim reports whether c is an unreserved or sub-delims
// character of RFC 3986.
func isUnreservedOrSubDelim(c byte) bool {
	switch {
	case 'a' <= lower(c) && lower(c) <= 'z', isDigit(c):
		return true
	case c == '-' || c == '.' || c == '_' || c == '~':
		return true
	}
	return strings.IndexByte("!$&'()*+,;=", c) >= 0
}

func isHex(c byte) bool { return isDigit(c) || 'a' <= lower(c) && lower(c) <= 'f' }

// isHandshakeField reports whether name is a field the handshake itself
// writes in a response.
func isHandshakeField(name string) bool {
	for _, n := range []string{spec.HeaderUpgrade, spec.HeaderConnection, spec.HeaderAccept, spec.HeaderProtocol, spec.HeaderExtensions, "Content-Length", "Transfer-Encoding"} {
		if equalFold(name, n) {
			return true
		}
	}
	return false
}
