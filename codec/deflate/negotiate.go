// Negotiation (RFC 7692 sections 5 and 7). The server walks the client's
// offers in order and accepts the first valid one, adjusted to its
// policy; it declines the invalid ones, which is never an HTTP error. The
// client checks that the one element the server returned answers one of
// its offers.
//
// ServerOptions.Negotiate has the server's answers, parameter by
// parameter; "Window bits" in the package documentation says why every
// window size is accepted.

package deflate

import (
	"strconv"
	"strings"

	"github.com/wskit/wskit/handshake"
)

// ServerOptions is a server's permessage-deflate policy. The zero value
// accepts the first valid offer with context takeover both ways (unless
// the offer asks otherwise) and compresses at flate.BestSpeed.
type ServerOptions struct {
	// Level is the compression level for messages the server sends: a
	// compress/flate level from flate.HuffmanOnly (-2) to
	// flate.BestCompression (9), except flate.NoCompression (0); 0 means
	// flate.BestSpeed.
	Level int
	// ServerNoContextTakeover adds server_no_context_takeover to every
	// response: the server compresses each message with a fresh window,
	// so the client may drop its inflate window between messages.
	ServerNoContextTakeover bool
	// ClientNoContextTakeover adds client_no_context_takeover to every
	// response: the client must compress each message with a fresh
	// window.
	ClientNoContextTakeover bool
	// ClientMaxWindowBits, 8-15, limits the client's window when its
	// offer says it supports client_max_window_bits; 0 leaves it alone.
	// The server's Decompressor then fails any reference further back
	// (1007). zlib cannot compress with a window of 8 bits, and clients
	// built on it may use 9 when asked for 8: prefer 9 or more.
	ClientMaxWindowBits int
	// Pool, if not nil, lends compress/flate writers to connections
	// that compress without context takeover, so that an idle
	// connection holds none (see WriterPool).
	Pool WriterPool
	// MinSize: whole messages shorter than this many bytes are sent
	// uncompressed (see Compressor.SetMinSize); 0 compresses them all.
	MinSize int
}

// Negotiate picks the client's first valid permessage-deflate offer from
// offered, in order, and returns the response element for it and the
// parameters both ends then use (D-5-use-agreed). Invalid offers are
// declined (skipped, D-7-server-decline); ok is false when none is
// valid, and the server then answers without permessage-deflate, which is
// not an error (D-5-accept). Elements of other extensions are ignored.
//
// The answer, parameter by parameter:
//
//	offer                          response
//	server_no_context_takeover     echoed; the compressor resets before every message
//	server_max_window_bits=N       server_max_window_bits=N, 8 included (below 15 the
//	                               compressor resets every 2^N bytes: see the package documentation)
//	client_max_window_bits         omitted, or ServerOptions.ClientMaxWindowBits
//	client_max_window_bits=N       omitted, or the smaller of N and ServerOptions.ClientMaxWindowBits
//	client_no_context_takeover     echoed; the decompressor resets before every message
//	(policy)                       server_no_context_takeover and client_no_context_takeover
//	                               when ServerOptions asks for them
func (s *ServerOptions) Negotiate(offered []handshake.Extension) (response handshake.Extension, agreed Params, ok bool) {
	for _, e := range offered {
		if e.Name != ExtensionName {
			continue
		}
		offer, err := ParseOffer(e)
		if err != nil {
			continue // D-7-server-decline
		}
		agreed = s.answer(offer)
		return agreed.Extension(), agreed, true
	}
	return handshake.Extension{}, Params{}, false
}

