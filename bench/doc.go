// Package bench holds side-by-side benchmarks of wskit's codec against
// other Go WebSocket libraries: gorilla/websocket, gobwas/ws,
// coder/websocket and, for the echo servers, lxzan/gws. It has no code of
// its own; everything is in its test files, one per benchmark family (mask,
// header, UTF-8, decode, encode, echo), and every benchmark checks before it
// starts timing that the libraries it compares produce the same bytes or
// payloads.
//
// It is a separate module so that the wskit module itself depends on
// nothing but the standard library, rapid, go-cmp and golang.org/x/sys. Run
// it with
//
//	bash bench/run.sh          # the measurement behind BENCHMARKS.md
//	bash bench/run.sh -quick   # every benchmark once
//
// README.md says what each benchmark measures, why the comparison is fair,
// and what was measured on the reference machine.
package bench
