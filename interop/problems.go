package interop

import "fmt"

// Problems lists what makes a run unusable: a result of the reference
// library (named ref) that does not conform (n/a included: the reference
// must take every vector), and a baseline vector another library fails,
// which means its driver is broken.
func (r *Report) Problems(ref string) []string {
	var out []string
	for _, res := range r.Results {
		switch {
		case res.Library == ref && res.Verdict != Conforms:
			out = append(out, fmt.Sprintf("%s: %s/%s: %s: %s", ref, res.File, res.ID, res.Verdict, res.Detail))
		case res.Baseline && res.Verdict != Conforms:
			out = append(out, fmt.Sprintf("broken driver %s: baseline vector %s/%s: %s: %s", res.Library, res.File, res.ID, res.Verdict, res.Detail))
		}
	}
	return out
}
