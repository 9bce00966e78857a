package conformance

import (
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Expected closes shared by many cases.
var (
	// closeNormal: the runner closes with 1000 once the expected events
	// arrived; the testee answers 1000 (or an empty Close) and closes TCP.
	closeNormal = ExpectedClose{ClosedByMe: true, CloseCode: []int{1000}, RequireClean: true}
	// failProtocol: the testee must fail the connection, with 1002 or by
	// dropping TCP.
	failProtocol = ExpectedClose{ClosedByMe: false, CloseCode: []int{1002}, RequireClean: false}
	// failUTF8: the testee must fail the connection with 1007 (or drop
	// TCP); leaving it to the runner fails the case.
	failUTF8 = ExpectedClose{ClosedByMe: false, CloseCode: []int{1007}, RequireClean: false, ClosedByWrongEndpointIsFatal: true}
)

// ok returns an expectation with only an OK list.
func ok(evs ...Event) map[Verdict][]Event {
	if evs == nil {
		evs = []Event{}
	}
	return map[Verdict][]Event{OK: evs}
}

// okOrNothing returns an expectation where the events earn OK and
// receiving nothing earns NON-STRICT.
func okOrNothing(evs ...Event) map[Verdict][]Event {
	return map[Verdict][]Event{OK: evs, NonStrict: {}}
}

// text and pong build expected events from strings.
func text(s string) Event { return Message([]byte(s), false) }
func pong(s string) Event { return Pong([]byte(s)) }

// reqs lists requirement IDs.
func reqs(ids ...string) []string { return ids }

// withReqs returns ids followed by more, in a new slice.
func withReqs(ids []string, more ...string) []string {
	return append(append([]string(nil), ids...), more...)
}

var (
	catalogueOnce sync.Once
	catalogue     []*Case
	catalogueByID map[string]*Case
)

// Cases returns every case of the catalogue in numeric ID order. The
// slice is shared: do not modify it or the cases.
func Cases() []*Case {
	catalogueOnce.Do(buildCatalogue)
	return catalogue
}

// Lookup returns the case with the given ID.
func Lookup(id string) (*Case, bool) {
	catalogueOnce.Do(buildCatalogue)
	c, ok := catalogueByID[id]
	return c, ok
}

func buildCatalogue() {
	var all []*Case
	for _, build := range []func() []*Case{
		framingCases, pingCases, rsvCases, opcodeCases, fragmentationCases,
		utf8Cases, closeCases, miscCases,
	} {
		all = append(all, build()...)
	}
	slices.SortStableFunc(all, func(a, b *Case) int { return compareIDs(a.ID, b.ID) })
	byID := make(map[string]*Case, len(all))
	for _, c := range all {
		if _, dup := byID[c.ID]; dup {
			panic("conformance: duplicate case " + c.ID)
		}
		byID[c.ID] = c
	}
	catalogue, catalogueByID = all, byID
}

// indexOf returns the 1-based position of a case in Autobahn's full list
// of 517 cases, which reports call "case". Categories 9, 12 and 13 are not
// in wskit's catalogue yet, so their sizes are added here to keep the
// numbering of later cases identical.
func indexOf(id string) int {
	n := 0
	for _, c := range Cases() {
		if compareIDs(c.ID, id) > 0 {
			break
		}
		n++
	}
	if compareIDs(id, "10") > 0 {
		n += 54 // category 9 precedes category 10
	}
	return n
}

// Select returns the cases matched by any of the include patterns (all
// cases when include is empty) and by none of the exclude patterns, in ID
// order. A pattern is a case ID whose components are compared whole: "1"
// or "1.*" selects all of category 1 (not 10), "6.4" or "6.4.*" selects
// 6.4.1-6.4.4, "6.*.1" selects the first case of every sub-category of 6.
// A pattern that matches no case is an error, so a typo never silently
// selects nothing.
func Select(include, exclude []string) ([]*Case, error) {
	for _, p := range slices.Concat(include, exclude) {
		if !validPattern(p) {
			return nil, fmt.Errorf("invalid case pattern %q: use dot-separated numbers and *, such as 1.*, 6.4.1 or 7.*.1", p)
		}
		if !slices.ContainsFunc(Cases(), func(c *Case) bool { return matchPattern(p, c.ID) }) {
			return nil, fmt.Errorf("case pattern %q matches no case", p)
		}
	}
	var out []*Case
	for _, c := range Cases() {
		in := len(include) == 0 || slices.ContainsFunc(include, func(p string) bool { return matchPattern(p, c.ID) })
		out_ := slices.ContainsFunc(exclude, func(p string) bool { return matchPattern(p, c.ID) })
		if in && !out_ {
			out = append(out, c)
		}
	}
	return out, nil
}

func validPattern(p string) bool {
	if p == "" {
		return false
	}
	for _, part := range strings.Split(p, ".") {
		if part == "*" {
			continue
		}
		if part == "" {
			return false
		}
		for _, r := range part {
			if r < '0' || r > '9' {
				return false
			}
		}
	}
	return true
}

// matchPattern reports whether pattern selects id. Each component matches
// one ID component; '*' matches any one, and a final '*' (or the end of a
// shorter pattern) matches the rest.
func matchPattern(pattern, id string) bool {
	ps, is := strings.Split(pattern, "."), strings.Split(id, ".")
	for i, p := range ps {
		if i >= len(is) {
			return false
		}
		if p == "*" {
			if i == len(ps)-1 {
				return true
			}
			continue
		}
		if p != is[i] {
			return false
		}
	}
	return true
}
