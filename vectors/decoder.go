package vectors

// DecoderFile is the content of decoder.json.
type DecoderFile struct {
	// Generated marks the file as generator output.
	Generated string `json:"generated"`
	// Vectors lists the decoder vectors.
	Vectors []DecoderVector `json:"vectors"`
}

// A DecoderVector is a byte stream one endpoint receives and what a
// strict decoder must make of it: the messages and control frames it
// delivers and, for a stream that breaks a rule, the failure.
type DecoderVector struct {
	Common
	// Role is the receiving endpoint: "server" (frames must be masked) or
	// "client" (frames must not be).
	Role string `json:"role"`
	// Limits configures the decoder; absent means the defaults, which
	// every vector stays far below unless it is about them.
	Limits *Limits `json:"limits,omitempty"`
	// Input is the bytes received.
	Input Hex `json:"input"`
	// Events are the whole messages and control frames delivered, in
	// order; for an error vector, those delivered before the error.
	Events []Event `json:"events"`
	// Error is the failure, if the input breaks a rule.
	Error *DecoderError `json:"error,omitempty"`
}

// Limits are a decoder's receive limits and leniency. Zero members mean
// the decoder's defaults.
type Limits struct {
	// MaxFramePayload limits the declared payload length of a data frame.
	MaxFramePayload uint64 `json:"maxFramePayload,omitempty"`
	// MaxMessage limits the size of a reassembled data message.
	MaxMessage uint64 `json:"maxMessage,omitempty"`
	// MaxFragments limits the number of frames of a data message, empty
	// ones included.
	MaxFragments int `json:"maxFragments,omitempty"`
	// AllowNonMinimalLength accepts lengths in a longer form than needed.
	AllowNonMinimalLength bool `json:"allowNonMinimalLength,omitempty"`
}

// An Event is a whole message or control frame a decoder delivers.
type Event struct {
	// Kind is "text", "binary", "ping", "pong" or "close".
	Kind string `json:"kind"`
	// Data is the message payload (reassembled and unmasked), the ping or
	// pong payload, or the close reason.
	Data Hex `json:"data"`
	// Code is the close code of a "close" event: 1005 when the Close had
	// an empty body.
	Code int `json:"code,omitempty"`
}

// A DecoderError is the failure a stream must produce.
type DecoderError struct {
	// CloseCode is the code to fail the connection with: 1002, 1007 or
	// 1009.
	CloseCode int `json:"closeCode"`
	// Requirement is the ID of the rule broken.
	Requirement string `json:"requirement"`
	// Offset, present for invalid UTF-8 in a text message or close
	// reason, is the stream offset of the first byte after which the
	// text cannot be valid UTF-8 whatever follows (the fail-fast point),
	// or the offset just past the end of a message or reason that ends
	// inside a code point.
	Offset *int64 `json:"offset,omitempty"`
}

// Decoder returns the vectors of decoder.json.
func Decoder() ([]DecoderVector, error) {
	var f DecoderFile
	if err := load("decoder.json", &f); err != nil {
		return nil, err
	}
	return f.Vectors, nil
}
