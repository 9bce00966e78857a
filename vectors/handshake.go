package vectors

// HandshakeFile is the content of handshake.json.
type HandshakeFile struct {
	// Generated marks the file as generator output.
	Generated string `json:"generated"`
	// Accept lists Sec-WebSocket-Key / Sec-WebSocket-Accept pairs.
	Accept []AcceptVector `json:"accept"`
	// URLs lists ws and wss URIs with what a client derives from them, or
	// the rule that refuses them.
	URLs []URLVector `json:"urls"`
	// ClientRequests lists requests a client builds from a URL, a nonce
	// and its offers.
	ClientRequests []ClientRequestVector `json:"clientRequests"`
	// Requests lists request heads a server receives, with its answer.
	Requests []RequestVector `json:"requests"`
	// Responses lists response heads a client receives to a request it
	// sent, with its verdict.
	Responses []ResponseVector `json:"responses"`
	// Extensions lists Sec-WebSocket-Extensions values and how they parse.
	Extensions []ExtensionsVector `json:"extensions"`
	// Protocols lists Sec-WebSocket-Protocol request values and how they
	// parse.
	Protocols []ProtocolsVector `json:"protocols"`
}

// An AcceptVector pairs a Sec-WebSocket-Key value with a
// Sec-WebSocket-Accept value.
type AcceptVector struct {
	Common
	// Key is the Sec-WebSocket-Key value as sent.
	Key string `json:"key"`
	// Accept is a Sec-WebSocket-Accept value.
	Accept string `json:"accept"`
	// Valid says whether Accept is the right answer to Key. Invalid pairs
	// show answers a client must reject (H-4.1-resp-accept).
	Valid bool `json:"valid"`
}

// A HeaderField is one header field line, name and value.
type HeaderField struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// An ExtensionValue is one element of an extension list.
type ExtensionValue struct {
	// Name is the extension token.
	Name string `json:"name"`
	// Params are the parameters in order; a parameter without a value has
	// an empty value.
	Params []HeaderField `json:"params,omitempty"`
}

// A URLVector is a ws or wss URI and what a client derives from it.
type URLVector struct {
	Common
	// URL is the URI as given to the client.
	URL string `json:"url"`
	// Secure is true for wss.
	Secure bool `json:"secure,omitempty"`
	// Addr is the host and port to connect to.
	Addr string `json:"addr,omitempty"`
	// Host is the value of the request's Host field.
	Host string `json:"host,omitempty"`
	// Resource is the resource name, the request-target.
	Resource string `json:"resource,omitempty"`
	// Error, when set, is the ID of the rule that makes the client refuse
	// the URI; the other outcome members are then empty.
	Error string `json:"error,omitempty"`
}

// A ClientRequestVector is a request a client builds.
type ClientRequestVector struct {
	Common
	// URL is the URI to connect to.
	URL string `json:"url"`
	// Nonce is the 16 random bytes of Sec-WebSocket-Key.
	Nonce Hex `json:"nonce"`
	// Subprotocols are offered in order.
	Subprotocols []string `json:"subprotocols,omitempty"`
	// Extensions are offered in order.
	Extensions []ExtensionValue `json:"extensions,omitempty"`
	// Header holds extra fields. One named like a field the client writes
	// itself replaces it in place; the others follow the built-in fields.
	Header []HeaderField `json:"header,omitempty"`
	// Request is the expected head, byte for byte, with CRLF line ends.
	Request string `json:"request,omitempty"`
	// Error, when set, is the ID of the rule that makes the client refuse
	// to build the request.
	Error string `json:"error,omitempty"`
}

// A ServerPolicy says how a server under test negotiates, so that a
// vector's expected answer is determined.
type ServerPolicy struct {
	// Subprotocols the server supports: it picks the first subprotocol of
	// the client's list that is in this list.
	Subprotocols []string `json:"subprotocols,omitempty"`
	// Extensions the server supports: it accepts the first offer of each
	// of these names, in the client's order, without parameters.
	Extensions []string `json:"extensions,omitempty"`
	// Origins, when not empty, are the only Origin values served (403
	// otherwise, a missing Origin included).
	Origins []string `json:"origins,omitempty"`
	// Resources, when not empty, are the only resource names served (404
	// otherwise).
	Resources []string `json:"resources,omitempty"`
}

