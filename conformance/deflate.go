// permessage-deflate in sessions: the runner offers it when a case asks
// (Case.Extensions), checks the server's answer as a client must, and
// then decompresses what the peer sends and compresses what a case asks
// it to (Autobahn's categories 12 and 13, wskit's own deflate cases).

package conformance

import (
	"compress/flate"
	"fmt"

	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/codec/deflate"
	"github.com/wskit/wskit/handshake"
	"github.com/wskit/wskit/spec"
)

// runnerDeflateLevel is the compress/flate level of the messages the
// runner compresses. Autobahn compresses at zlib's default level (6);
// the runner uses flate.BestSpeed, which still produces dynamic Huffman
// blocks with back-references (what a server's inflater must handle) at
// three to five times level 6's speed on categories 12's corpora: the
// runner compresses 10.9 GB in categories 12 and 13, and level 6 would
// about double their time against the loopback server.
const runnerDeflateLevel = flate.BestSpeed

// agree reads the permessage-deflate answer of a 101 response that
// handshake.VerifyResponse accepted: it checks it against the offers of
// req as a client must (deflate.VerifyResponse: D-7-client-fail,
// D-5-invalid-response) and, when the server accepted one, records the
// agreed parameters for the session. An error means the response is not
// a valid acceptance of req.
func (s *Session) agree(req *handshake.Request, n handshake.Negotiated) error {
	offered, err := handshake.ParseExtensions(req.Header.Values(spec.HeaderExtensions)...)
	if err != nil {
		return nil // the case wrote an offer no parser reads; the server could only decline it
	}
	p, ok, err := deflate.VerifyResponse(offered, n.Extensions)
	if err != nil {
		return fmt.Errorf("invalid permessage-deflate response: %w", err)
	}
	if ok {
		s.deflate = &p
	}
	return nil
}

// deflateOptions sets up the decoder's Decompressor and the runner's
// Compressor for the agreed parameters, if any (D-5-use-agreed).
func (s *Session) deflateOptions(opts *codec.DecoderOptions) {
	if s.deflate == nil {
		return
	}
	sendBits, sendNo, recvBits, recvNo := s.deflate.Directions(s.role)
	d, err := deflate.NewDecompressor(recvBits, recvNo)
	if err != nil {
		panic(err) // VerifyResponse gave bits 8-15
	}
	c, err := deflate.NewCompressor(runnerDeflateLevel, sendBits, sendNo)
	if err != nil {
		panic(err)
	}
	opts.Extension, s.compressor = d, c
}

// Deflate returns the permessage-deflate parameters in effect, and
// whether the server accepted one of the case's offers (as the client)
// or the handshake agreed on it (as the server, PlayOptions.Deflate).
func (s *Session) Deflate() (deflate.Params, bool) {
	if s.deflate == nil {
		return deflate.Params{}, false
	}
	return *s.deflate, true
}

// Compress returns payload as one message compressed with the agreed
// parameters (deflated, sync-flushed, the final 00 00 ff ff removed:
// D-7.2.1-compress), continuing the runner's compression context unless
// it agreed to reset it for each message (D-7.2.1-own-takeover). It
// returns nil if permessage-deflate is not in effect. The result is the
// caller's.
func (s *Session) Compress(payload []byte) []byte {
	if s.compressor == nil {
		return nil
	}
	return s.CompressPieces(payload)[0]
}

// CompressPieces compresses one message given in pieces, each
// sync-flushed on its own so that each can be a frame's payload; only
// the last loses its 00 00 ff ff (RFC 7692 section 7.2.1). It returns
// nil if permessage-deflate is not in effect.
func (s *Session) CompressPieces(pieces ...[]byte) [][]byte {
	if s.compressor == nil {
		return nil
	}
	out := make([][]byte, len(pieces))
	for i, p := range pieces {
		var err error
		out[i], err = s.compressor.AppendTransform(nil, p, i == len(pieces)-1)
		if err != nil {
			panic(err) // compress/flate writing to memory does not fail
		}
	}
	return out
}

// SendCompressed sends a data message compressed with the agreed
// parameters: RSV1 on its first frame only (D-6-rsv1-placement), the
// compressed payload fragmented into frames of fragmentSize octets when
// that is positive and smaller, with Autobahn's empty final frame for an
// exact multiple. Without permessage-deflate in effect it sends nothing
// and returns false.
func (s *Session) SendCompressed(opcode int, payload []byte, fragmentSize int) bool {
	if s.compressor == nil {
		return false
	}
	var err error
	s.zbuf, err = s.compressor.AppendTransform(s.zbuf[:0], payload, true)
	if err != nil {
		panic(err) // compress/flate writing to memory does not fail
	}
	s.sendRsvMessage(opcode, 4, s.zbuf, fragmentSize)
	return true
}

// sendRsvMessage is SendMessage with rsv on the first frame.
func (s *Session) sendRsvMessage(opcode, rsv int, payload []byte, fragmentSize int) {
	if fragmentSize <= 0 || len(payload) <= fragmentSize {
		s.sendFrame(Frame{Opcode: opcode, Fin: true, Rsv: rsv, Payload: payload})
		return
	}
	op := opcode
	for i := 0; ; {
		j := i + fragmentSize
		done := j > len(payload)
		if done {
			j = len(payload)
		}
		s.sendFrame(Frame{Opcode: op, Fin: done, Rsv: rsv, Payload: payload[i:j]})
		if done {
			return
		}
		op, i, rsv = int(spec.OpContinuation), j, 0
	}
}
