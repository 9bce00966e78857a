package autobahn

import (
	"encoding/hex"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/wskit/wskit/conformance"

	"github.com/google/go-cmp/cmp"
	"github.com/wskit/wskit/spec"
)

// TestCatalogueCounts pins the number of cases per category to
// Autobahn|Testsuite's (autobahn.md section 1), and wskit's own.
func TestCatalogueCounts(t *testing.T) {
	want := map[string]int{"1": 16, "2": 11, "3": 7, "4": 10, "5": 20, "6": 145, "7": 37, "9": 54, "10": 1, "12": 90, "13": 126}
	mine := map[string]bool{}
	for _, cat := range Categories() {
		mine[cat.ID] = cat.AutobahnCases == 0
	}
	own := map[string]int{"0": 31, "8": 19, "14": 22}
	got := map[string]int{}
	autobahn := 0
	for _, c := range Cases() {
		cat := CategoryOf(c.ID)
		if mine[cat] {
			if _, pinned := own[cat]; pinned {
				own[cat]--
			}
			continue
		}
		got[cat]++
		autobahn++
		if c.Index > 517 {
			t.Errorf("%s: Autobahn case numbered %d", c.ID, c.Index)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("cases per category (-want +got):\n%s", diff)
	}
	for cat, n := range own {
		if n != 0 {
			t.Errorf("category %s: %d cases fewer than pinned", cat, -n)
		}
	}
	if autobahn != 517 {
		t.Errorf("%d Autobahn cases, want 517", autobahn)
	}
	sub := map[string]int{}
	for _, c := range Cases() {
		sub[SubcategoryOf(c.ID)]++
	}
	for s, n := range map[string]int{"6.1": 3, "6.2": 4, "6.3": 2, "6.4": 4, "7.1": 6, "7.3": 6, "7.5": 1, "7.7": 13, "7.9": 9, "7.13": 2, "6.22": 34,
		"9.1": 6, "9.2": 6, "9.3": 9, "9.4": 9, "9.5": 6, "9.6": 6, "9.7": 6, "9.8": 6,
		"12.1": 18, "12.2": 18, "12.3": 18, "12.4": 18, "12.5": 18, "13.1": 18, "13.4": 18, "13.7": 18,
		"14.1": 2, "14.2": 6, "14.3": 5, "14.4": 9} {
		if sub[s] != n {
			t.Errorf("sub-category %s has %d cases, want %d", s, sub[s], n)
		}
	}
}

func TestCatalogueWellFormed(t *testing.T) {
	for i, c := range Cases() {
		if i > 0 && conformance.CompareIDs(Cases()[i-1].ID, c.ID) >= 0 {
			t.Errorf("%s is out of order", c.ID)
		}
		if c.Description == "" || c.Expectation == "" || (c.Open == nil && c.Opening == nil) {
			t.Errorf("%s: description, expectation and script are required", c.ID)
		}
		if c.Opening != nil && (c.Opening.Request == nil || c.Opening.Judge == nil) {
			t.Errorf("%s: an own opening handshake needs Request and Judge", c.ID)
		}
		if c.Open == nil {
			continue // the case ends with its opening handshake
		}
		if len(c.Requirements) == 0 {
			t.Errorf("%s cites no requirement", c.ID)
		}
		for _, id := range c.Requirements {
			if _, ok := spec.Lookup(id); !ok {
				t.Errorf("%s cites unknown requirement %s", c.ID, id)
			}
		}
		if len(c.Close.CloseCode) == 0 {
			t.Errorf("%s: no expected close code", c.ID)
		}
		// Categories 9, 12 and 13 declare no lists, as in Autobahn: their
		// cases judge their messages themselves and report their
		// durations.
		selfJudged := slices.Contains([]string{"9", "12", "13"}, CategoryOf(c.ID))
		if _, ok := c.Expected[conformance.OK]; !ok && !selfJudged {
			t.Errorf("%s: no OK expectation", c.ID)
		}
		if selfJudged != c.ReportTime {
			t.Errorf("%s: ReportTime = %v, want it exactly for categories 9, 12 and 13", c.ID, c.ReportTime)
		}
		if SubcategoryOf(c.ID) != "" && SubcategoryCaption(SubcategoryOf(c.ID)) == "" {
			t.Errorf("%s: sub-category %s has no caption", c.ID, SubcategoryOf(c.ID))
		}
		if CategoryName(CategoryOf(c.ID)) == "" {
			t.Errorf("%s: category has no name", c.ID)
		}
	}
}

// TestUTF8CaseTable checks the verdict of every generated UTF-8 case
// against unicode/utf8, which implements the same rules (RFC 3629:
// surrogates, overlongs and code points above U+10FFFF are invalid).
func TestUTF8CaseTable(t *testing.T) {
	n := 0
	for k, g := range utf8Groups {
		for j, seq := range g.seqs {
			b, err := hex.DecodeString(seq.hex)
			if err != nil {
				t.Fatal(err)
			}
			if utf8.Valid(b) != seq.valid {
				t.Errorf("6.%d.%d (%s): table says valid=%v, unicode/utf8 says %v", k+5, j+1, seq.hex, seq.valid, utf8.Valid(b))
			}
			n++
		}
	}
	if n != 132 || len(utf8Groups) != 19 {
		t.Errorf("%d sequences in %d groups, want 132 in 19", n, len(utf8Groups))
	}
}

// TestIndex checks Autobahn's 1-based case numbers.
func TestIndex(t *testing.T) {
	for id, want := range map[string]int{"1.1.1": 1, "2.1": 17, "6.1.1": 65, "7.1.1": 210, "7.13.2": 246, "9.1.1": 247, "9.8.6": 300, "10.1.1": 301,
		"12.1.1": 302, "12.5.18": 391, "13.1.1": 392, "13.7.18": 517} {
		c, ok := Lookup(id)
		if !ok {
			t.Fatalf("no case %s", id)
		}
		if c.Index != want {
			t.Errorf("%s has number %d, want %d", id, c.Index, want)
		}
	}
	total := 0
	for _, cat := range Categories() {
		total += cat.AutobahnCases
	}
	if total != 517 {
		t.Errorf("the categories number %d Autobahn cases, want 517", total)
	}
}

func TestSelect(t *testing.T) {
	ids := func(cs []*conformance.Case) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return out
	}
	tests := []struct {
		include, exclude []string
		want             []string
		count            int
	}{
		{include: []string{"6.4.*"}, want: []string{"6.4.1", "6.4.2", "6.4.3", "6.4.4"}},
		{include: []string{"6.4"}, want: []string{"6.4.1", "6.4.2", "6.4.3", "6.4.4"}},
		{include: []string{"1.*"}, count: 16}, // not 10.1.1
		{include: []string{"1"}, count: 16},
		{include: []string{"10.*"}, want: []string{"10.1.1"}},
		{include: []string{"2.1"}, want: []string{"2.1"}}, // not 2.10, 2.11
		{include: []string{"7.*.1"}, want: []string{"7.1.1", "7.3.1", "7.5.1", "7.7.1", "7.9.1", "7.13.1"}},
		{include: []string{"5.*"}, exclude: []string{"5.1*"}, count: 20}, // "5.1*" is invalid, see below
		{include: nil, exclude: []string{"6.*"}, count: len(Cases()) - 145},
		{include: []string{"9"}, count: 54},
		{include: []string{"9.3.*"}, count: 9},
		{include: []string{"6.4.1", "2.1"}, want: []string{"2.1", "6.4.1"}},
	}
	for _, tt := range tests {
		got, err := Select(tt.include, tt.exclude)
		if tt.exclude != nil && slices.Contains(tt.exclude, "5.1*") {
			if err == nil {
				t.Errorf("Select(%v, %v) accepted a pattern with '*' inside a component", tt.include, tt.exclude)
			}
			continue
		}
		if err != nil {
			t.Errorf("Select(%v, %v): %v", tt.include, tt.exclude, err)
			continue
		}
		if tt.want != nil {
			if diff := cmp.Diff(tt.want, ids(got)); diff != "" {
				t.Errorf("Select(%v, %v) (-want +got):\n%s", tt.include, tt.exclude, diff)
			}
		} else if len(got) != tt.count {
			t.Errorf("Select(%v, %v) = %d cases, want %d", tt.include, tt.exclude, len(got), tt.count)
		}
	}
	for _, bad := range []string{"11", "1.99", "x", "", "1..2", "6.4.1.1", "9.9", "12.1.19", "15"} {
		if _, err := Select([]string{bad}, nil); err == nil {
			t.Errorf("Select(%q) gave no error", bad)
		}
	}
	// Excluding what does not exist (yet) is harmless.
	for _, p := range []string{"11.*", "15", "9.9"} {
		if got, err := Select(nil, []string{p}); err != nil || len(got) != len(Cases()) {
			t.Errorf("Select(nil, [%q]) = %d cases, %v; want all %d", p, len(got), err, len(Cases()))
		}
	}
}
