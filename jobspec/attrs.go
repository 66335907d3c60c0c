package jobspec

import (
	"fmt"
	"math"
	"math/big"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// The set* helpers decode one optional attribute into dst. An absent or null
// attribute leaves dst untouched; a value of the wrong type is a positioned
// error. Conversions follow HCL's rules, so "3" is accepted as a number and
// 3 or true as a string.

// attrValue evaluates the named attribute converted to want. ok is false when
// the attribute is absent, null, or failed to decode.
func (d *decoder) attrValue(attrs hcl.Attributes, name string, want cty.Type) (cty.Value, bool, hcl.Diagnostics) {
	attr, found := attrs[name]
	if !found {
		return cty.NilVal, false, nil
	}
	v, diags := d.exprValue(attr.Expr)
	if diags.HasErrors() {
		return cty.NilVal, false, diags
	}
	if v.IsNull() {
		return cty.NilVal, false, diags
	}
	v, err := convert.Convert(v, want)
	if err != nil {
		return cty.NilVal, false, append(diags, typeError(attr, err))
	}
	return v, true, diags
}

func typeError(attr *hcl.Attribute, err error) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Incorrect attribute value type",
		Detail:   fmt.Sprintf("Inappropriate value for attribute %q: %s.", attr.Name, err),
		Subject:  attr.Expr.Range().Ptr(),
		Context:  attr.Range.Ptr(),
	}
}

func (d *decoder) setString(attrs hcl.Attributes, name string, dst *string) hcl.Diagnostics {
	v, ok, diags := d.attrValue(attrs, name, cty.String)
	if ok {
		*dst = v.AsString()
	}
	return diags
}

func (d *decoder) setBool(attrs hcl.Attributes, name string, dst *bool) hcl.Diagnostics {
	v, ok, diags := d.attrValue(attrs, name, cty.Bool)
	if ok {
		*dst = v.True()
	}
	return diags
}

func (d *decoder) setInt(attrs hcl.Attributes, name string, dst *int) hcl.Diagnostics {
	v, ok, diags := d.attrValue(attrs, name, cty.Number)
	if !ok {
		return diags
	}
	n, whole := wholeNumber(v.AsBigFloat())
	if !whole {
		return append(diags, typeError(attrs[name], fmt.Errorf("a whole number is required, got %s", v.AsBigFloat().Text('g', -1))))
	}
	*dst = n
	return diags
}

func (d *decoder) setDuration(attrs hcl.Attributes, name string, dst *time.Duration) hcl.Diagnostics {
	v, ok, diags := d.attrValue(attrs, name, cty.String)
	if !ok {
		return diags
	}
	dur, err := time.ParseDuration(v.AsString())
	if err != nil {
		attr := attrs[name]
		return append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid duration",
			Detail:   fmt.Sprintf("Attribute %q must be a duration such as \"30s\", \"5m\" or \"1h30m\": %s.", name, err),
			Subject:  attr.Expr.Range().Ptr(),
			Context:  attr.Range.Ptr(),
		})
	}
	*dst = dur
	return diags
}

func (d *decoder) setStringList(attrs hcl.Attributes, name string, dst *[]string) hcl.Diagnostics {
	v, ok, diags := d.attrValue(attrs, name, cty.List(cty.String))
	if !ok {
		return diags
	}
	out := make([]string, 0, v.LengthInt())
	for it := v.ElementIterator(); it.Next(); {
		_, elem := it.Element()
		if elem.IsNull() {
			return append(diags, typeError(attrs[name], fmt.Errorf("list elements must not be null")))
		}
		out = append(out, elem.AsString())
	}
	*dst = out
	return diags
}

// stringMap decodes a block of arbitrary attributes (meta, env) into strings.
func (d *decoder) stringMap(body hcl.Body) (map[string]string, hcl.Diagnostics) {
	attrs, diags := body.JustAttributes()
	out := make(map[string]string, len(attrs))
	for name := range attrs {
		var s string
		diags = append(diags, d.setString(attrs, name, &s)...)
		out[name] = s
	}
	return out, diags
}

// wholeNumber returns f as an int when it is whole and fits.
func wholeNumber(f *big.Float) (int, bool) {
	if !f.IsInt() {
		return 0, false
	}
	n, acc := f.Int64()
	if acc != big.Exact || n > math.MaxInt || n < math.MinInt {
		return 0, false
	}
	return int(n), true
}
