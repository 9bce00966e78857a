package clienttest

import (
	"github.com/wskit/wskit/conformance"
	"github.com/wskit/wskit/conformance/config"
)

// Select applies the case keys of Autobahn's fuzzingserver.json ("cases",
// "exclude-cases", "exclude-agent-cases", with Autobahn's pattern rules,
// package config) to all, a case list in catalogue order. It returns the
// selected cases in that order, whose positions /runCase?case=N numbers
// (before "exclude-agent-cases", as in Autobahn), the function for
// Config.ExcludeFor, and the literal "cases" entries that name no case of
// all: Autobahn counts those and refuses to run them; Select leaves them
// out so that the caller can warn or refuse.
func Select(all []*conformance.Case, sel config.Selection) (cases []*conformance.Case, excludeFor func(agent, id string) bool, unknown []string, err error) {
	m, err := sel.Compile()
	if err != nil {
		return nil, nil, nil, err
	}
	ids := make([]string, len(all))
	for i, c := range all {
		ids[i] = c.ID
	}
	for _, c := range all {
		if m.Selected(c.ID) {
			cases = append(cases, c)
		}
	}
	missing, _ := m.Unmatched(ids)
	for _, p := range missing {
		if p.Literal() {
			unknown = append(unknown, p.String())
		}
	}
	return cases, m.ExcludedFor, unknown, nil
}
