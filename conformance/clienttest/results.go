package clienttest

import (
	"encoding/json"
	"net"
	"net/url"
	"sort"
	"time"

	"github.com/wskit/wskit/conformance"
)

// AgentReport is the JSON document GET /results?agent=A returns: the
// agent's results under the server's policy. GET /results without an
// agent returns {"agents": [AgentReport, ...]}, one per agent with
// results, sorted by name.
type AgentReport struct {
	Agent string `json:"agent"`
	// Selected is the number of selected cases (what /getCaseCount
	// sends); Run the number of them the agent has results for.
	Selected int `json:"selected"`
	Run      int `json:"run"`
	// Failing counts the results that fail the run under the policy
	// (Policy, such as "FAILED,UNCLEAN,WRONG CODE"); Passed is true when
	// there is at least one result and none fails.
	Failing int    `json:"failing"`
	Passed  bool   `json:"passed"`
	Policy  string `json:"policy"`
	// Results are in case order.
	Results []CaseReport `json:"results"`
}

// CaseReport is one case of an AgentReport: Autobahn's index.json entry
// plus the case number, wskit's reason and why it fails the run.
type CaseReport struct {
	Case            int    `json:"case"` // 1-based position in the selection
	ID              string `json:"id"`
	Behavior        string `json:"behavior"`
	BehaviorClose   string `json:"behaviorClose"`
	Duration        int64  `json:"duration"` // milliseconds
	RemoteCloseCode *int   `json:"remoteCloseCode"`
	Reason          string `json:"reason"`
	// Fails says why the case fails the run ("behaviour FAILED"), or is
	// empty.
	Fails string `json:"fails,omitempty"`
}

// Report returns the AgentReport of an agent.
func (s *Server) Report(agent string) AgentReport {
	rs := s.AgentResults(agent)
	a := AgentReport{Agent: agent, Selected: len(s.cfg.Cases), Run: len(rs), Policy: s.cfg.Policy.String(), Results: []CaseReport{}}
	for _, r := range rs {
		c := CaseReport{
			Case: r.Index, ID: r.ID,
			Behavior: string(r.Behavior), BehaviorClose: string(r.BehaviorClose),
			Duration: r.Duration.Round(time.Millisecond).Milliseconds(),
			Reason:   r.Reason,
			Fails:    s.cfg.Policy.Why(r),
		}
		if r.HasRemoteCloseCode {
			code := r.RemoteCloseCode
			c.RemoteCloseCode = &code
		}
		if c.Fails != "" {
			a.Failing++
		}
		a.Results = append(a.Results, c)
	}
	a.Passed = a.Run > 0 && a.Failing == 0
	return a
}

// serveResults answers GET /results.
func (s *Server) serveResults(nc net.Conn, q url.Values) {
	var doc any
	if q.Has("agent") {
		doc = s.Report(q.Get("agent"))
	} else {
		all := struct {
			Agents []AgentReport `json:"agents"`
		}{Agents: []AgentReport{}}
		for _, a := range s.Agents() {
			all.Agents = append(all.Agents, s.Report(a))
		}
		doc = all
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		refuse(nc, 500, err.Error())
		return
	}
	writeHTTP(nc, 200, "application/json", append(b, '\n'))
}

// sortResults sorts results by agent, then in case order.
func sortResults(rs []*conformance.Result) {
	sort.SliceStable(rs, func(i, j int) bool {
		if rs[i].Agent != rs[j].Agent {
			return rs[i].Agent < rs[j].Agent
		}
		return conformance.CompareIDs(rs[i].ID, rs[j].ID) < 0
	})
}
