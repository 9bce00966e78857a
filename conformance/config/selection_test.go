package config

import (
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// ids is a slice of Autobahn's catalogue in its (numeric) order, with the
// neighbours that make prefix mistakes visible: 2.1/2.10, 6.4.1/6.4.4,
// 1.x/10.x/12.x/13.x.
var ids = []string{
	"1.1.1", "1.1.8", "1.2.1",
	"2.1", "2.2", "2.10", "2.11",
	"3.1", "4.1.1",
	"5.1", "5.20",
	"6.1.1", "6.4.1", "6.4.2", "6.4.3", "6.4.4",
	"7.1.1", "7.1.6", "7.13.2",
	"9.1.1", "9.1.6", "9.2.5", "9.7.6",
	"10.1.1",
	"12.1.1", "12.5.18",
	"13.1.1", "13.7.18",
}

func TestSelect(t *testing.T) {
	tests := []struct {
		name string
		sel  Selection
		want []string
	}{
		{
			name: "all",
			sel:  Selection{Cases: []string{"*"}},
			want: ids,
		},
		{
			name: "category 1 is not 10, 12 or 13",
			sel:  Selection{Cases: []string{"1.*"}},
			want: []string{"1.1.1", "1.1.8", "1.2.1"},
		},
		{
			name: "1* takes 10, 12 and 13 too",
			sel:  Selection{Cases: []string{"1*"}},
			want: []string{"1.1.1", "1.1.8", "1.2.1", "10.1.1", "12.1.1", "12.5.18", "13.1.1", "13.7.18"},
		},
		{
			name: "compression excluded by a character class",
			sel:  Selection{Cases: []string{"*"}, ExcludeCases: []string{"1[1-4].*"}},
			want: slices.DeleteFunc(slices.Clone(ids), func(id string) bool {
				return strings.HasPrefix(id, "12.") || strings.HasPrefix(id, "13.")
			}),
		},
		{
			name: "literal IDs are exact",
			sel:  Selection{Cases: []string{"2.1", "6.4.1"}},
			want: []string{"2.1", "6.4.1"},
		},
		{
			name: "a star makes them prefixes",
			sel:  Selection{Cases: []string{"2.1*", "6.4.1*"}},
			want: []string{"2.1", "2.10", "2.11", "6.4.1"},
		},
		{
			name: "literal exclusion removes one case",
			sel:  Selection{Cases: []string{"2.*"}, ExcludeCases: []string{"2.1"}},
			want: []string{"2.2", "2.10", "2.11"},
		},
		{
			name: "exclusion wins over inclusion",
			sel:  Selection{Cases: []string{"6.4.1", "6.4.*"}, ExcludeCases: []string{"6.4.1"}},
			want: []string{"6.4.2", "6.4.3", "6.4.4"},
		},
		{
			name: "not anchored at the end",
			sel:  Selection{Cases: []string{"*.1"}},
			want: []string{"1.1.1", "1.1.8", "1.2.1", "2.1", "2.10", "2.11", "3.1", "4.1.1", "5.1", "6.1.1", "6.4.1", "7.1.1", "7.1.6", "7.13.2", "9.1.1", "9.1.6", "10.1.1", "12.1.1", "12.5.18", "13.1.1", "13.7.18"},
		},
		{
			name: "patterns that match nothing are ignored",
			sel:  Selection{Cases: []string{"11.*", "3.*", "99.1"}, ExcludeCases: []string{"8.*", "not-a-case"}},
			want: []string{"3.1"},
		},
		{
			name: "empty cases selects nothing",
			sel:  Selection{Cases: []string{}},
			want: nil,
		},
		{
			name: "duplicates in cases change nothing",
			sel:  Selection{Cases: []string{"9.1.*", "9.1.1", "9.1.*"}},
			want: []string{"9.1.1", "9.1.6"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.sel.Select(ids)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Select (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSelectKeepsOrder(t *testing.T) {
	in := []string{"9.1.1", "1.1.1", "9.1.1", "2.1", "10.1.1"}
	sel := Selection{Cases: []string{"9.*", "1.*", "10.*"}}
	got, err := sel.Select(in)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"9.1.1", "1.1.1", "9.1.1", "10.1.1"}
	if !slices.Equal(got, want) {
		t.Errorf("Select = %q, want %q", got, want)
	}
	got[0] = "changed"
	if in[0] != "9.1.1" {
		t.Error("Select result aliases its input")
	}
}

func TestExcludedFor(t *testing.T) {
	sel := Selection{
		Cases: []string{"*"},
		ExcludeAgentCases: map[string][]string{
			"wskit/server*": {"6.4.*", "2.1"},
			"nginx-proxy":   {"9.*", "7.1.6"},
			"*deflate":      {"12.*", "13.1*"},
		},
	}
	m, err := sel.Compile()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		agent, id string
		want      bool
	}{
		{"wskit/server@v0.3.0", "6.4.1", true},
		{"wskit/server@v0.3.0", "6.4.4", true},
		{"wskit/server@v0.3.0", "6.1.1", false},
		{"wskit/server@v0.3.0", "2.1", true},
		{"wskit/server@v0.3.0", "2.10", false}, // "2.1" is anchored at both ends
		{"wskit/server", "6.4.1", true},
		{"my wskit/server", "6.4.1", false}, // the agent key is anchored at the start
		{"nginx-proxy", "9.1.1", true},
		{"nginx-proxy", "7.1.6", true},
		{"nginx-proxy", "7.1.1", false},
		{"nginx-proxy2", "9.1.1", false}, // ...and at the end
		{"Nginx-proxy", "9.1.1", false},  // ...and case-sensitive
		{"wskit/server@v0.3.0 deflate", "12.1.1", true},
		{"wskit/server@v0.3.0 deflate", "6.4.1", true}, // two keys match; either excludes
		{"wskit/server@v0.3.0 deflate", "13.1.1", true},
		{"wskit/server@v0.3.0 deflate", "13.7.18", false},
		{"other", "6.4.1", false},
	}
	for _, tt := range tests {
		if got := m.ExcludedFor(tt.agent, tt.id); got != tt.want {
			t.Errorf("ExcludedFor(%q, %q) = %t, want %t", tt.agent, tt.id, got, tt.want)
		}
	}

	got := m.SelectFor("nginx-proxy", ids)
	for _, id := range got {
		if strings.HasPrefix(id, "9.") || id == "7.1.6" {
			t.Errorf("SelectFor(nginx-proxy) kept %s", id)
		}
	}
	if want := len(ids) - 5; len(got) != want {
		t.Errorf("SelectFor(nginx-proxy) kept %d cases, want %d", len(got), want)
	}
	if all := m.Select(ids); !slices.Equal(all, ids) {
		t.Errorf("Select applied agent exclusions: %q", all)
	}
	viaSelection, err := sel.SelectFor("nginx-proxy", ids)
	if err != nil || !slices.Equal(viaSelection, got) {
		t.Errorf("Selection.SelectFor = %q, %v; want %q", viaSelection, err, got)
	}
}

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		name     string
		sel      Selection
		wantPath string
	}{
		{"word in cases", Selection{Cases: []string{"1.*", "all"}}, "cases[1]"},
		{"leading zero in cases", Selection{Cases: []string{"06.4.1"}}, "cases[0]"},
		{"space in cases", Selection{Cases: []string{" 6.4.1"}}, "cases[0]"},
		{"empty in cases", Selection{Cases: []string{""}}, "cases[0]"},
		{"bad expression in cases", Selection{Cases: []string{"1[.*"}}, "cases[0]"},
		{"bad expression in exclude-cases", Selection{Cases: []string{"*"}, ExcludeCases: []string{"2.1", "(*"}}, "exclude-cases[1]"},
		{"bad agent key", Selection{Cases: []string{"*"}, ExcludeAgentCases: map[string][]string{"c++": {"*"}}}, `exclude-agent-cases["c++"]`},
		{"bad agent case pattern", Selection{Cases: []string{"*"}, ExcludeAgentCases: map[string][]string{"gws": {"9.*", "1["}}}, `exclude-agent-cases["gws"][1]`},
		{"first key in sorted order", Selection{Cases: []string{"*"}, ExcludeAgentCases: map[string][]string{"b(": nil, "a(": nil, "c(": nil}}, `exclude-agent-cases["a("]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.sel.Compile()
			var ve *ValueError
			if !errors.As(err, &ve) {
				t.Fatalf("Compile error = %v, want a *ValueError", err)
			}
			if ve.Path != tt.wantPath {
				t.Errorf("Compile error path = %s, want %s (%v)", ve.Path, tt.wantPath, err)
			}
			if _, err := tt.sel.Select(ids); err == nil {
				t.Error("Select returned no error")
			}
			if _, err := tt.sel.SelectFor("x", ids); err == nil {
				t.Error("SelectFor returned no error")
			}
		})
	}

	// Not errors: literals that are not case IDs exclude nothing, as in
	// wstest, and a literal agent key is a regular expression only.
	ok := Selection{
		Cases:             []string{"*"},
		ExcludeCases:      []string{"all", "1[", ""},
		ExcludeAgentCases: map[string][]string{"Foo (bar)": {"6.4.1"}},
	}
	if _, err := ok.Compile(); err != nil {
		t.Errorf("Compile(%+v): %v", ok, err)
	}
}

func TestUnmatched(t *testing.T) {
	sel := Selection{
		Cases:        []string{"1.*", "11.*", "6.4.1", "6.4.9", "99.*"},
		ExcludeCases: []string{"9.2.5", "9.9.9", "8.*", "all"},
	}
	m, err := sel.Compile()
	if err != nil {
		t.Fatal(err)
	}
	cases, excl := m.Unmatched(ids)
	str := func(ps []*Pattern) (out []string) {
		for _, p := range ps {
			out = append(out, p.String())
		}
		return out
	}
	if got, want := str(cases), []string{"11.*", "6.4.9", "99.*"}; !slices.Equal(got, want) {
		t.Errorf("Unmatched cases = %q, want %q", got, want)
	}
	if got, want := str(excl), []string{"9.9.9", "8.*", "all"}; !slices.Equal(got, want) {
		t.Errorf("Unmatched exclude-cases = %q, want %q", got, want)
	}
	// The one wstest refuses: a literal case ID it does not have.
	var unknown []string
	for _, p := range cases {
		if p.Literal() {
			unknown = append(unknown, p.String())
		}
	}
	if !slices.Equal(unknown, []string{"6.4.9"}) {
		t.Errorf("unknown literal IDs = %q, want [6.4.9]", unknown)
	}
}

// TestSelectMatchesCaseset checks Select against a transcription of
// caseset.py's parseSpecCases: each list resolved to a set of strings
// (literals as written, "*" patterns against the known IDs), the exclusions
// subtracted as sets, the rest kept when it is a known ID.
func TestSelectMatchesCaseset(t *testing.T) {
	pieces := []string{"1", "2", "3", "4", "6", "9", "10", "12", "13", ".", "*", "[1-3]", "?"}
	pattern := rapid.Custom(func(t *rapid.T) string {
		n := rapid.IntRange(1, 5).Draw(t, "pieces")
		var b strings.Builder
		for range n {
			b.WriteString(rapid.SampledFrom(pieces).Draw(t, "piece"))
		}
		return b.String()
	})
	rapid.Check(t, func(t *rapid.T) {
		sel := Selection{
			Cases:        rapid.SliceOfN(pattern, 0, 4).Draw(t, "cases"),
			ExcludeCases: rapid.SliceOfN(pattern, 0, 4).Draw(t, "exclude-cases"),
		}
		got, err := sel.Select(ids)
		want, ok := casesetSelect(sel.Cases, sel.ExcludeCases, ids)
		if !ok {
			if err == nil {
				t.Fatalf("Select accepted %+v, which wstest refuses", sel)
			}
			return
		}
		if err != nil {
			t.Fatalf("Select(%+v): %v", sel, err)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("Select(%+v) = %q, caseset.py gives %q", sel, got, want)
		}
	})
}

// casesetSelect follows caseset.py step by step. ok is false where wstest
// aborts: a pattern its re module cannot compile, or a "cases" literal that
// is not a dotted list of integers (canonical ones only: this package does
// not rewrite "06.4.1").
func casesetSelect(cases, exclude, known []string) (selected []string, ok bool) {
	resolve := func(patterns []string, checkIDs bool) (map[string]bool, bool) {
		set := make(map[string]bool)
		for _, c := range patterns {
			if !strings.Contains(c, "*") {
				if checkIDs && !isCaseID(c) {
					return nil, false
				}
				set[c] = true
				continue
			}
			re, err := regexp.Compile(strings.ReplaceAll(strings.ReplaceAll(c, ".", `\.`), "*", ".*"))
			if err != nil {
				return nil, false
			}
			for _, id := range known {
				if loc := re.FindStringIndex(id); loc != nil && loc[0] == 0 {
					set[id] = true
				}
			}
		}
		return set, true
	}
	in, ok1 := resolve(cases, true)
	out, ok2 := resolve(exclude, false)
	if !ok1 || !ok2 {
		return nil, false
	}
	for _, id := range known {
		if in[id] && !out[id] {
			selected = append(selected, id)
		}
	}
	return selected, true
}
