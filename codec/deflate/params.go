// The parameters of permessage-deflate (RFC 7692 section 7.1), as they
// appear in one element of Sec-WebSocket-Extensions:
//
//	permessage-deflate; server_no_context_takeover; client_no_context_takeover;
//	    server_max_window_bits=10; client_max_window_bits[=N]
//
// Each parameter may appear once. The two *_no_context_takeover
// parameters take no value. The window bits take a decimal value from 8
// to 15 without leading zeros (possibly quoted: handshake.ParseExtensions
// unquotes it); client_max_window_bits alone may appear without a value,
// and only in an offer. Parameter names are compared exactly.

package deflate

import (
	"strconv"

	"github.com/wskit/wskit/handshake"
)

// ExtensionName is the extension token of RFC 7692.
const ExtensionName = "permessage-deflate"

// The parameter names of RFC 7692 section 7.1.
const (
	ParamServerNoContextTakeover = "server_no_context_takeover"
	ParamClientNoContextTakeover = "client_no_context_takeover"
	ParamServerMaxWindowBits     = "server_max_window_bits"
	ParamClientMaxWindowBits     = "client_max_window_bits"
)

// The range of the window bits parameters: an LZ77 window of 2^8 (256)
// to 2^15 (32,768) bytes.
const (
	MinWindowBits = 8
	MaxWindowBits = 15
)

// WindowBitsNoValue, as Params.ClientMaxWindowBits, stands for
// client_max_window_bits written without a value: in an offer, the client
// says it supports the parameter in the response, without a hint of its
// own (D-7.1.2.2-client_max_window_bits). It is invalid in a response.
const WindowBitsNoValue = -1

// Params are the parameters of one permessage-deflate offer or response.
// The zero Params is the plain offer "permessage-deflate", or a response
// accepting it with every default: context takeover both ways, 32 KiB
// windows.
type Params struct {
	// ServerNoContextTakeover is server_no_context_takeover: the server
	// starts every message it sends with an empty window
	// (D-7.1.1.1-server_no_context_takeover).
	ServerNoContextTakeover bool
	// ClientNoContextTakeover is client_no_context_takeover: the client
	// starts every message it sends with an empty window; in an offer it
	// is a hint (D-7.1.1.2-client_no_context_takeover).
	ClientNoContextTakeover bool
	// ServerMaxWindowBits is server_max_window_bits, 8-15, or 0 when
	// absent (D-7.1.2.1-server_max_window_bits).
	ServerMaxWindowBits int
	// ClientMaxWindowBits is client_max_window_bits, 8-15, 0 when absent,
	// or WindowBitsNoValue (offers only) when present without a value
	// (D-7.1.2.2-client_max_window_bits).
	ClientMaxWindowBits int
}

// A NegotiationError reports a permessage-deflate element that breaks
// RFC 7692 section 7: for an offer, a reason the server declines it
// (D-7-server-decline), never an HTTP error; for a response, a reason the
// client fails the connection (D-7-client-fail, D-5-invalid-response).
type NegotiationError struct {
	// Requirement is the ID of the rule broken.
	Requirement string
	// Param is the parameter at fault, or "" when the element as a whole
	// is.
	Param string
	// Detail says what was wrong, for people.
	Detail string
}

// Error returns a message such as "deflate: server_max_window_bits: ...
// (D-7-server-decline)".
func (e *NegotiationError) Error() string {
	s := "deflate: "
	if e.Param != "" {
		s += e.Param + ": "
	}
	return s + e.Detail + " (" + e.Requirement + ")"
}

// ParseOffer reads the parameters of a permessage-deflate offer, as a
// server receives it. An error says why the server must decline this
// offer (D-7-server-decline): a parameter not defined for offers, a
// repeated one, a value where none is allowed, a missing or invalid
// window size.
func ParseOffer(e handshake.Extension) (Params, error) {
	return parseParams(e, false)
}

// ParseResponse reads the parameters of a permessage-deflate response, as
// a client receives it. An error says why the client must fail the
// connection (D-7-client-fail); ParseResponse does not compare the
// response with the offers (VerifyResponse does).
func ParseResponse(e handshake.Extension) (Params, error) {
	return parseParams(e, true)
}

