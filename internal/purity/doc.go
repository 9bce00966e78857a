// Package purity holds the test that keeps wskit's codec, spec and
// handshake packages (and their subpackages) free of I/O: they may not
// directly import net, net/http, net/textproto, os, time, math/rand or
// sync, and may not start goroutines. Randomness and time are passed in by
// callers; I/O lives in conformance and cmd.
package purity
