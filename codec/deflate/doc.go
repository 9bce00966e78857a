// Package deflate implements permessage-deflate (RFC 7692) for package
// codec: the negotiation of its parameters in the opening handshake and
// the compression of messages, as a codec extension that owns RSV1. Like
// codec, it does no I/O and starts no goroutine.
//
// Negotiation. A server puts ServerOptions.NegotiateExtensions in
// handshake.Server.NegotiateExtensions: the first valid offer is accepted
// (adjusted to the server's policy), invalid ones are declined, and
// declining is never an HTTP error (D-7-server-decline). ServerOptions.NewConn
// then builds the codec.Conn from handshake.Server.Accept's result. A client offers
// ClientOptions.Extensions in handshake.RequestOptions.Extensions, and
// ClientOptions.NewConn checks the server's answer against its offers
// (VerifyResponse, D-7-client-fail) before building its codec.Conn.
// ParseOffer, ParseResponse and Params.Extension read and write single
// elements, for tests and conformance runners.
//
// Messages. A Compressor (codec.SendExtension) deflates each message
// sent, sync-flushes it and strips the final 00 00 ff ff; a Decompressor
// (codec.Extension) appends it and inflates each message received whose
// first frame has RSV1. The codec.Decoder applies RSV1's placement rule,
// validates UTF-8 on the inflated text, fail-fast across fragments, and
// limits the inflated size with MaxMessage (1009), so that a
// decompression bomb costs no more memory than the limit.
//
// The inflater is this package's own resumable DEFLATE decoder, since
// compress/flate's cannot stop when input runs out and resume later; the
// compressor is compress/flate's. Window bits below 15 are honoured by
// compressing Huffman-only, without back-references (see negotiate.go).
//
// Memory per connection, measured by BenchmarkConnMemory: see the
// package's README section in the report; in short, the Decompressor
// holds 32 KiB plus tables, the Compressor compress/flate's
// compressor (about 1.2 MB at BestSpeed).
package deflate