func parseParams(e handshake.Extension, response bool) (Params, error) {
	rule := "D-7-server-decline"
	if response {
		rule = "D-7-client-fail"
	}
	fail := func(param, detail string) (Params, error) {
		return Params{}, &NegotiationError{Requirement: rule, Param: param, Detail: detail}
	}
	if e.Name != ExtensionName {
		return fail("", "extension "+strconv.Quote(e.Name)+" is not "+ExtensionName)
	}
	var p Params
	var seen [4]bool
	for _, prm := range e.Params {
		var i int
		switch prm.Name {
		case ParamServerNoContextTakeover:
			i = 0
		case ParamClientNoContextTakeover:
			i = 1
		case ParamServerMaxWindowBits:
			i = 2
		case ParamClientMaxWindowBits:
			i = 3
		default:
			return fail(prm.Name, "unknown parameter")
		}
		if seen[i] {
			return fail(prm.Name, "parameter repeated")
		}
		seen[i] = true
		switch i {
		case 0, 1:
			if prm.Value != "" {
				return fail(prm.Name, "takes no value, got "+strconv.Quote(prm.Value))
			}
			if i == 0 {
				p.ServerNoContextTakeover = true
			} else {
				p.ClientNoContextTakeover = true
			}
		case 2:
			bits, ok := parseWindowBits(prm.Value)
			if !ok {
				return fail(prm.Name, "value "+strconv.Quote(prm.Value)+" is not a decimal from 8 to 15")
			}
			p.ServerMaxWindowBits = bits
		case 3:
			if prm.Value == "" {
				if response {
					return fail(prm.Name, "a response must give a value")
				}
				p.ClientMaxWindowBits = WindowBitsNoValue
				continue
			}
			bits, ok := parseWindowBits(prm.Value)
			if !ok {
				return fail(prm.Name, "value "+strconv.Quote(prm.Value)+" is not a decimal from 8 to 15")
			}
			p.ClientMaxWindowBits = bits
		}
	}
	return p, nil
}

// parseWindowBits reads a window size: 8 to 15, one digit or "1" and a
// digit, so that leading zeros, signs and spaces are refused.
func parseWindowBits(v string) (int, bool) {
	switch {
	case len(v) == 1 && v[0] >= '8' && v[0] <= '9':
		return int(v[0] - '0'), true
	case len(v) == 2 && v[0] == '1' && v[1] >= '0' && v[1] <= '5':
		return 10 + int(v[1]-'0'), true
	}
	return 0, false
}

// validBits reports whether b is a window size, or 0 (absent).
func validBits(b int) bool { return b == 0 || MinWindowBits <= b && b <= MaxWindowBits }

// check reports whether p can be written as an offer (or, when response
// is true, as a response).
func (p Params) check(response bool) error {
	rule := "D-7-server-decline"
	if response {
		rule = "D-7-client-fail"
	}
	if !validBits(p.ServerMaxWindowBits) {
		return &NegotiationError{Requirement: rule, Param: ParamServerMaxWindowBits, Detail: strconv.Itoa(p.ServerMaxWindowBits) + " is not 8-15 (or 0 for none)"}
	}
	if !validBits(p.ClientMaxWindowBits) && (response || p.ClientMaxWindowBits != WindowBitsNoValue) {
		return &NegotiationError{Requirement: rule, Param: ParamClientMaxWindowBits, Detail: strconv.Itoa(p.ClientMaxWindowBits) + " is not 8-15 (or 0 for none)"}
	}
	return nil
}

// Extension returns p as one element of Sec-WebSocket-Extensions, with
// its parameters in the order of RFC 7692 section 7.1 and values
// unquoted. It writes what p says, even values out of range, so that
// tests can build invalid offers; ParseOffer reads back every valid one.
func (p Params) Extension() handshake.Extension {
	e := handshake.Extension{Name: ExtensionName}
	if p.ServerNoContextTakeover {
		e.Params = append(e.Params, handshake.Param{Name: ParamServerNoContextTakeover})
	}
	if p.ClientNoContextTakeover {
		e.Params = append(e.Params, handshake.Param{Name: ParamClientNoContextTakeover})
	}
	if p.ServerMaxWindowBits != 0 {
		e.Params = append(e.Params, handshake.Param{Name: ParamServerMaxWindowBits, Value: strconv.Itoa(p.ServerMaxWindowBits)})
	}
	switch p.ClientMaxWindowBits {
	case 0:
	case WindowBitsNoValue:
		e.Params = append(e.Params, handshake.Param{Name: ParamClientMaxWindowBits})
	default:
		e.Params = append(e.Params, handshake.Param{Name: ParamClientMaxWindowBits, Value: strconv.Itoa(p.ClientMaxWindowBits)})
	}
	return e
}

// String returns p as it appears in Sec-WebSocket-Extensions, such as
// "permessage-deflate; server_no_context_takeover".
func (p Params) String() string { return p.Extension().String() }
