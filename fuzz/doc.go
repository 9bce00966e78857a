// Package fuzz holds wskit's native Go fuzz targets. Each target asserts
// properties of the code under test (round trips, agreement with a
// reference, typed errors, bounded memory), not only the absence of
// panics, and is seeded from the JSON vectors of package vectors.
//
// Run one target with
//
//	go test -run='^$' -fuzz='^FuzzParseHeader$' ./fuzz
//
// Plain "go test ./fuzz" runs every target once over its seeds and over
// the failing inputs kept in testdata/fuzz.
package fuzz
