// Package report writes the results of a conformance run
// ([conformance.Result]) for people and for tools:
//
//   - [WriteSummary]: a table per agent and category, then the cases that
//     fail the run under a [conformance.Policy] and the close problems;
//   - [WriteIndexJSON] and [WriteCaseJSON]: Autobahn|Testsuite's index.json
//     and per-case reports, byte for byte as Autobahn's Python 2 writes
//     them, so that scripts written for Autobahn read them unchanged;
//   - [WriteJUnit]: JUnit XML for CI systems;
//   - [WriteHTML]: one self-contained page, its template embedded;
//   - [WriteReports]: all of them into a directory, where Autobahn puts its
//     own.
//
// [ReadBaseline] and [Baseline.Compare] compare a run with the verdicts a
// project has accepted (a previous index.json), so that a known
// NON-STRICT case does not fail CI while any change does.
//
// A new format is a file here with a Write function over results, added
// to WriteReports if it belongs in a report directory.
package report
