package jobspec

import (
	"fmt"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// decodeConfig converts a task's free-form config block, whose content only
// the driver understands, into plain Go values:
//
//   - strings, bools and numbers become string, bool, and int (when whole and
//     in range) or float64;
//   - lists become []interface{}, objects map[string]interface{};
//   - a nested block becomes a map[string]interface{}, or, when the same block
//     type appears more than once, an []interface{} of those maps in source
//     order.
//
// Nested blocks may not have labels and may not share a name with an
// attribute, since either would make the resulting map ambiguous.
func (d *decoder) decodeConfig(body hcl.Body) (map[string]interface{}, hcl.Diagnostics) {
	syn, ok := body.(*hclsyntax.Body)
	if !ok {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Unsupported config body",
			Detail:   "The config block must be written in HCL native syntax.",
			Subject:  body.MissingItemRange().Ptr(),
		}}
	}
	return d.bodyMap(syn)
}

func (d *decoder) bodyMap(body *hclsyntax.Body) (map[string]interface{}, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	out := make(map[string]interface{}, len(body.Attributes)+len(body.Blocks))

	// Sort names so diagnostics come out in a stable order.
	names := make([]string, 0, len(body.Attributes))
	for name := range body.Attributes {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		attr := body.Attributes[name]
		v, valDiags := d.exprValue(attr.Expr)
		diags = append(diags, valDiags...)
		if valDiags.HasErrors() {
			continue
		}
		gv, err := goValue(v)
		if err != nil {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Unsupported config value",
				Detail:   fmt.Sprintf("Attribute %q: %s.", name, err),
				Subject:  attr.Expr.Range().Ptr(),
			})
			continue
		}
		out[name] = gv
	}

	var order []string
	byType := make(map[string][]interface{})
	for _, blk := range body.Blocks {
		if len(blk.Labels) > 0 {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Unsupported block labels",
				Detail:   fmt.Sprintf("Blocks inside config may not have labels; write %q without them.", blk.Type),
				Subject:  blk.LabelRanges[0].Ptr(),
			})
			continue
		}
		if attr, clash := body.Attributes[blk.Type]; clash {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Duplicate config key",
				Detail:   fmt.Sprintf("%q is defined both as an attribute (at %s) and as a block.", blk.Type, attr.NameRange),
				Subject:  blk.TypeRange.Ptr(),
			})
			continue
		}
		m, blkDiags := d.bodyMap(blk.Body)
		diags = append(diags, blkDiags...)
		if _, seen := byType[blk.Type]; !seen {
			order = append(order, blk.Type)
		}
		byType[blk.Type] = append(byType[blk.Type], m)
	}
	for _, typ := range order {
		if blocks := byType[typ]; len(blocks) == 1 {
			out[typ] = blocks[0]
		} else {
			out[typ] = blocks
		}
	}
	return out, diags
}

// goValue converts a fully known cty value into native Go types.
func goValue(v cty.Value) (interface{}, error) {
	if !v.IsKnown() {
		return nil, fmt.Errorf("value is not known")
	}
	if v.IsNull() {
		return nil, nil
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		return v.AsString(), nil
	case ty == cty.Bool:
		return v.True(), nil
	case ty == cty.Number:
		if n, ok := wholeNumber(v.AsBigFloat()); ok {
			return n, nil
		}
		f, _ := v.AsBigFloat().Float64()
		return f, nil
	case ty.IsListType() || ty.IsTupleType() || ty.IsSetType():
		out := make([]interface{}, 0, v.LengthInt())
		for it := v.ElementIterator(); it.Next(); {
			_, elem := it.Element()
			gv, err := goValue(elem)
			if err != nil {
				return nil, err
			}
			out = append(out, gv)
		}
		return out, nil
	case ty.IsMapType() || ty.IsObjectType():
		out := make(map[string]interface{}, v.LengthInt())
		for it := v.ElementIterator(); it.Next(); {
			k, elem := it.Element()
			gv, err := goValue(elem)
			if err != nil {
				return nil, fmt.Errorf("key %q: %w", k.AsString(), err)
			}
			out[k.AsString()] = gv
		}
		return out, nil
	}
	return nil, fmt.Errorf("values of type %s are not supported", ty.FriendlyName())
}
