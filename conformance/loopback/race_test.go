//go:build race

package loopback

// raceEnabled is true when the tests run under the race detector, whose
// instrumentation allocates and slows: memory bounds are then not checked.
const raceEnabled = true
