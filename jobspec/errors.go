package jobspec

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// diagError is the error Parse returns. Unlike hcl.Diagnostics' own Error,
// which prints the first problem and a count, it lists every error, one per
// line, each as "file:line,col-col: Summary; Detail". Unwrap gives the
// hcl.Diagnostics, so callers can use errors.As to reach the ranges or to
// render source snippets with hcl's diagnostic writer.
type diagError struct {
	diags hcl.Diagnostics
}

func (e *diagError) Error() string {
	lines := make([]string, 0, len(e.diags))
	for _, d := range e.diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		lines = append(lines, hcl.Diagnostics{d}.Error())
	}
	return strings.Join(lines, "\n")
}

func (e *diagError) Unwrap() error { return e.diags }