// A RequestVector is a request head a server receives and its answer.
// Exactly one of NeedMore, Accept and Reject is set.
type RequestVector struct {
	Common
	// Request is the head received, CRLF line ends included; it may be a
	// prefix of a head, or larger than the size limit.
	Request string `json:"request"`
	// Trailing are bytes received after the head (a first frame); the
	// server hands them on untouched.
	Trailing Hex `json:"trailing,omitempty"`
	// MaxHeadSize is the server's size limit for the head in bytes, or 0
	// for the default of 8192.
	MaxHeadSize int `json:"maxHeadSize,omitempty"`
	// Server is the server's policy; absent means no subprotocol, no
	// extension, and every origin and resource served.
	Server *ServerPolicy `json:"server,omitempty"`
	// NeedMore is true when Request is an unfinished head within the
	// limit: the server waits for more bytes.
	NeedMore bool `json:"needMore,omitempty"`
	// Accept is the server's 101 answer.
	Accept *RequestAccept `json:"accept,omitempty"`
	// Reject is the server's refusal.
	Reject *RequestReject `json:"reject,omitempty"`
}

// A RequestAccept is a server's positive answer.
type RequestAccept struct {
	// Subprotocol is the subprotocol chosen, or empty.
	Subprotocol string `json:"subprotocol,omitempty"`
	// Extensions is the Sec-WebSocket-Extensions value of the response,
	// or empty.
	Extensions string `json:"extensions,omitempty"`
	// Response is the whole 101 response head, byte for byte, in the order
	// Upgrade, Connection, Sec-WebSocket-Accept, Sec-WebSocket-Protocol,
	// Sec-WebSocket-Extensions.
	Response string `json:"response"`
}

// A RequestReject is a server's refusal.
type RequestReject struct {
	// Status is the HTTP status code.
	Status int `json:"status"`
	// Requirement is the ID of the rule the request breaks.
	Requirement string `json:"requirement"`
	// Header lists fields the answer must carry, such as Allow: GET for a
	// 405 or Sec-WebSocket-Version: 13 for a 426; it may carry others.
	Header []HeaderField `json:"header,omitempty"`
}

// A ResponseVector is a response head a client receives to the request it
// sent, and the client's verdict. Exactly one of NeedMore, Accept and
// Error is set.
type ResponseVector struct {
	Common
	// Request is the head the client sent: the key, subprotocols and
	// extensions offered are read from it.
	Request string `json:"request"`
	// Response is the head received, CRLF line ends included.
	Response string `json:"response"`
	// Trailing are bytes received after the head (the server's first
	// frames), handed on untouched.
	Trailing Hex `json:"trailing,omitempty"`
	// NeedMore is true when Response is an unfinished head.
	NeedMore bool `json:"needMore,omitempty"`
	// Accept is what the handshake agreed on.
	Accept *ResponseAccept `json:"accept,omitempty"`
	// Error is why the client fails the handshake.
	Error *ResponseReject `json:"error,omitempty"`
}

// A ResponseAccept is what a completed handshake agreed on.
type ResponseAccept struct {
	// Subprotocol is the Subprotocol In Use, or empty.
	Subprotocol string `json:"subprotocol,omitempty"`
	// Extensions are the Extensions In Use, in order.
	Extensions []ExtensionValue `json:"extensions,omitempty"`
}

// A ResponseReject is why a client fails a handshake.
type ResponseReject struct {
	// Status is the response's status code, or 0 when the status line
	// could not be read.
	Status int `json:"status"`
	// Requirement is the ID of the client rule.
	Requirement string `json:"requirement"`
}

// An ExtensionsVector is a Sec-WebSocket-Extensions value, possibly over
// several field lines, and how it parses.
type ExtensionsVector struct {
	Common
	// Lines are the values of the field lines, in order.
	Lines []string `json:"lines"`
	// Extensions is the parsed list, absent for an error.
	Extensions []ExtensionValue `json:"extensions,omitempty"`
	// Formatted is the canonical form of the list: elements joined by
	// ", ", parameters by "; ", values unquoted.
	Formatted string `json:"formatted,omitempty"`
	// Error is true when the value breaks the grammar.
	Error bool `json:"error,omitempty"`
}

// A ProtocolsVector is a Sec-WebSocket-Protocol request value, possibly
// over several field lines, and how it parses.
type ProtocolsVector struct {
	Common
	// Lines are the values of the field lines, in order.
	Lines []string `json:"lines"`
	// Protocols is the parsed list, absent for an error.
	Protocols []string `json:"protocols,omitempty"`
	// Error is true when the value breaks the grammar or repeats a name.
	Error bool `json:"error,omitempty"`
}

// Handshake returns the content of handshake.json.
func Handshake() (*HandshakeFile, error) {
	var f HandshakeFile
	if err := load("handshake.json", &f); err != nil {
		return nil, err
	}
	return &f, nil
}
