package vectors

// DeflateFile is the content of deflate.json: permessage-deflate (RFC
// 7692) vectors.
type DeflateFile struct {
	// Generated marks the file as generator output.
	Generated string `json:"generated"`
	// Decoder lists byte streams an endpoint receives after agreeing on
	// permessage-deflate, with the messages they inflate to or the
	// failure.
	Decoder []DeflateDecoderVector `json:"decoder"`
	// Offers lists offers a server receives and what wskit's server
	// answers.
	Offers []DeflateOfferVector `json:"offers"`
	// Responses lists responses a client receives to its offers and its
	// verdict.
	Responses []DeflateResponseVector `json:"responses"`
}

// A DeflateDecoderVector is a decoder vector (see DecoderVector) for an
// endpoint that agreed on permessage-deflate.
type DeflateDecoderVector struct {
	Common
	// Role is the receiving endpoint: "server" or "client".
	Role string `json:"role"`
	// Agreed is the permessage-deflate element of the server's response,
	// as in Sec-WebSocket-Extensions: the parameters both ends use.
	Agreed string `json:"agreed"`
	// Limits configures the decoder; MaxMessage limits the inflated size.
	Limits *Limits `json:"limits,omitempty"`
	// Input is the bytes received.
	Input Hex `json:"input"`
	// Events are the whole messages (inflated) and control frames
	// delivered, in order; for an error vector, those before the error.
	Events []Event `json:"events"`
	// Error is the failure, if the input breaks a rule. Its Offset is
	// never set: where inflated text fails is not a stream position.
	Error *DecoderError `json:"error,omitempty"`
}

// DeflateParams are permessage-deflate parameters: zero members are
// absent parameters; ClientMaxWindowBits is -1 for
// client_max_window_bits without a value.
type DeflateParams struct {
	ServerNoContextTakeover bool `json:"serverNoContextTakeover,omitempty"`
	ClientNoContextTakeover bool `json:"clientNoContextTakeover,omitempty"`
	ServerMaxWindowBits     int  `json:"serverMaxWindowBits,omitempty"`
	ClientMaxWindowBits     int  `json:"clientMaxWindowBits,omitempty"`
}

// A DeflatePolicy is a server's permessage-deflate policy.
type DeflatePolicy struct {
	// ServerNoContextTakeover and ClientNoContextTakeover are added to
	// every response.
	ServerNoContextTakeover bool `json:"serverNoContextTakeover,omitempty"`
	ClientNoContextTakeover bool `json:"clientNoContextTakeover,omitempty"`
	// ClientMaxWindowBits is answered when the offer has
	// client_max_window_bits (the smaller of the two when it has a
	// value).
	ClientMaxWindowBits int `json:"clientMaxWindowBits,omitempty"`
}

// A DeflateOfferVector is a Sec-WebSocket-Extensions value a server
// receives and its answer.
type DeflateOfferVector struct {
	Common
	// Offers is the Sec-WebSocket-Extensions value received.
	Offers string `json:"offers"`
	// Server is the policy; absent means the defaults.
	Server *DeflatePolicy `json:"server,omitempty"`
	// Valid says, for each element of Offers, whether it is a valid
	// permessage-deflate offer (false for other extensions too).
	Valid []bool `json:"valid"`
	// Response is the permessage-deflate element wskit answers with, or
	// "" when every offer is declined.
	Response string `json:"response"`
}

// A DeflateResponseVector is a response a client receives to its offers
// and its verdict.
type DeflateResponseVector struct {
	Common
	// Offers is the Sec-WebSocket-Extensions value the client sent.
	Offers string `json:"offers"`
	// Response is the Sec-WebSocket-Extensions value received; "" for
	// none.
	Response string `json:"response"`
	// Agreed are the parameters in effect when the client accepts the
	// response with permessage-deflate on: the response's, and
	// clientMaxWindowBits from the answered offer when the response has
	// none. Absent when permessage-deflate is off or the client fails.
	Agreed *DeflateParams `json:"agreed,omitempty"`
	// Error is the requirement that makes the client fail the
	// connection, if it must.
	Error string `json:"error,omitempty"`
}

// Deflate returns the content of deflate.json.
func Deflate() (*DeflateFile, error) {
	var f DeflateFile
	if err := load("deflate.json", &f); err != nil {
		return nil, err
	}
	return &f, nil
}
