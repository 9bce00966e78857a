package interop

// A Verdict is how a library's behaviour on one vector compares with the
// vector's expectation. The order is the order of severity, from best to
// worst, used when one table cell sums up several vectors.
type Verdict int

// The verdicts.
const (
	// NotApplicable: the vector needs an option or API the library does
	// not have (a limit on fragments, a resource policy, sending a pong).
	NotApplicable Verdict = iota
	// Conforms: the library did what the vector expects.
	Conforms
	// NotFailFast: the library rejects the violation only once more bytes
	// arrive (it validates UTF-8 per frame, not as bytes arrive); RFC 6455
	// allows this, the vector shows it.
	NotFailFast
	// NoClose: the library failed the connection by closing the transport
	// without sending a Close frame first (the MUST of R-7.1.7-fail is
	// kept, the SHOULD of R-7.1.7-fail-send-close is not).
	NoClose
	// WrongCode: the library refused the input, but with another close
	// code (or HTTP status class) than the vector's.
	WrongCode
	// Differs: the library accepted what it should and refused what it
	// should, but its output differs otherwise (a missing pong, a close
	// code reported wrongly, a send it should have refused).
	Differs
	// RejectsValid: the library failed a connection the vector says is
	// valid.
	RejectsValid
	// Lenient: the library accepted what RFC 6455 says to reject.
	Lenient
	// Hangs: the library neither accepted nor refused within the timeout.
	Hangs
	// Crashes: the library panicked, or allocated beyond the bound.
	Crashes
)

var verdictNames = [...]string{
	NotApplicable: "n/a",
	Conforms:      "conforms",
	NotFailFast:   "not fail-fast",
	NoClose:       "no Close",
	WrongCode:     "wrong code",
	Differs:       "differs",
	RejectsValid:  "rejects valid",
	Lenient:       "lenient",
	Hangs:         "hangs",
	Crashes:       "crashes",
}

func (v Verdict) String() string {
	if v < 0 || int(v) >= len(verdictNames) {
		return "unknown"
	}
	return verdictNames[v]
}

// Enforced reports whether the verdict means the library refused the
// violation in some way.
func (v Verdict) Enforced() bool {
	return v == Conforms || v == NotFailFast || v == NoClose || v == WrongCode
}

// Breaks reports whether the verdict breaks the rule outright: accepting
// what must be refused, refusing what must be accepted, never answering or
// crashing. Wrong codes, missing Close frames and other differences are
// counted apart.
func (v Verdict) Breaks() bool {
	return v == Lenient || v == RejectsValid || v == Hangs || v == Crashes
}

// A Result is one vector run through one library.
type Result struct {
	// Library is the library's name.
	Library string
	// File is "decoder", "conn", "handshake" or "deflate".
	File string
	// ID is the vector's ID.
	ID string
	// Requirements are the requirement IDs the vector cites.
	Requirements []string
	// Valid is true for a vector that expects no violation: the library
	// must accept it.
	Valid bool
	// Baseline is true for a valid decoder vector of plain text and
	// binary messages with no limit: every working driver passes it.
	Baseline bool
	// Verdict is the comparison's outcome.
	Verdict Verdict
	// Detail says what the library did, for people.
	Detail string
	// Measured is true for a run that went alone with its allocations
	// recorded in Alloc: the bytes the process allocated during it, the
	// harness's own share included (runtime.MemStats.TotalAlloc).
	Measured bool
	Alloc    uint64
}
