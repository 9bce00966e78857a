//go:build race

package clienttest_test

// raceEnabled is true when the tests run under the race detector, which
// slows the runner and the clients enough to miss the suite's one-second
// closing timers with big messages.
const raceEnabled = true
