package vectors

// HandshakeFile is the content of handshake.json.
type HandshakeFile struct {
	// Generated marks the file as generator output.
	Generated string `json:"generated"`
	// Accept lists Sec-WebSocket-Key / Sec-WebSocket-Accept pairs.
	Accept []AcceptVector `json:"accept"`
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

// Handshake returns the content of handshake.json.
func Handshake() (*HandshakeFile, error) {
	var f HandshakeFile
	if err := load("handshake.json", &f); err != nil {
		return nil, err
	}
	return &f, nil
}
