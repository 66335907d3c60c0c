package jobspec

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// exprValue evaluates expr as a constant. There are no variables and no
// functions; instead, a plain reference interpolated into a string, such as
// "${attr.kernel.name}", is kept as that literal text so the scheduler or
// client can resolve it at run time. References anywhere else (a bare
// attr.kernel.name, or one used inside a larger expression) are errors, with
// HCL's own "Variables not allowed" message.
func (d *decoder) exprValue(expr hcl.Expression) (cty.Value, hcl.Diagnostics) {
	switch e := expr.(type) {
	case *hclsyntax.TemplateExpr:
		return d.templateValue(e)
	case *hclsyntax.TemplateWrapExpr:
		// "${x}" alone parses as a wrap rather than a template.
		if ref, ok := e.Wrapped.(*hclsyntax.ScopeTraversalExpr); ok {
			return d.runtimeRef(ref)
		}
		return d.exprValue(e.Wrapped)
	case *hclsyntax.TupleConsExpr:
		return d.tupleValue(e)
	case *hclsyntax.ObjectConsExpr:
		return d.objectValue(e)
	case *hclsyntax.ParenthesesExpr:
		return d.exprValue(e.Expression)
	}
	return expr.Value(nil)
}

// runtimeRef re-emits an interpolated reference as "${...}" using the text
// the user wrote. var.* and local.* are rejected: they would be evaluated by
// Nomad at parse time, and silently keeping them would hide the mistake.
func (d *decoder) runtimeRef(ref *hclsyntax.ScopeTraversalExpr) (cty.Value, hcl.Diagnostics) {
	rng := ref.Range()
	switch ref.Traversal.RootName() {
	case "var", "local":
		return cty.DynamicVal, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Variables not supported",
			Detail:   "HCL input variables and locals are not supported yet; only runtime references such as ${attr.kernel.name} or ${NOMAD_TASK_NAME} may be interpolated.",
			Subject:  rng.Ptr(),
		}}
	}
	if rng.Start.Byte < 0 || rng.Start.Byte > rng.End.Byte || rng.End.Byte > len(d.src) {
		return cty.DynamicVal, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid interpolation",
			Detail:   "The source text of this reference could not be found.",
			Subject:  rng.Ptr(),
		}}
	}
	text := strings.TrimSpace(string(d.src[rng.Start.Byte:rng.End.Byte]))
	return cty.StringVal("${" + text + "}"), nil
}

// templateValue concatenates a string template's parts, keeping plain
// references as literal interpolations and evaluating everything else.
func (d *decoder) templateValue(e *hclsyntax.TemplateExpr) (cty.Value, hcl.Diagnostics) {
	var b strings.Builder
	var diags hcl.Diagnostics
	for _, part := range e.Parts {
		var v cty.Value
		var partDiags hcl.Diagnostics
		if ref, ok := part.(*hclsyntax.ScopeTraversalExpr); ok {
			v, partDiags = d.runtimeRef(ref)
		} else {
			v, partDiags = d.exprValue(part)
		}
		diags = append(diags, partDiags...)
		if partDiags.HasErrors() {
			continue
		}
		s, err := convert.Convert(v, cty.String)
		if err != nil || s.IsNull() || !s.IsKnown() {
			detail := "The expression result is null."
			if err != nil {
				detail = "Cannot include the given value in a string template: " + err.Error() + "."
			}
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid template interpolation value",
				Detail:   detail,
				Subject:  part.Range().Ptr(),
			})
			continue
		}
		b.WriteString(s.AsString())
	}
	if diags.HasErrors() {
		return cty.DynamicVal, diags
	}
	return cty.StringVal(b.String()), diags
}

// tupleValue evaluates a list literal element by element.
func (d *decoder) tupleValue(e *hclsyntax.TupleConsExpr) (cty.Value, hcl.Diagnostics) {
	vals := make([]cty.Value, 0, len(e.Exprs))
	var diags hcl.Diagnostics
	for _, elem := range e.Exprs {
		v, elemDiags := d.exprValue(elem)
		diags = append(diags, elemDiags...)
		vals = append(vals, v)
	}
	if diags.HasErrors() {
		return cty.DynamicVal, diags
	}
	return cty.TupleVal(vals), diags
}

// objectValue evaluates an object literal ({ a = 1, "b" = 2 }).
func (d *decoder) objectValue(e *hclsyntax.ObjectConsExpr) (cty.Value, hcl.Diagnostics) {
	attrs := make(map[string]cty.Value, len(e.Items))
	var diags hcl.Diagnostics
	for _, item := range e.Items {
		// The key expression knows to treat a bare identifier as a name.
		k, keyDiags := item.KeyExpr.Value(nil)
		diags = append(diags, keyDiags...)
		v, valDiags := d.exprValue(item.ValueExpr)
		diags = append(diags, valDiags...)
		if keyDiags.HasErrors() || valDiags.HasErrors() {
			continue
		}
		ks, err := convert.Convert(k, cty.String)
		if err != nil || ks.IsNull() || !ks.IsKnown() {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid object key",
				Detail:   "Object keys must be strings.",
				Subject:  item.KeyExpr.Range().Ptr(),
			})
			continue
		}
		attrs[ks.AsString()] = v
	}
	if diags.HasErrors() {
		return cty.DynamicVal, diags
	}
	return cty.ObjectVal(attrs), diags
}
