package autobahn

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/wskit/wskit/conformance"
)

// A Category is a group of cases whose IDs share the first component.
type Category struct {
	// ID is the first component of the category's case IDs, such as "6".
	ID string
	// Name is the category's title, as Autobahn|Testsuite prints it.
	Name string
	// Captions maps a sub-category (the first two components of a
	// three-component case ID, such as "6.4") to its caption.
	Captions map[string]string
	// AutobahnCases is how many cases Autobahn|Testsuite numbers in the
	// category: the catalogue keeps Autobahn's case numbers even for the
	// categories it does not have yet. 0 for wskit's own categories.
	AutobahnCases int

	// build returns the category's cases; nil while the category exists
	// only as a place in Autobahn's numbering.
	build func() []*conformance.Case
}

// Implemented reports whether the catalogue has the category's cases.
func (c *Category) Implemented() bool { return c.build != nil }

// categories lists every category. A new category is a file that
// declares its *Category and one line here.
var categories = []*Category{
	opening,
	framing,
	pingPong,
	reservedBits,
	opcodes,
	fragmentation,
	utf8Handling,
	closeHandling,
	rules,
	limits,
	misc,
	payloadCompression,
	paramCompression,
	deflateRules,
}

var (
	catalogueOnce sync.Once
	catalogue     []*conformance.Case
	catalogueByID map[string]*conformance.Case
	categoryByID  map[string]*Category
)

// Categories returns every category in ID order, those of Autobahn's
// numbering that the catalogue does not implement yet included. The
// slice is shared: do not modify it.
func Categories() []*Category {
	catalogueOnce.Do(buildCatalogue)
	return categories
}

// Cases returns every case of the catalogue in numeric ID order. The
// slice is shared: do not modify it or the cases.
func Cases() []*conformance.Case {
	catalogueOnce.Do(buildCatalogue)
	return catalogue
}

// Lookup returns the case with the given ID.
func Lookup(id string) (*conformance.Case, bool) {
	catalogueOnce.Do(buildCatalogue)
	c, ok := catalogueByID[id]
	return c, ok
}

// buildCatalogue collects the cases and numbers them: Autobahn's
// categories first, in ID order, each taking AutobahnCases numbers
// whether implemented or not, so that every Autobahn case keeps the
// number Autobahn gives it (10.1.1 is 301); then wskit's own categories,
// numbered on from there.
func buildCatalogue() {
	slices.SortStableFunc(categories, func(a, b *Category) int { return conformance.CompareIDs(a.ID, b.ID) })
	byCat := map[string]*Category{}
	var all []*conformance.Case
	next := 1
	for _, own := range []bool{false, true} {
		for _, cat := range categories {
			if (cat.AutobahnCases == 0) != own {
				continue
			}
			if _, dup := byCat[cat.ID]; dup {
				panic("autobahn: duplicate category " + cat.ID)
			}
			byCat[cat.ID] = cat
			if cat.build == nil {
				next += cat.AutobahnCases
				continue
			}
			cases := cat.build()
			slices.SortStableFunc(cases, func(a, b *conformance.Case) int { return conformance.CompareIDs(a.ID, b.ID) })
			if !own && len(cases) != cat.AutobahnCases {
				panic(fmt.Sprintf("autobahn: category %s has %d cases, Autobahn numbers %d", cat.ID, len(cases), cat.AutobahnCases))
			}
			for _, c := range cases {
				if CategoryOf(c.ID) != cat.ID {
					panic("autobahn: case " + c.ID + " is not in category " + cat.ID)
				}
				c.Index = next
				next++
			}
			all = append(all, cases...)
		}
	}
	slices.SortStableFunc(all, func(a, b *conformance.Case) int { return conformance.CompareIDs(a.ID, b.ID) })
	byID := make(map[string]*conformance.Case, len(all))
	for _, c := range all {
		if _, dup := byID[c.ID]; dup {
			panic("autobahn: duplicate case " + c.ID)
		}
		byID[c.ID] = c
	}
	catalogue, catalogueByID, categoryByID = all, byID, byCat
}

// CategoryOf returns the category of a case ID: its first component.
func CategoryOf(id string) string {
	c, _, _ := strings.Cut(id, ".")
	return c
}

// CategoryName returns the title of a category, such as "Framing" for
// "1", or "" for a category the catalogue does not know.
func CategoryName(category string) string {
	catalogueOnce.Do(buildCatalogue)
	if c := categoryByID[category]; c != nil {
		return c.Name
	}
	return ""
}

// SubcategoryOf returns the sub-category of a case ID (its first two
// components) or "" for two-component IDs such as "2.1".
func SubcategoryOf(id string) string {
	parts := strings.Split(id, ".")
	if len(parts) < 3 {
		return ""
	}
	return parts[0] + "." + parts[1]
}

// SubcategoryCaption returns the caption of a sub-category, such as
// "Text Messages" for "1.1", or "" if it has none.
func SubcategoryCaption(sub string) string {
	catalogueOnce.Do(buildCatalogue)
	if c := categoryByID[CategoryOf(sub)]; c != nil {
		return c.Captions[sub]
	}
	return ""
}

// Select returns the cases matched by any of the include patterns (all
// cases when include is empty) and by none of the exclude patterns, in ID
// order. A pattern is a case ID whose components are compared whole: "1"
// or "1.*" selects all of category 1 (not 10), "6.4" or "6.4.*" selects
// 6.4.1-6.4.4, "6.*.1" selects the first case of every sub-category of 6.
//
// An include pattern that matches no case is an error, so that a typo
// never silently selects nothing; so is one that names a category of
// Autobahn's numbering that the catalogue does not implement yet. An
// exclude pattern may match nothing (excluding category 9 is harmless
// whether or not it exists).
func Select(include, exclude []string) ([]*conformance.Case, error) {
	for _, p := range slices.Concat(include, exclude) {
		if !validPattern(p) {
			return nil, fmt.Errorf("invalid case pattern %q: use dot-separated numbers and *, such as 1.*, 6.4.1 or 7.*.1", p)
		}
	}
	for _, p := range include {
		if slices.ContainsFunc(Cases(), func(c *conformance.Case) bool { return matchPattern(p, c.ID) }) {
			continue
		}
		if c := categoryByID[CategoryOf(p)]; c != nil && !c.Implemented() {
			return nil, fmt.Errorf("case pattern %q: category %s (%s) is not implemented yet", p, c.ID, c.Name)
		}
		return nil, fmt.Errorf("case pattern %q matches no case", p)
	}
	var out []*conformance.Case
	for _, c := range Cases() {
		in := len(include) == 0 || slices.ContainsFunc(include, func(p string) bool { return matchPattern(p, c.ID) })
		excluded := slices.ContainsFunc(exclude, func(p string) bool { return matchPattern(p, c.ID) })
		if in && !excluded {
			out = append(out, c)
		}
	}
	return out, nil
}

// validPattern reports whether p is dot-separated components, each a
// number or "*".
func validPattern(p string) bool {
	if p == "" {
		return false
	}
	for part := range strings.SplitSeq(p, ".") {
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