// answer computes the response to a valid offer.
func (s *ServerOptions) answer(offer Params) Params {
	var p Params
	if s != nil {
		p.ServerNoContextTakeover = s.ServerNoContextTakeover
		p.ClientNoContextTakeover = s.ClientNoContextTakeover
	}
	// D-7.1.1.1: accepting server_no_context_takeover means echoing it.
	p.ServerNoContextTakeover = p.ServerNoContextTakeover || offer.ServerNoContextTakeover
	// D-7.1.1.2: a hint; echoing it lets the decompressor reset.
	p.ClientNoContextTakeover = p.ClientNoContextTakeover || offer.ClientNoContextTakeover
	// D-7.1.2.1: accepting means answering with a value no larger than
	// the offer's; the compressor honours any value (see the file
	// comment).
	p.ServerMaxWindowBits = offer.ServerMaxWindowBits
	// D-7.1.2.2: only if offered, then with a value.
	// (An out-of-range policy value is ignored here; NewConn reports it.)
	if s != nil && s.ClientMaxWindowBits != 0 && validBits(s.ClientMaxWindowBits) && offer.ClientMaxWindowBits != 0 {
		p.ClientMaxWindowBits = s.ClientMaxWindowBits
		if offer.ClientMaxWindowBits > 0 && offer.ClientMaxWindowBits < p.ClientMaxWindowBits {
			p.ClientMaxWindowBits = offer.ClientMaxWindowBits
		}
	}
	return p
}

// NegotiateExtensions fits handshake.Server.NegotiateExtensions: it
// accepts permessage-deflate as Negotiate does and declines every other
// extension.
//
//	srv := &handshake.Server{NegotiateExtensions: opts.NegotiateExtensions}
func (s *ServerOptions) NegotiateExtensions(offered []handshake.Extension) []handshake.Extension {
	if resp, _, ok := s.Negotiate(offered); ok {
		return []handshake.Extension{resp}
	}
	return nil
}

// check validates the policy once, naming the valid ranges.
func (s *ServerOptions) check() error {
	if s == nil {
		return nil
	}
	if !validBits(s.ClientMaxWindowBits) {
		return errorString("deflate: ServerOptions.ClientMaxWindowBits is " + strconv.Itoa(s.ClientMaxWindowBits) + "; want 8-15, or 0 for none")
	}
	return checkLevel(s.Level)
}

// ClientOptions is what a client offers. The zero value offers the plain
// "permessage-deflate" and compresses at flate.BestSpeed.
type ClientOptions struct {
	// Offers are the permessage-deflate offers, in order of preference
	// (D-5-offer); none means one plain offer, Params{}.
	Offers []Params
	// Level is the compression level for messages the client sends, as
	// in ServerOptions.
	Level int
	// Pool and MinSize are as in ServerOptions.
	Pool    WriterPool
	MinSize int
}

// Extensions returns the offers as Sec-WebSocket-Extensions elements, for
// handshake.RequestOptions.Extensions.
func (c *ClientOptions) Extensions() []handshake.Extension {
	if c == nil || len(c.Offers) == 0 {
		return []handshake.Extension{Params{}.Extension()}
	}
	out := make([]handshake.Extension, len(c.Offers))
	for i, p := range c.Offers {
		out[i] = p.Extension()
	}
	return out
}

