package jobspec

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

// singleBlock returns the only block of type typ, nil if there is none, and
// an error pointing at the second one if the block is repeated.
func singleBlock(blocks hcl.Blocks, typ string) (*hcl.Block, hcl.Diagnostics) {
	of := blocks.OfType(typ)
	switch len(of) {
	case 0:
		return nil, nil
	case 1:
		return of[0], nil
	}
	return of[0], hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  fmt.Sprintf("Duplicate %s block", typ),
		Detail:   fmt.Sprintf("Only one %q block is allowed here; another was defined at %s.", typ, of[0].DefRange),
		Subject:  of[1].DefRange.Ptr(),
	}}
}

// optionalMap decodes the single block of type typ (meta, env) as a map of
// strings, or returns nil when the block is absent.
func (d *decoder) optionalMap(blocks hcl.Blocks, typ string) (map[string]string, hcl.Diagnostics) {
	blk, diags := singleBlock(blocks, typ)
	if blk == nil {
		return nil, diags
	}
	m, mapDiags := d.stringMap(blk.Body)
	return m, append(diags, mapDiags...)
}

// duplicateLabel reports a block whose first label was already used by an
// earlier block of the same type, e.g. two groups named "web".
func duplicateLabel(blocks hcl.Blocks) hcl.Diagnostics {
	var diags hcl.Diagnostics
	seen := make(map[string]*hcl.Block, len(blocks))
	for _, blk := range blocks {
		if len(blk.Labels) == 0 {
			continue
		}
		name := blk.Labels[0]
		if first, dup := seen[name]; dup {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  fmt.Sprintf("Duplicate %s %q", blk.Type, name),
				Detail:   fmt.Sprintf("A %s named %q was already defined at %s; names must be unique.", blk.Type, name, first.DefRange),
				Subject:  blk.LabelRanges[0].Ptr(),
			})
			continue
		}
		seen[name] = blk
	}
	return diags
}
