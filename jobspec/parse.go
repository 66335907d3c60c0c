package jobspec

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/drover-project/drover/structs"
)

// rootSchema is the top level of a job file. Only "job" is supported; the
// other blocks are recognised so that using them gives a clear "not
// supported yet" error instead of a generic "unsupported block" one.
var rootSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "job", LabelNames: []string{"id"}},
		{Type: "variable", LabelNames: []string{"name"}},
		{Type: "variables"},
		{Type: "locals"},
	},
}

// Parse parses one job file. filename is used in error messages.
//
// On failure the error lists every problem found, one per line, each as
// "file:line,col-col: Summary; Detail"; it unwraps to hcl.Diagnostics for
// callers that want the ranges (errors.As).
func Parse(filename string, src []byte) (*structs.Job, error) {
	file, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, &diagError{diags: diags}
	}
	d := &decoder{src: src}
	job, diags := d.decodeFile(file.Body)
	if diags.HasErrors() {
		return nil, &diagError{diags: diags}
	}
	return job, nil
}

// decoder turns parsed HCL into structs. src is the file's source, used to
// re-emit runtime interpolations exactly as they were written.
type decoder struct {
	src []byte
}

// decodeFile finds the single job block in a file's body and decodes it.
func (d *decoder) decodeFile(body hcl.Body) (*structs.Job, hcl.Diagnostics) {
	content, diags := body.Content(rootSchema)
	for _, blk := range content.Blocks {
		if blk.Type != "job" {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Unsupported block type",
				Detail:   "HCL input variables and locals are not supported yet; write the values into the job directly.",
				Subject:  blk.DefRange.Ptr(),
			})
		}
	}
	jobs := content.Blocks.OfType("job")
	switch len(jobs) {
	case 0:
		if diags.HasErrors() {
			// A malformed job block (e.g. one without its label) is left
			// out of the content; "missing" would only repeat its error.
			return nil, diags
		}
		return nil, append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Missing job block",
			Detail:   `A job file must contain exactly one "job" block.`,
			Subject:  body.MissingItemRange().Ptr(),
		})
	case 1:
	default:
		return nil, append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Duplicate job block",
			Detail:   "Only one job may be defined per file; another was defined at " + jobs[0].DefRange.String() + ".",
			Subject:  jobs[1].DefRange.Ptr(),
		})
	}
	job, jobDiags := d.decodeJob(jobs[0])
	return job, append(diags, jobDiags...)
}
