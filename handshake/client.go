package handshake

import (
	"encoding/base64"
	"slices"
	"strconv"

	"github.com/wskit/wskit/spec"
)

// RequestOptions are the optional parts of a client's opening handshake.
type RequestOptions struct {
	// Subprotocols are offered in order of preference; each must be a
	// token and none may repeat (H-4.1-req-protocols).
	Subprotocols []string
	// Extensions are offered in order of preference, several offers of the
	// same extension included (RFC 7692 section 5).
	Extensions []Extension
	// Header holds extra fields, such as Origin or User-Agent. A field
	// whose name is one NewRequest writes (Host, Upgrade, Connection, the
	// Sec-WebSocket-* fields) replaces that field in place, so a test can
	// send "Upgrade: WebSocket"; any other field, and a second field of a
	// replaced name, is appended in order.
	Header Header
}

// Negotiated is what an opening handshake agreed on: the Subprotocol In
// Use ("" for none) and the Extensions In Use, in the order the server
// listed them, which is the order they process data (RFC 6455 section 9.1).
type Negotiated struct {
	Subprotocol string
	Extensions  []Extension
}

// NewRequest builds the opening handshake a client sends to rawURL
// (RFC 6455 section 4.1): GET of the resource name over HTTP/1.1
// (H-4.1-req-http, H-4.1-req-target), Host with the port when it is not
// the default (H-4.1-req-host), Upgrade: websocket, Connection: Upgrade
// (H-4.1-req-upgrade, H-4.1-req-connection), Sec-WebSocket-Key, the
// padded base64 of nonce (H-4.1-req-key), Sec-WebSocket-Version: 13
// (H-4.1-req-version), then the offered subprotocols and extensions, each
// in one field, then the extra fields.
//
// nonce must be 16 bytes chosen at random for this connection alone; read
// them from crypto/rand.Reader. NewRequest does no I/O and never draws
// randomness itself.
//
// The errors are *RequestError values: an invalid URL (H-3-uri-valid,
// H-3-no-fragment), a subprotocol that is not a token or repeats
// (H-4.1-req-protocols), an extension that does not format to a valid
// list (H-9.1-ext-grammar), or an extra field that could not be written
// as a valid field line (H-4.1-req-http).
func NewRequest(rawURL string, nonce [16]byte, opts RequestOptions) (*Request, error) {
	u, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	for i, p := range opts.Subprotocols {
		if !isToken(p) || slices.Contains(opts.Subprotocols[:i], p) {
			return nil, &RequestError{Requirement: "H-4.1-req-protocols", Detail: "subprotocol " + strconv.QuoteToASCII(p) + " is not a token or is offered twice"}
		}
	}
	if err := checkExtensions(opts.Extensions); err != nil {
		return nil, &RequestError{Requirement: "H-9.1-ext-grammar", Detail: err.Error()}
	}
	if f, ok := checkFields(opts.Header); !ok {
		return nil, &RequestError{Requirement: "H-4.1-req-http", Detail: "extra field " + strconv.QuoteToASCII(f.Name+": "+f.Value) + " is not token \": \" field-value"}
	}
	h := Header{
		{spec.HeaderHost, u.HostHeader()},
		{spec.HeaderUpgrade, spec.UpgradeToken},
		{spec.HeaderConnection, "Upgrade"},
		{spec.HeaderKey, base64.StdEncoding.EncodeToString(nonce[:])},
		{spec.HeaderVersion, spec.Version},
	}
	if len(opts.Subprotocols) > 0 {
		h = append(h, Field{spec.HeaderProtocol, FormatProtocols(opts.Subprotocols)})
	}
	if len(opts.Extensions) > 0 {
		h = append(h, Field{spec.HeaderExtensions, FormatExtensions(opts.Extensions)})
	}
	builtIn := len(h)
	replaced := make([]bool, builtIn)
next:
	for _, f := range opts.Header {
		for i := range builtIn {
			if !replaced[i] && equalFold(h[i].Name, f.Name) {
				h[i], replaced[i] = f, true
				continue next
			}
		}
		h = append(h, f)
	}
	return &Request{Method: "GET", Target: u.Resource, Major: 1, Minor: 1, Header: h}, nil
}

