// Package spec holds RFC 6455 (The WebSocket Protocol) and RFC 7692
// (permessage-deflate) as data: opcodes, close codes and their validity,
// limits, the handshake GUID and header names, and the catalogue of every
// normative requirement with a stable ID.
//
// Requirement IDs follow one scheme: H-<section>-<slug> for the opening
// handshake, R-<section>-<slug> for framing, closing, UTF-8 and security
// rules of RFC 6455, and D-<section>-<slug> for RFC 7692. Errors, test
// vectors, properties and conformance cases elsewhere in wskit cite these
// IDs, and a test fails when one of them cites an ID that is not in the
// catalogue.
//
// The package has no dependencies beyond the standard library and does no
// I/O.
package spec
