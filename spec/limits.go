package spec

// Limits fixed by RFC 6455.
const (
	// MaxControlPayload is the largest payload of a control frame
	// (R-5.5-control-125).
	MaxControlPayload = 125

	// MaxCloseReason is the longest close reason in bytes: a control
	// payload of 125 bytes minus the 2-byte status code
	// (R-5.5.1-close-body).
	MaxCloseReason = MaxControlPayload - 2

	// MaxPayloadLength is the largest payload length a frame can declare:
	// the most significant bit of the 64-bit length must be 0
	// (R-5.2-len-msb0).
	MaxPayloadLength = 1<<63 - 1
)

// GUID is the globally unique identifier a server appends to the client's
// Sec-WebSocket-Key before hashing it into Sec-WebSocket-Accept (RFC 6455
// section 1.3, H-4.2.2-accept).
const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

// Version is the only value of Sec-WebSocket-Version that RFC 6455 defines
// (H-4.1-req-version).
const Version = "13"

// Header field names of the opening handshake, in the canonical case RFC
// 6455 writes them. Field names compare case-insensitively.
const (
	HeaderHost       = "Host"
	HeaderUpgrade    = "Upgrade"
	HeaderConnection = "Connection"
	HeaderOrigin     = "Origin"
	HeaderKey        = "Sec-WebSocket-Key"
	HeaderAccept     = "Sec-WebSocket-Accept"
	HeaderVersion    = "Sec-WebSocket-Version"
	HeaderProtocol   = "Sec-WebSocket-Protocol"
	HeaderExtensions = "Sec-WebSocket-Extensions"
)

// UpgradeToken is the value of the Upgrade header field that names the
// WebSocket protocol; it compares case-insensitively.
const UpgradeToken = "websocket"

// ExtensionPermessageDeflate is the registered name of the RFC 7692
// extension.
const ExtensionPermessageDeflate = "permessage-deflate"
