// Package layers holds the test that keeps the module's import direction:
//
//	spec <- codec <- handshake            (pure: no I/O, see internal/purity)
//	conformance (engine) <- conformance/autobahn (catalogue)
//	    <- conformance/report <- cmd/wskit
//	conformance/report, conformance/config <- conformance/clienttest <- cmd/wskit
//
// conformance/config (Autobahn's spec files), conformance/loopback (the
// echo server) and conformance/clienttest/echoclient (the echo client)
// stand on their own: none imports another conformance package. codec, handshake, spec, vectors and fuzz import no conformance
// package, and nothing imports cmd. Only non-test files count: a test may
// reach across layers to prove one with another.
package layers
