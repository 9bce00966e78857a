// Package config reads Autobahn|Testsuite's spec files, fuzzingclient.json
// and fuzzingserver.json, as projects write them, and applies their case
// patterns with Autobahn's semantics.
//
// The package works on case IDs as strings ("6.4.1") and imports no other
// conformance package, so the command line and the client-testing mode can
// both use it. It does no I/O beyond reading the io.Reader it is handed.
//
// # The two files
//
// fuzzingclient.json (wstest -m fuzzingclient) tests servers: it becomes a
// [FuzzingClient], whose Servers are [Testee] values. fuzzingserver.json
// (wstest -m fuzzingserver) tests clients: it becomes a [FuzzingServer].
// Both embed a [Selection] (the keys "cases", "exclude-cases" and
// "exclude-agent-cases"), which [Selection.Compile] turns into a [Matcher].
// The types are named after wstest's modes rather than after the endpoint
// they configure, because a "client" spec configures the testing of
// servers and the other way round.
//
// # What is accepted
//
// The rules follow what wstest does with a file (autobahn-testsuite at its
// current head; 0.8.2, the long-lived Docker image, reads the same keys but
// a server's "hostname", added later), with the deviations listed here.
//
//   - JSON as Python's json module reads it: one top-level object, no
//     comments, no trailing commas, nothing after the object. Keys are
//     case-sensitive. A key given twice keeps its last value, as in
//     Python, and draws a warning. A leading UTF-8 byte order mark is
//     skipped with a warning (wstest refuses the file).
//   - Unknown keys are not errors, because wstest never looks at them; each
//     one draws the warning `unknown key "foo" ignored`, also inside
//     servers[] entries, with a hint when it differs from a known key only
//     in case or punctuation ("Cases", "exclude_cases").
//   - Required: "cases" in both files, "url" in fuzzingserver.json and in
//     every servers[] entry. wstest stops with a KeyError without them.
//   - "servers" may be missing or empty: wstest then tests the one server
//     named by its -w option. [FuzzingClient.ResolveServers] applies that
//     rule and returns [ErrNoServers] when neither is given.
//   - "outdir" defaults to "./reports/servers/" for fuzzingclient.json and
//     "./reports/clients/" for fuzzingserver.json, the values wstest's code
//     uses (with the trailing slash; its spec templates write the same
//     directories without one).
//   - URLs are checked the way Autobahn's parseWsUrl checks them: scheme ws
//     or wss, a host name, no fragment. Paths and queries are allowed.
//   - "options" (top level and per server) are kept as decoded by
//     encoding/json (numbers are float64) and not interpreted here. wstest
//     sets failByDrop=false, then applies the global options, then the
//     server's own; a runner that honours them should do the same.
//   - "webport" in fuzzingserver.json is read, but wstest takes the web
//     port from its -u option and ignores the key; it is kept so that files
//     written from Autobahn's own example load without warnings.
//   - null counts as absent only where wstest treats it so: "agent",
//     "origin" and "hostname" of a server, "key" and "cert" of
//     fuzzingserver.json, and the unused "webport". Elsewhere it is a type
//     error, as it makes wstest fail.
//   - The values of "exclude-agent-cases" must be arrays. wstest would
//     iterate a string character by character ("9.*" would exclude every
//     case for that agent through its "*"); that is reported as a type
//     error instead.
//
// Errors carry the key path of the offending value, written with 0-based
// indices and quoted map keys: servers[1].url,
// exclude-agent-cases["gws*"][0]. They are a [*SyntaxError] (with line and
// column), [*TypeError], [*MissingKeyError] or [*ValueError].
//
// # Case patterns
//
// Autobahn reads patterns in caseset.py, and this package does the same:
//
//   - In "cases" and "exclude-cases", an entry without "*" is a case ID,
//     compared by string equality: "2.1" selects 2.1 and not 2.10. An entry
//     with "*" becomes a regular expression in which each "." is made
//     literal and each "*" becomes ".*", and every other character keeps
//     its regular-expression meaning: "1[1-4].*" selects categories 11 to
//     14. The expression is anchored at the start only (Python's
//     re.match), so "9.*.1" also selects 9.1.10, "*.1" selects every ID
//     containing ".1", "1*" selects 1.x, 10.x, 12.x and 13.x, while "1.*"
//     (that is, "1\..*") selects only category 1.
//   - The selection is every ID matched by some "cases" entry and by no
//     "exclude-cases" entry.
//   - "exclude-agent-cases" maps an agent pattern to a list of case
//     patterns. Both sides are always regular expressions, rewritten the
//     same way ("." literal, "*" as ".*") and anchored at both ends, even
//     without "*": the agent key "gws" matches the agent "gws" only, and
//     the key "Foo (bar)" does not match the agent "Foo (bar)". A case
//     whose ID matches one of the patterns listed under a key that matches
//     the agent is skipped for that agent. wstest still opens the
//     connection for it and records nothing.
//
// Deviations, all at the edges:
//
//   - A "cases" entry without "*" must be a case ID in canonical form
//     (decimal numbers without leading zeros, separated by dots). wstest
//     aborts on a non-numeric entry and silently rewrites "06.4.1" as
//     6.4.1; both are errors here. An "exclude-cases" entry that is not a
//     case ID excludes nothing, in wstest and here, and draws a warning.
//   - Expressions are compiled by Go's regexp (RE2), not Python's re:
//     constructs RE2 lacks (backreferences, lookaround, \Z) are errors, and
//     "$" does not match before a final newline. Case IDs never contain
//     those.
//   - An agent key that contains regular-expression syntax, no backslash,
//     and does not match itself draws a warning, since it usually is an
//     agent name written as is.
//
// A pattern that selects nothing is not an error: wstest ignores a "*"
// pattern that matches no case (real files exclude "11.*", a category that
// does not exist). wstest does refuse a "cases" ID that is not in its
// catalogue; [Matcher.Unmatched] lists such entries so the caller can do
// the same or warn.
//
// Selection runs over the IDs the caller passes and keeps their order.
// wstest runs the selected cases sorted numerically by ID, as tuples of
// numbers (2.1 < 2.10 < 10.1.1), which is the order of its catalogue; pass
// IDs in that order to get the same sequence. In fuzzingserver mode the case
// number N of /runCase?case=N is the 1-based position in that list, before
// "exclude-agent-cases" is applied ([Matcher.Select], then
// [Matcher.ExcludedFor] per agent).
package config
