package vectors

// FramesFile is the content of frames.json.
type FramesFile struct {
	// Generated marks the file as generator output.
	Generated string `json:"generated"`
	// Vectors lists the frame vectors.
	Vectors []FrameVector `json:"vectors"`
}

// A FrameVector is a byte string received by an endpoint and what parsing
// it must give: either a sequence of frames or an error.
type FrameVector struct {
	Common
	// Role is the role of the endpoint that receives Input: "server"
	// (frames must be masked), "client" (frames must not be masked), or
	// empty when the vector is about the header layout only and holds for
	// either role.
	Role string `json:"role,omitempty"`
	// Input is the bytes received.
	Input Hex `json:"input"`
	// HeaderOnly is true when Input holds one frame header without its
	// payload (used for lengths too large to spell out).
	HeaderOnly bool `json:"headerOnly,omitempty"`
	// Frames are the frames Input parses into, in order. Empty when Error
	// is set.
	Frames []Frame `json:"frames,omitempty"`
	// Error is the failure parsing Input must report, if any.
	Error *Error `json:"error,omitempty"`
}

// A Frame is one parsed frame of a FrameVector.
type Frame struct {
	Fin    bool  `json:"fin"`
	Rsv    uint8 `json:"rsv"`    // RSV1 = 4, RSV2 = 2, RSV3 = 1
	Opcode uint8 `json:"opcode"` // 0-15
	Masked bool  `json:"masked"`
	Key    Hex   `json:"key,omitempty"` // 4 bytes when Masked
	// Length is the declared payload length. JSON carries it as a
	// decimal string because lengths up to 2^63-1 do not fit a double.
	Length     uint64 `json:"length,string"`
	HeaderSize int    `json:"headerSize"`
	// Payload is the unmasked payload. It is absent for header-only
	// vectors, and for frames with an empty payload.
	Payload Hex `json:"payload,omitempty"`
}

// An Error is the failure a vector's input must produce.
type Error struct {
	// CloseCode is the close code the receiver fails the connection with.
	CloseCode int `json:"closeCode"`
	// Requirement is the ID of the rule broken.
	Requirement string `json:"requirement"`
}

// Frames returns the vectors of frames.json.
func Frames() ([]FrameVector, error) {
	var f FramesFile
	if err := load("frames.json", &f); err != nil {
		return nil, err
	}
	return f.Vectors, nil
}