// VerifyResponse checks, as a client must, the extensions a server
// accepted (handshake.Negotiated.Extensions) against the extensions the
// client offered, and returns the permessage-deflate parameters in
// effect, or ok false when the server did not accept it.
//
// The response element must parse (D-7-client-fail), appear once
// (D-5-invalid-response), come without another extension known to use
// RSV1 (D-5-rsv1-conflict: another permessage-* extension, or
// deflate-frame) and answer one of the offers, by the table of
// RFC 7692 section 7.1: server_no_context_takeover present when offered
// (D-7.1.1.1-server_no_context_takeover); server_max_window_bits present
// and no larger than offered when offered
// (D-7.1.2.1-server_max_window_bits); client_max_window_bits only when
// offered, and no larger than an offered value
// (D-7.1.2.2-client_max_window_bits; RFC 7692 only describes answering
// with a value no larger, and wskit, like python-websockets and ws,
// fails a larger one). The first offer answered gives the result; when
// none is, the error names what the first permessage-deflate offer
// lacked.
//
// In the result, ClientMaxWindowBits is the response's value or, when
// the response has none, the value the matching offer gave as a hint,
// which binds the client anyway.
func VerifyResponse(offered, accepted []handshake.Extension) (p Params, ok bool, err error) {
	var resp *handshake.Extension
	for i := range accepted {
		if accepted[i].Name != ExtensionName {
			continue
		}
		if resp != nil {
			return Params{}, false, &NegotiationError{Requirement: "D-5-invalid-response", Detail: "the response accepts permessage-deflate twice"}
		}
		resp = &accepted[i]
	}
	if resp == nil {
		return Params{}, false, nil
	}
	// D-5-rsv1-conflict: every PMCE uses RSV1 (RFC 7692 section 6), and
	// so does the older deflate-frame extension.
	for _, e := range accepted {
		if e.Name != ExtensionName && usesRsv1(e.Name) {
			return Params{}, false, &NegotiationError{Requirement: "D-5-rsv1-conflict", Detail: "the response accepts permessage-deflate and " + strconv.Quote(e.Name) + ", which also uses RSV1"}
		}
	}
	r, err := ParseResponse(*resp)
	if err != nil {
		return Params{}, false, err
	}
	var first error
	for _, e := range offered {
		if e.Name != ExtensionName {
			continue
		}
		o, err := ParseOffer(e)
		if err != nil {
			continue // never sent by a wskit client; such an offer cannot be answered
		}
		if err := answers(r, o); err != nil {
			if first == nil {
				first = err
			}
			continue
		}
		if r.ClientMaxWindowBits == 0 && o.ClientMaxWindowBits > 0 {
			r.ClientMaxWindowBits = o.ClientMaxWindowBits
		}
		return r, true, nil
	}
	if first == nil {
		first = &NegotiationError{Requirement: "D-5-invalid-response", Detail: "permessage-deflate was accepted but not validly offered"}
	}
	return Params{}, false, first
}

// usesRsv1 reports whether the extension name is one known to use RSV1:
// a per-message compression extension (permessage-*) or deflate-frame.
func usesRsv1(name string) bool {
	return strings.HasPrefix(name, "permessage-") || name == "x-webkit-deflate-frame" || name == "deflate-frame"
}

// answers reports why the response r cannot answer the offer o, if it
// cannot.
func answers(r, o Params) error {
	fail := func(rule, param, detail string) error {
		return &NegotiationError{Requirement: rule, Param: param, Detail: detail}
	}
	switch {
	case o.ServerNoContextTakeover && !r.ServerNoContextTakeover:
		return fail("D-7.1.1.1-server_no_context_takeover", ParamServerNoContextTakeover, "offered but not in the response")
	case o.ServerMaxWindowBits != 0 && r.ServerMaxWindowBits == 0:
		return fail("D-7.1.2.1-server_max_window_bits", ParamServerMaxWindowBits, "offered as "+strconv.Itoa(o.ServerMaxWindowBits)+" but not in the response")
	case o.ServerMaxWindowBits != 0 && r.ServerMaxWindowBits > o.ServerMaxWindowBits:
		return fail("D-7.1.2.1-server_max_window_bits", ParamServerMaxWindowBits, "the response's "+strconv.Itoa(r.ServerMaxWindowBits)+" is larger than the offered "+strconv.Itoa(o.ServerMaxWindowBits))
	case r.ClientMaxWindowBits != 0 && o.ClientMaxWindowBits == 0:
		return fail("D-7.1.2.2-client_max_window_bits", ParamClientMaxWindowBits, "in the response but not offered")
	case r.ClientMaxWindowBits != 0 && o.ClientMaxWindowBits > 0 && r.ClientMaxWindowBits > o.ClientMaxWindowBits:
		return fail("D-7.1.2.2-client_max_window_bits", ParamClientMaxWindowBits, "the response's "+strconv.Itoa(r.ClientMaxWindowBits)+" is larger than the offered "+strconv.Itoa(o.ClientMaxWindowBits))
	}
	return nil
}

// errorString is an error for a caller's mistake.
type errorString string

func (e errorString) Error() string { return string(e) }
