package config

import (
	"errors"
	"slices"
	"strconv"
)

var errNotCaseID = errors.New(`neither a case ID nor a pattern with "*"`)

// Selection holds the three keys both spec files share. Patterns are kept
// as written; [Selection.Compile] checks and compiles them.
type Selection struct {
	// Cases lists the case IDs and patterns to run ("cases"). Required in
	// a spec file; ["*"] selects every case.
	Cases []string
	// ExcludeCases lists IDs and patterns removed from Cases
	// ("exclude-cases").
	ExcludeCases []string
	// ExcludeAgentCases maps an agent pattern to the case patterns skipped
	// for the agents it matches ("exclude-agent-cases"). Both sides are
	// anchored at both ends; see [CompileAnchoredPattern].
	ExcludeAgentCases map[string][]string
}

// Compile checks and compiles the selection's patterns. It fails with a
// [*ValueError] naming the entry (cases[2],
// exclude-agent-cases["gws*"][0]) for an expression that does not compile
// and for a "cases" entry without "*" that is not a case ID. The keys of
// ExcludeAgentCases are compiled in sorted order, so the first error is
// always the same one.
func (s *Selection) Compile() (*Matcher, error) {
	m := &Matcher{}
	var err error
	if m.cases, err = compileList("cases", s.Cases, true); err != nil {
		return nil, err
	}
	if m.exclude, err = compileList("exclude-cases", s.ExcludeCases, false); err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(s.ExcludeAgentCases))
	for k := range s.ExcludeAgentCases {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		path := "exclude-agent-cases[" + strconv.Quote(k) + "]"
		agent, err := CompileAnchoredPattern(k)
		if err != nil {
			return nil, &ValueError{Path: path, Value: k, Err: err}
		}
		r := agentRule{agent: agent}
		for j, c := range s.ExcludeAgentCases[k] {
			p, err := CompileAnchoredPattern(c)
			if err != nil {
				return nil, &ValueError{Path: path + "[" + strconv.Itoa(j) + "]", Value: c, Err: err}
			}
			r.cases = append(r.cases, p)
		}
		m.agents = append(m.agents, r)
	}
	return m, nil
}

func compileList(key string, list []string, requireID bool) ([]*Pattern, error) {
	ps := make([]*Pattern, 0, len(list))
	for i, s := range list {
		path := key + "[" + strconv.Itoa(i) + "]"
		p, err := CompilePattern(s)
		if err != nil {
			return nil, &ValueError{Path: path, Value: s, Err: err}
		}
		if requireID && p.Literal() && !isCaseID(s) {
			return nil, &ValueError{Path: path, Value: s, Err: errNotCaseID}
		}
		ps = append(ps, p)
	}
	return ps, nil
}

// Select compiles the selection and returns the IDs in ids that "cases"
// selects and "exclude-cases" does not remove, in the order of ids. See
// [Matcher.Select].
func (s *Selection) Select(ids []string) ([]string, error) {
	m, err := s.Compile()
	if err != nil {
		return nil, err
	}
	return m.Select(ids), nil
}

// SelectFor compiles the selection and returns the IDs in ids that agent
// runs: selected, and not skipped for it by "exclude-agent-cases". See
// [Matcher.SelectFor].
func (s *Selection) SelectFor(agent string, ids []string) ([]string, error) {
	m, err := s.Compile()
	if err != nil {
		return nil, err
	}
	return m.SelectFor(agent, ids), nil
}

// A Matcher is a compiled [Selection]. It is safe for concurrent use.
type Matcher struct {
	cases, exclude []*Pattern
	agents         []agentRule
}

type agentRule struct {
	agent *Pattern
	cases []*Pattern
}

// Selected reports whether a "cases" entry matches id and no
// "exclude-cases" entry does.
func (m *Matcher) Selected(id string) bool {
	return matchAny(m.cases, id) && !matchAny(m.exclude, id)
}

// ExcludedFor reports whether "exclude-agent-cases" skips case id for
// agent: some key matches agent and one of the patterns listed under that
// key matches id. It does not look at "cases" or "exclude-cases".
//
// In wstest the agent is the servers[] entry's "agent" in fuzzingclient
// mode (or, when that is empty, the testee's Server header, else
// "UnknownServer"), and the agent query parameter of /runCase in
// fuzzingserver mode.
func (m *Matcher) ExcludedFor(agent, id string) bool {
	for _, r := range m.agents {
		if r.agent.Match(agent) && matchAny(r.cases, id) {
			return true
		}
	}
	return false
}

// Select returns the IDs in ids that are [Matcher.Selected], in the order
// of ids; duplicates are kept. The result does not alias ids and is nil
// when nothing is selected.
//
// This is the list whose positions wstest's fuzzingserver mode numbers
// (/runCase?case=N) when ids is in catalogue order.
func (m *Matcher) Select(ids []string) []string {
	var out []string
	for _, id := range ids {
		if m.Selected(id) {
			out = append(out, id)
		}
	}
	return out
}

// SelectFor returns the IDs in ids that are selected and not
// [Matcher.ExcludedFor] agent, in the order of ids. The result does not
// alias ids and is nil when nothing is selected.
func (m *Matcher) SelectFor(agent string, ids []string) []string {
	var out []string
	for _, id := range ids {
		if m.Selected(id) && !m.ExcludedFor(agent, id) {
			out = append(out, id)
		}
	}
	return out
}

// Unmatched returns the "cases" and "exclude-cases" entries that match
// none of ids, in the order they were written. Neither is an error by
// itself: wstest ignores a "*" pattern that matches nothing, and an
// exclusion that matches nothing has no effect. A literal "cases" entry
// among them (see [Pattern.Literal]) names a case wstest does not have,
// which wstest refuses when it reaches it.
func (m *Matcher) Unmatched(ids []string) (cases, excludeCases []*Pattern) {
	return unmatched(m.cases, ids), unmatched(m.exclude, ids)
}

func unmatched(ps []*Pattern, ids []string) []*Pattern {
	var out []*Pattern
	for _, p := range ps {
		if !slices.ContainsFunc(ids, p.Match) {
			out = append(out, p)
		}
	}
	return out
}

func matchAny(ps []*Pattern, s string) bool {
	for _, p := range ps {
		if p.Match(s) {
			return true
		}
	}
	return false
}
