package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/wskit/wskit/internal/citation"
	"github.com/wskit/wskit/spec"
)

// reqCoverage is one row of "wskit reqs".
type reqCoverage struct {
	spec.Requirement
	// Counts maps each kind of citation to how often it occurs.
	Counts map[citation.Kind]int `json:"counts"`
	// Where lists every citation as file:line (kind).
	Where []string `json:"where"`
}

// Covered reports whether a test, vector, fuzz target or conformance case
// cites the requirement.
func (r reqCoverage) Covered() bool {
	for k, n := range r.Counts {
		if k.IsCoverage() && n > 0 {
			return true
		}
	}
	return false
}

func runReqs(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("reqs", "[-dir DIR] [-uncovered] [-v] [-json]",
		"Prints every requirement of the catalogue (package spec) with the number of tests, vectors,\n"+
			"fuzz targets and conformance cases that cite it, found by scanning the source tree, then the\n"+
			"requirements nothing covers yet. Run it inside a checkout of wskit.",
		stderr)
	dir := fs.String("dir", ".", "a directory inside the wskit source tree to scan")
	uncovered := fs.Bool("uncovered", false, "list only the requirements nothing covers")
	verbose := fs.Bool("v", false, "list every citation under its requirement")
	asJSON := fs.Bool("json", false, "print the table as JSON")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	root, ok := citation.FindRoot(*dir)
	if !ok {
		// The catalogue is compiled in; only the coverage needs the source.
		if *uncovered {
			fmt.Fprintf(stderr, "wskit reqs: %s is not inside the wskit source tree (no go.mod for github.com/wskit/wskit), so coverage is unknown; use -dir\n", *dir)
			return 2
		}
		fmt.Fprintf(stderr, "wskit reqs: %s is not inside the wskit source tree (no go.mod for github.com/wskit/wskit): the catalogue without coverage; use -dir for coverage\n", *dir)
		return printCatalogue(stdout, stderr, spec.Requirements(), *asJSON)
	}
	cites, err := citation.Scan(root)
	if err != nil {
		fmt.Fprintf(stderr, "wskit reqs: %v\n", err)
		return 1
	}
	rows, unknown := coverage(spec.Requirements(), cites)
	if *uncovered {
		kept := rows[:0]
		for _, r := range rows {
			if !r.Covered() {
				kept = append(kept, r)
			}
		}
		rows = kept
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rows); err != nil {
			fmt.Fprintf(stderr, "wskit reqs: %v\n", err)
			return 1
		}
	} else {
		printCoverage(stdout, rows, *verbose)
	}
	for _, c := range unknown {
		fmt.Fprintf(stderr, "wskit reqs: %s:%d cites unknown requirement %s\n", c.File, c.Line, c.ID)
	}
	if len(unknown) > 0 {
		return 1
	}
	return 0
}

// coverage joins the catalogue with the citations found, in catalogue
// order, and returns the citations of IDs that do not exist.
func coverage(reqs []spec.Requirement, cites []citation.Citation) (rows []reqCoverage, unknown []citation.Citation) {
	index := make(map[string]int, len(reqs))
	for i, r := range reqs {
		index[r.ID] = i
		rows = append(rows, reqCoverage{Requirement: r, Counts: map[citation.Kind]int{}})
	}
	for _, c := range cites {
		i, ok := index[c.ID]
		if !ok {
			unknown = append(unknown, c)
			continue
		}
		rows[i].Counts[c.Kind]++
		rows[i].Where = append(rows[i].Where, fmt.Sprintf("%s:%d (%s)", c.File, c.Line, c.Kind))
	}
	return rows, unknown
}

func printCoverage(w io.Writer, rows []reqCoverage, verbose bool) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tLEVEL\tROLE\tTESTS\tVECTORS\tFUZZ\tCONFORMANCE\tCODE\tSUMMARY")
	var missing []string
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%s\n", r.ID, r.Level, r.Role,
			r.Counts[citation.Test], r.Counts[citation.Vector], r.Counts[citation.Fuzz],
			r.Counts[citation.Conformance], r.Counts[citation.Code], r.Summary)
		if verbose {
			for _, where := range r.Where {
				fmt.Fprintf(tw, "\t\t\t\t\t\t\t\t  %s\n", where)
			}
		}
		if !r.Covered() {
			missing = append(missing, r.ID)
		}
	}
	tw.Flush()
	fmt.Fprintf(w, "\n%d requirements, %d covered by a test, vector, fuzz target or conformance case, %d not covered",
		len(rows), len(rows)-len(missing), len(missing))
	if len(missing) > 0 {
		fmt.Fprintf(w, ":\n  %s", strings.Join(missing, "\n  "))
	}
	fmt.Fprintln(w)
}

// printCatalogue prints the requirements alone, as a table or as JSON.
func printCatalogue(stdout, stderr io.Writer, reqs []spec.Requirement, asJSON bool) int {
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(reqs); err != nil {
			fmt.Fprintf(stderr, "wskit reqs: %v\n", err)
			return 1
		}
		return 0
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tLEVEL\tROLE\tSUMMARY")
	for _, r := range reqs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Level, r.Role, r.Summary)
	}
	tw.Flush()
	fmt.Fprintf(stdout, "\n%d requirements\n", len(reqs))
	return 0
}
