package deflate

import (
	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/handshake"
	"github.com/wskit/wskit/spec"
)

// Directions returns what agreed parameters mean for an endpoint of
// role: the window bits and context takeover of what it sends (its own
// <role>_ parameters) and of what it receives (the peer's). Window bits
// are 15 when the parameters leave them out.
func (p Params) Directions(role codec.Role) (sendBits int, sendNoTakeover bool, recvBits int, recvNoTakeover bool) {
	sb, cb := p.ServerMaxWindowBits, p.ClientMaxWindowBits
	if sb <= 0 {
		sb = MaxWindowBits
	}
	if cb <= 0 {
		cb = MaxWindowBits
	}
	if role == codec.RoleClient {
		return cb, p.ClientNoContextTakeover, sb, p.ServerNoContextTakeover
	}
	return sb, p.ServerNoContextTakeover, cb, p.ClientNoContextTakeover
}

// Configure sets opts.Extension to a Decompressor and opts.SendExtension
// to a Compressor at level for an endpoint of opts.Role that agreed on p
// (D-5-use-agreed). pool, if not nil, lends the Compressor its writer
// when it has no context takeover (see Compressor.UsePool). Use
// opts.SendExtension.(*Compressor).SetMinSize to leave small messages
// uncompressed.
func Configure(opts *codec.ConnOptions, p Params, level int, pool WriterPool) error {
	if opts.Role != codec.RoleServer && opts.Role != codec.RoleClient {
		return errorString("deflate: Configure: ConnOptions.Role is " + opts.Role.String() + "; want RoleServer or RoleClient")
	}
	if err := p.check(true); err != nil {
		return err
	}
	sendBits, sendNo, recvBits, recvNo := p.Directions(opts.Role)
	c, err := NewCompressor(level, sendBits, sendNo)
	if err != nil {
		return err
	}
	if pool != nil {
		c.UsePool(pool)
	}
	d, err := NewDecompressor(recvBits, recvNo)
	if err != nil {
		return err
	}
	opts.Extension, opts.SendExtension = d, c
	return nil
}

// NewConn returns the codec.Conn of a server whose handshake ended with
// acc (from handshake.Server.Accept with NegotiateExtensions from s):
// with permessage-deflate when acc agreed on it, plain otherwise.
// opts.Role must be codec.RoleServer (or zero, which means it); its
// Extension and SendExtension are set here.
func (s *ServerOptions) NewConn(acc *handshake.Acceptance, opts codec.ConnOptions) (*codec.Conn, error) {
	if opts.Role == 0 {
		opts.Role = codec.RoleServer
	}
	if opts.Role != codec.RoleServer {
		return nil, errorString("deflate: ServerOptions.NewConn: ConnOptions.Role is " + opts.Role.String() + "; want RoleServer")
	}
	if err := s.check(); err != nil {
		return nil, err
	}
	var found *handshake.Extension
	for i := range acc.Extensions {
		if acc.Extensions[i].Name == ExtensionName {
			if found != nil {
				return nil, &NegotiationError{Requirement: "D-5-accept", Detail: "the acceptance lists permessage-deflate twice"}
			}
			found = &acc.Extensions[i]
		}
	}
	if found != nil {
		p, err := ParseResponse(*found)
		if err != nil {
			return nil, err
		}
		var level, minSize int
		var pool WriterPool
		if s != nil {
			level, pool, minSize = s.Level, s.Pool, s.MinSize
		}
		if err := Configure(&opts, p, level, pool); err != nil {
			return nil, err
		}
		opts.SendExtension.(*Compressor).SetMinSize(minSize)
	}
	return codec.NewConn(opts)
}

// NewConn returns the codec.Conn of a client that sent req and got a
// response for which handshake.VerifyResponse returned n: with
// permessage-deflate when the server accepted it, plain otherwise. It
// first checks the server's permessage-deflate answer against the offers
// in req with VerifyResponse; a *NegotiationError means the client must
// fail the connection (D-7-client-fail). opts.Role must be
// codec.RoleClient (or zero, which means it), and opts.Rand is required.
func (c *ClientOptions) NewConn(req *handshake.Request, n handshake.Negotiated, opts codec.ConnOptions) (*codec.Conn, error) {
	if opts.Role == 0 {
		opts.Role = codec.RoleClient
	}
	if opts.Role != codec.RoleClient {
		return nil, errorString("deflate: ClientOptions.NewConn: ConnOptions.Role is " + opts.Role.String() + "; want RoleClient")
	}
	var level, minSize int
	var pool WriterPool
	if c != nil {
		level, pool, minSize = c.Level, c.Pool, c.MinSize
	}
	if err := checkLevel(level); err != nil {
		return nil, err
	}
	offered, err := handshake.ParseExtensions(req.Header.Values(spec.HeaderExtensions)...)
	if err != nil {
		return nil, err
	}
	p, ok, err := VerifyResponse(offered, n.Extensions)
	if err != nil {
		return nil, err
	}
	if ok {
		if err := Configure(&opts, p, level, pool); err != nil {
			return nil, err
		}
		opts.SendExtension.(*Compressor).SetMinSize(minSize)
	}
	return codec.NewConn(opts)
}
