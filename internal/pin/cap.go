package pin

import "fmt"

// MaxFindings bounds the findings one file reports, so that a hostile
// file of a million stray digests cannot flood a check run, an issue or
// a terminal.
const MaxFindings = 1000

// CapFindings keeps the first limit findings of r, unresolved ones first,
// and says in one more finding, about the whole file, how many were left
// out.
func (r *Result) CapFindings(limit int) {
	total := len(r.Unresolved) + len(r.Invalid)
	if total <= limit {
		return
	}
	keepU := min(len(r.Unresolved), limit)
	r.Unresolved = r.Unresolved[:keepU:keepU]
	keepI := limit - keepU
	r.Invalid = r.Invalid[:keepI:keepI]
	more := fmt.Sprintf("%d more findings were left out", total-limit)
	if total-limit == 1 {
		more = "1 more finding was left out"
	}
	r.Unresolved = append(r.Unresolved, Finding{Message: fmt.Sprintf("%s: a file reports at most %d", more, limit)})
}
