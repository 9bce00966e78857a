// Package deflate implements permessage-deflate (RFC 7692) for package
// codec: the negotiation of its parameters in the opening handshake, and
// the compression of messages as a codec extension that owns RSV1. Like
// codec, it does no I/O and starts no goroutine.
//
// # Negotiation
//
// A server puts ServerOptions.NegotiateExtensions in
// handshake.Server.NegotiateExtensions: the first valid offer is accepted,
// adjusted to the server's policy, and invalid ones are declined, which
// is never an HTTP error (D-7-server-decline). ServerOptions.NewConn then
// builds the server's codec.Conn from the *handshake.Acceptance.
//
// A client puts ClientOptions.Extensions in
// handshake.RequestOptions.Extensions; after handshake.VerifyResponse,
// ClientOptions.NewConn checks the server's answer against the offers
// (VerifyResponse: D-7-client-fail, D-5-invalid-response,
// D-5-rsv1-conflict) and builds the client's codec.Conn. An error there
// means the client must fail the connection.
//
// ParseOffer, ParseResponse and Params.Extension read and write single
// elements, for tests and conformance runners that build invalid ones;
// Configure, NewCompressor and NewDecompressor assemble the pieces by
// hand.
//
// # Window bits
//
// compress/flate always compresses with a 32 KiB window, and cannot
// honour server_max_window_bits (as a server) or client_max_window_bits
// (as a client) below 15 by shrinking it. Answering such an offer with
// server_no_context_takeover instead would not do: it keeps references
// within a message, and a message longer than 2^N bytes may still refer
// up to 32 KiB back within itself. Declining, as zlib-based servers must
// for 8, loses compression altogether.
//
// wskit accepts every value N from 8 to 15 as asked. Below 15 its
// Compressor sync-flushes and resets compress/flate's writer every 2^N
// bytes of input (across messages, with context takeover): a reset
// writer refers to nothing before it, so no reference reaches back more
// than 2^N bytes. Raw DEFLATE has no stream header, and a sync flush
// ends byte-aligned, so the pieces form one valid stream. It compresses
// at flate.BestSpeed there, whose reset is free (the other levels clear
// 640 KB of tables), unless flate.HuffmanOnly was asked for, which makes
// no reference at all. The cost is a flush and a block header per 2^N
// bytes, and matches limited to the segment. Measured sizes after
// compression, at window bits 15, 12, 9 and 8, and Huffman-only:
//
//	1 KiB of repetitive JSON        8%   8%  16%  31%   58%
//	4 KiB of English (ARCHITECTURE) 47%  47%  60%  68%   60%
//
// The Decompressor inflates with the window the peer agreed to and fails
// a reference beyond it (1007).
//
// # Messages
//
// A Compressor (codec.SendExtension) deflates each message sent,
// sync-flushes it and strips the final 00 00 ff ff (D-7.2.1-compress),
// resetting before each message under its own no_context_takeover
// (D-7.2.1-own-takeover). A Decompressor (codec.Extension) appends the
// 4 bytes to each message received with RSV1 and inflates it
// (D-7.2.2-decompress), keeping the window across messages unless the
// peer agreed not to use it (D-7.2.2-peer-takeover). The codec.Decoder
// applies RSV1's placement rule (1002 on a continuation or control frame,
// D-6-rsv1-placement), validates UTF-8 on the inflated text, fail-fast
// across fragments (D-6-utf8-after), and limits the inflated size with
// MaxMessage (1009), so that a decompression bomb costs no more memory
// than the limit: the Decompressor hands out its output in pieces of at
// most 32 KiB, slices of its window.
//
// The inflater is this package's own DEFLATE decoder (RFC 1951): a
// sans-IO decoder must stop when the bytes received run out and resume
// when more arrive, which compress/flate's reader cannot (its source
// running dry mid-block is a sticky error). The compressor is
// compress/flate's.
//
// # Memory and allocations
//
// Measured with
//
//	go test -run='^$' -bench=ConnMemory -benchmem ./codec/deflate
//
// (go1.26.8, linux/amd64), what one server connection holds after
// sending and receiving one compressed 1 KiB message:
//
//	no permessage-deflate                              1.9 KB
//	context takeover (compressor of its own)           1.25 MB
//	no context takeover, compressor of its own        1.25 MB
//	no context takeover, compressors from a WriterPool 60 KB
//	window bits 9                                      1.25 MB
//
// The Decompressor holds a 32 KiB window and about 5 KB of code tables
// in every case; the rest is compress/flate's compressor (1.2 MB at
// flate.BestSpeed, the default level, 0.7-0.8 MB at the others), which
// compress/flate makes no smaller. With context takeover it must live as
// long as the connection; without it, a WriterPool lends one per message,
// so that idle connections hold none.
//
// Sending and receiving a compressed message allocates nothing in the
// steady state (BenchmarkMessage, TestZeroAllocs), with or without
// context takeover: the inflater writes into its window, compress/flate's
// writer is reused with Reset, and the Conn's buffers are reused. What
// does allocate: the compressor on the first message (or when a pool is
// empty), the Decompressor's window once, a Conn's buffers while they
// grow to the largest message, and errors.
package deflate
