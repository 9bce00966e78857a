// Package vectors holds wskit's machine-readable test vectors and loads
// them for Go tests.
//
// The vectors are JSON files in this directory, one concern each:
//
//   - frames.json: frame headers, masking and header-level errors (Frames);
//   - decoder.json: byte streams a decoder receives (Decoder), with the events they
//     give or the error (close code, requirement, offset) they must raise;
//   - conn.json: connection scripts, bytes in, events and bytes owed out
//     (Conn);
//   - deflate.json: permessage-deflate (RFC 7692): compressed streams a
//     decoder receives, the RFC 7692 section 7.2.3 examples among them,
//     bombs, and the negotiation of offers and responses (Deflate);
//   - handshake.json: accept keys, URLs, client requests, request heads
//     with the server's verdict, response heads with the client's verdict,
//     and the Sec-WebSocket-Extensions and Sec-WebSocket-Protocol grammar
//     (Handshake).
//
// Their format is documented in
// SCHEMA.md so that implementations in any language can consume them. The
// files are generated: edit the generator under internal/vectorgen and run
//
//	go generate ./vectors
//
// A test regenerates them and fails when the committed files differ.
package vectors

//go:generate go run gen.go

import (
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
)

//go:embed *.json SCHEMA.md
var files embed.FS

// Common holds the fields every vector has.
type Common struct {
	// ID is unique within its file and never reused.
	ID string `json:"id"`
	// Description says what the vector shows.
	Description string `json:"description"`
	// Source is where the bytes come from: "RFC6455 5.7" for an RFC
	// example, "generated" for a vector the generator computed.
	Source string `json:"source"`
	// Requirements lists the IDs (package spec) of the rules the vector
	// checks.
	Requirements []string `json:"requirements"`
}

// Hex is a byte string written in JSON as lower-case hexadecimal.
type Hex []byte

// MarshalJSON writes h as a hex string.
func (h Hex) MarshalJSON() ([]byte, error) {
	return json.Marshal(hex.EncodeToString(h))
}

// UnmarshalJSON reads a hex string.
func (h *Hex) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	d, err := hex.DecodeString(s)
	if err != nil {
		return err
	}
	*h = d
	return nil
}

// Names returns the names of the vector files, such as "frames.json", in
// sorted order.
func Names() []string {
	names, _ := fs.Glob(files, "*.json") // the pattern is valid
	return names
}

// ReadFile returns the raw bytes of one vector file, such as
// "frames.json", or of SCHEMA.md.
func ReadFile(name string) ([]byte, error) {
	return files.ReadFile(name)
}

// load decodes one embedded file, rejecting unknown fields so that a
// schema change without a loader change fails loudly.
func load(name string, v any) error {
	b, err := files.ReadFile(name)
	if err != nil {
		return err
	}
	if err := unmarshalStrict(b, v); err != nil {
		return fmt.Errorf("vectors: %s: %w", name, err)
	}
	return nil
}
