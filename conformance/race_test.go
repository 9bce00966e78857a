//go:build race

package conformance_test

// raceEnabled is true when the tests run under the race detector, whose
// instrumentation allocates: memory bounds are then not checked.
const raceEnabled = true
