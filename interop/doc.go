// Package interop runs wskit's test vectors through other Go WebSocket
// libraries and tabulates who accepts what, in the manner of JSONTestSuite
// for JSON parsers and Wycheproof for cryptographic libraries.
//
// Every library is driven through its public API only, as a real server or
// client on a loopback TCP connection (127.0.0.1): the harness performs an
// opening handshake with it, then plays the peer, writing each vector's
// bytes (vectors/decoder.json, vectors/conn.json, and the decoder vectors of
// vectors/deflate.json with permessage-deflate negotiated) or request head
// (vectors/handshake.json, the offers of vectors/deflate.json) and
// recording what the library does: the
// messages its application receives, the frames it sends back (pongs,
// Close and its code), whether it closes the transport, hangs (bounded by a
// timeout), panics or allocates beyond a bound.
//
// Run compares each observation with the vector's expectation (Judge) and
// WriteTable renders the requirement-by-library table of INTEROP.md:
//
//	cd interop && go run ./cmd/interop -out INTEROP.md
//
// The drivers are in the files named lib_*.go, one per library. This is a
// separate module so that the wskit module itself depends on none of them.
package interop
