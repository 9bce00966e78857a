//go:build race

package fuzz

// raceDetector is true under the race detector, whose instrumentation
// allocates: the fuzz targets then skip their allocation counts.
const raceDetector = true
