package codec

import "strconv"

// Role is the role of the endpoint that owns a Decoder, Encoder or Conn.
// It decides the direction of masking (RFC 6455 section 5.1): a client
// masks every frame it sends and receives only unmasked frames; a server
// does the opposite.
type Role uint8

// The two roles. The zero Role is not valid: constructors reject it, so a
// forgotten field is an error rather than a silent choice.
const (
	RoleServer Role = iota + 1 // receives masked frames, sends unmasked ones
	RoleClient                 // receives unmasked frames, sends masked ones
)

// String returns "server" or "client", or "Role(n)" for an invalid value.
func (r Role) String() string {
	switch r {
	case RoleServer:
		return "server"
	case RoleClient:
		return "client"
	}
	return "Role(" + strconv.Itoa(int(r)) + ")"
}

// valid reports whether r is RoleServer or RoleClient.
func (r Role) valid() bool { return r == RoleServer || r == RoleClient }