// VerifyResponse checks a server's response to req as a client must
// (RFC 6455 section 4.1) and returns what was agreed. The key, the
// subprotocols and the extensions offered are read from req itself, so
// req is the request exactly as sent.
//
// Every error is a *ResponseError:
//
//   - a status other than 101: H-4.1-resp-status, with Status set; the
//     handshake is over and resp is an ordinary HTTP response;
//   - a version other than HTTP/1.1 or later, a Content-Length or
//     Transfer-Encoding field (RFC 9110 and 9112 forbid both in a 1xx):
//     H-4.1-resp-conform;
//   - Upgrade that is not exactly the one token websocket in any case:
//     H-4.1-resp-upgrade;
//   - Connection without the token upgrade: H-4.1-resp-connection;
//   - Sec-WebSocket-Accept missing, repeated, or not exactly
//     AcceptKey(key): H-4.1-resp-accept;
//   - Sec-WebSocket-Extensions that does not parse or names an extension
//     req did not offer: H-4.1-resp-extensions. Several field lines are
//     merged in order (see the package documentation);
//   - Sec-WebSocket-Protocol repeated, empty, a list, or a name req did
//     not offer: H-4.1-resp-subprotocol.
//
// VerifyResponse checks the rules of RFC 6455 only: an extension's own
// rules on its response parameters (RFC 7692's D-7-client-fail) are for
// the caller to apply to the result.
func VerifyResponse(req *Request, resp *Response) (Negotiated, error) {
	fail := func(requirement, detail string) (Negotiated, error) {
		return Negotiated{}, &ResponseError{Status: resp.Status, Requirement: requirement, Detail: detail}
	}
	if resp.Status != 101 {
		return fail("H-4.1-resp-status", "the server answered "+strconv.Itoa(resp.Status)+" "+strconv.QuoteToASCII(resp.Reason)+", not 101 Switching Protocols")
	}
	if resp.Major != 1 || resp.Minor < 1 {
		return fail("H-4.1-resp-conform", "a 101 response must be HTTP/1.1 or a later 1.x, not HTTP/"+strconv.Itoa(resp.Major)+"."+strconv.Itoa(resp.Minor))
	}
	if resp.Header.count("Content-Length") > 0 || resp.Header.count("Transfer-Encoding") > 0 {
		return fail("H-4.1-resp-conform", "a 101 response carries no Content-Length or Transfer-Encoding (RFC 9110 section 8.6, RFC 9112 section 6.1)")
	}
	// H-4.1-resp-upgrade: the response's Upgrade must be websocket, not a
	// list that merely contains it.
	if up := listElements(resp.Header.Values(spec.HeaderUpgrade)); len(up) != 1 || !equalFold(up[0], spec.UpgradeToken) {
		return fail("H-4.1-resp-upgrade", "Upgrade is "+strconv.QuoteToASCII(resp.Header.Get(spec.HeaderUpgrade))+", want websocket")
	}
	// H-4.1-resp-connection.
	if !hasToken(resp.Header.Values(spec.HeaderConnection), "upgrade") {
		return fail("H-4.1-resp-connection", "Connection lacks the token Upgrade")
	}
	// H-4.1-resp-accept: exactly one field, compared case-sensitively
	// (H-11.3.3-accept-once binds the server).
	accepts := resp.Header.Values(spec.HeaderAccept)
	if len(accepts) != 1 {
		return fail("H-4.1-resp-accept", strconv.Itoa(len(accepts))+" Sec-WebSocket-Accept fields, want exactly 1")
	}
	if want := AcceptKey(req.Header.Get(spec.HeaderKey)); accepts[0] != want {
		return fail("H-4.1-resp-accept", "Sec-WebSocket-Accept is "+strconv.QuoteToASCII(accepts[0])+", want "+want)
	}
	var n Negotiated
	// H-4.1-resp-extensions.
	if lines := resp.Header.Values(spec.HeaderExtensions); lines != nil {
		exts, err := ParseExtensions(lines...)
		if err != nil {
			return fail("H-4.1-resp-extensions", err.Error())
		}
		offered, _ := ParseExtensions(req.Header.Values(spec.HeaderExtensions)...)
		for _, e := range exts {
			if !slices.ContainsFunc(offered, func(o Extension) bool { return o.Name == e.Name }) {
				return fail("H-4.1-resp-extensions", "the server accepted extension "+strconv.Quote(e.Name)+", which was not offered")
			}
		}
		n.Extensions = exts
	}
	// H-4.1-resp-subprotocol (H-11.3.4-protocol-once binds the server).
	if protos := resp.Header.Values(spec.HeaderProtocol); protos != nil {
		if len(protos) != 1 || !isToken(protos[0]) {
			return fail("H-4.1-resp-subprotocol", "the response must name exactly one subprotocol, a token")
		}
		offered, _ := ParseProtocols(req.Header.Values(spec.HeaderProtocol)...)
		if !slices.Contains(offered, protos[0]) {
			return fail("H-4.1-resp-subprotocol", "the server chose subprotocol "+strconv.Quote(protos[0])+", which was not offered")
		}
		n.Subprotocol = protos[0]
	}
	return n, nil
}
