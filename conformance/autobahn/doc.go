// Package autobahn is the catalogue of conformance cases: those of
// Autobahn|Testsuite's fuzzing client, with Autobahn's IDs, payloads,
// timers, expected events and verdict rules, and (in categories whose
// numbers Autobahn never used) wskit's own. Each case cites the
// requirement IDs of package spec it checks.
//
// Each category is one file that declares its [Category] (number, name,
// sub-category captions, how many cases Autobahn numbers in it) and
// builds its cases; the list in catalogue.go names every category once.
// The catalogue keeps Autobahn's case numbers ([conformance.Case].Index,
// "case" in reports) even for the categories it does not implement yet, so
// that 10.1.1 is case 301 as in every published Autobahn report.
//
// [Select] picks cases with wskit's patterns, whose components match
// whole ("1.*" is category 1, not 10); package
// [github.com/wskit/wskit/conformance/config] applies Autobahn's own
// pattern rules for its spec files.
package autobahn
