package jobspec

import (
	"fmt"
	"slices"

	"github.com/hashicorp/hcl/v2"

	"github.com/drover-project/drover/structs"
)

// lifecycleSchema is the body of a task's lifecycle block. Read-only.
var lifecycleSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "hook", Required: true},
		{Name: "sidecar"},
	},
}

// lifecycleHooks are the values hook may take.
var lifecycleHooks = []string{
	structs.TaskLifecycleHookPrestart,
	structs.TaskLifecycleHookPoststart,
	structs.TaskLifecycleHookPoststop,
}

// decodeLifecycle decodes lifecycle { hook = "prestart" sidecar = true }.
// An unknown hook is an error at the hook's value, as Nomad's parser
// reports it.
func (d *decoder) decodeLifecycle(blk *hcl.Block) (*structs.TaskLifecycleConfig, hcl.Diagnostics) {
	lc := &structs.TaskLifecycleConfig{}
	content, diags := blk.Body.Content(lifecycleSchema)
	attrs := content.Attributes
	hookDiags := d.setString(attrs, "hook", &lc.Hook)
	diags = append(diags, hookDiags...)
	diags = append(diags, d.setBool(attrs, "sidecar", &lc.Sidecar)...)
	if attr, ok := attrs["hook"]; ok && !hookDiags.HasErrors() && !slices.Contains(lifecycleHooks, lc.Hook) {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid lifecycle hook",
			Detail:   fmt.Sprintf("hook must be one of %q, %q or %q, not %q.", lifecycleHooks[0], lifecycleHooks[1], lifecycleHooks[2], lc.Hook),
			Subject:  attr.Expr.Range().Ptr(),
			Context:  attr.Range.Ptr(),
		})
	}
	return lc, diags
}
