package vectors

// ConnFile is the content of conn.json.
type ConnFile struct {
	// Generated marks the file as generator output.
	Generated string `json:"generated"`
	// Vectors lists the connection vectors.
	Vectors []ConnVector `json:"vectors"`
}

// A ConnVector is a script for one endpoint after the opening handshake:
// bytes it receives, things its application sends, and after each step
// the events it reports, the bytes it owes the peer and the state of the
// closing handshake.
type ConnVector struct {
	Common
	// Role is the endpoint's role, "server" or "client".
	Role string `json:"role"`
	// Limits configures the endpoint's decoder, as in decoder.json.
	Limits *Limits `json:"limits,omitempty"`
	// Rand is what a client's source of randomness yields: the masking
	// keys of the frames it sends, 4 bytes per frame, in order.
	Rand Hex `json:"rand,omitempty"`
	// Steps run in order.
	Steps []ConnStep `json:"steps"`
}

// A ConnStep is one thing that happens to the endpoint, and what must
// follow.
type ConnStep struct {
	// Action is one of:
	//   - "receive": Data arrives from the peer;
	//   - "send-text", "send-binary", "send-ping", "send-pong": the
	//     application sends Data as one message or control frame;
	//   - "send-close": the application sends a Close with Code and the
	//     reason Data (Code 1005 with no Data: an empty body);
	//   - "take-outgoing": the driver takes the bytes owed;
	//   - "transport-closed": the transport is gone.
	Action string `json:"action"`
	// Data is the input of the action (see Action).
	Data Hex `json:"data,omitempty"`
	// Code is the close code of "send-close".
	Code int `json:"code,omitempty"`

	// Events are what "receive" reports, as in decoder.json.
	Events []Event `json:"events,omitempty"`
	// Error is the violation "receive" reports, which fails the
	// connection.
	Error *DecoderError `json:"error,omitempty"`
	// Refused is true when a send action must be refused as a local
	// error (data after our Close, anything once closed).
	Refused bool `json:"refused,omitempty"`
	// Output is the bytes a send action or "take-outgoing" hands out:
	// everything owed so far, in order. A Close owed by "receive" is
	// handed out only by "take-outgoing" or replaced by "send-close".
	Output Hex `json:"output,omitempty"`
	// State is the state of the closing handshake after the step:
	// "open", "closing" (a Close sent or received, not both, or a failure
	// whose Close is still owed) or "closed".
	State string `json:"state"`
	// CloseTransport says whether, after the step, the endpoint should
	// close the transport (once it has written what it owes).
	CloseTransport bool `json:"closeTransport"`
	// CloseCode, when present, is the connection's close code after the
	// step: the code of the Close received, 1005 if it had no code, 1006
	// if the transport closed without one.
	CloseCode int `json:"closeCode,omitempty"`
}

// Conn returns the vectors of conn.json.
func Conn() ([]ConnVector, error) {
	var f ConnFile
	if err := load("conn.json", &f); err != nil {
		return nil, err
	}
	return f.Vectors, nil
}
