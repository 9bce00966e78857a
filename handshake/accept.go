package handshake

import (
	"crypto/sha1"
	"encoding/base64"

	"github.com/wskit/wskit/spec"
)

// AcceptKey returns the Sec-WebSocket-Accept value for a Sec-WebSocket-Key
// value: the base64 of the SHA-1 of the key followed by the GUID
// (H-4.2.2-accept). key is used exactly as given, after the caller has
// removed surrounding whitespace; it is never base64-decoded, so two
// spellings of the same 16 bytes give two different accept values.
func AcceptKey(key string) string {
	h := sha1.New()
	h.Write([]byte(key))
	h.Write([]byte(spec.GUID))
	var sum [sha1.Size]byte
	return base64.StdEncoding.EncodeToString(h.Sum(sum[:0]))
}
