package jobspec

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/drover-project/drover/structs"
)

// constraintOperators are the operators Nomad accepts in "operator".
// Read-only.
var constraintOperators = []string{
	"=", "==", "is", "!=", "not", ">", ">=", "<", "<=",
	"regexp", "version", "semver",
	"set_contains", "set_contains_any", "set_contains_all",
	"distinct_hosts", "distinct_property", "is_set", "is_not_set",
}

// constraintShorthands are Nomad's attributes that name the operator
// themselves, e.g. `regexp = "^linux"` instead of operator + value.
// Read-only; the order is the order they are checked in.
var constraintShorthands = []string{
	"distinct_hosts", "distinct_property", "regexp", "version", "semver",
	"set_contains", "set_contains_any", "set_contains_all",
}

// constraintSchema is the body of a constraint block: the three general
// attributes plus every shorthand. Read-only.
var constraintSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "attribute"}, {Name: "operator"}, {Name: "value"},
		{Name: "distinct_hosts"}, {Name: "distinct_property"},
		{Name: "regexp"}, {Name: "version"}, {Name: "semver"},
		{Name: "set_contains"}, {Name: "set_contains_any"}, {Name: "set_contains_all"},
	},
}

// decodeConstraints decodes every constraint block among blocks, in order.
// A constraint with distinct_hosts = false is dropped, as in Nomad.
func (d *decoder) decodeConstraints(blocks hcl.Blocks) ([]*structs.Constraint, hcl.Diagnostics) {
	var out []*structs.Constraint
	var diags hcl.Diagnostics
	for _, blk := range blocks.OfType("constraint") {
		c, cDiags := d.decodeConstraint(blk)
		diags = append(diags, cDiags...)
		if c != nil {
			out = append(out, c)
		}
	}
	return out, diags
}

// decodeConstraint maps attribute/operator/value to LTarget/Operand/RTarget,
// with "=" as the default operator. A shorthand attribute sets the operand
// and takes the place of value, except distinct_property, which takes the
// place of attribute (its value is then the allowed count).
func (d *decoder) decodeConstraint(blk *hcl.Block) (*structs.Constraint, hcl.Diagnostics) {
	c := &structs.Constraint{Operand: "="}
	content, diags := blk.Body.Content(constraintSchema)
	attrs := content.Attributes
	diags = append(diags, d.setString(attrs, "attribute", &c.LTarget)...)
	diags = append(diags, d.setString(attrs, "value", &c.RTarget)...)
	diags = append(diags, d.setString(attrs, "operator", &c.Operand)...)
	if op, ok := attrs["operator"]; ok && !diags.HasErrors() && !slices.Contains(constraintOperators, c.Operand) {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid constraint operator",
			Detail:   fmt.Sprintf("Operator %q is not supported; use one of: %s.", c.Operand, strings.Join(constraintOperators, " ")),
			Subject:  op.Expr.Range().Ptr(),
		})
	}

	short, shortDiags := shorthandAttr(attrs)
	diags = append(diags, shortDiags...)
	if short == nil || diags.HasErrors() {
		return c, diags
	}
	c.Operand = short.Name
	switch short.Name {
	case "distinct_hosts":
		var on bool
		diags = append(diags, d.setBool(attrs, short.Name, &on)...)
		if !on {
			return nil, diags
		}
		c.RTarget = "true"
	case "distinct_property":
		diags = append(diags, d.setString(attrs, short.Name, &c.LTarget)...)
	default:
		diags = append(diags, d.setString(attrs, short.Name, &c.RTarget)...)
	}
	return c, diags
}

// shorthandAttr returns the shorthand attribute used, if any, and an error if
// it conflicts with another attribute that would set the same field.
func shorthandAttr(attrs hcl.Attributes) (*hcl.Attribute, hcl.Diagnostics) {
	var found *hcl.Attribute
	var diags hcl.Diagnostics
	conflict := func(a *hcl.Attribute, with string) {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Conflicting constraint attributes",
			Detail:   fmt.Sprintf("%q cannot be combined with %q in one constraint.", a.Name, with),
			Subject:  a.NameRange.Ptr(),
		})
	}
	for _, name := range constraintShorthands {
		a, ok := attrs[name]
		if !ok {
			continue
		}
		if found != nil {
			conflict(a, found.Name)
			continue
		}
		found = a
	}
	if found == nil {
		return nil, diags
	}
	if _, ok := attrs["operator"]; ok {
		conflict(found, "operator")
	}
	// distinct_hosts uses neither attribute nor value; distinct_property
	// replaces attribute; the rest replace value.
	switch found.Name {
	case "distinct_hosts":
	case "distinct_property":
		if _, ok := attrs["attribute"]; ok {
			conflict(found, "attribute")
		}
	default:
		if _, ok := attrs["value"]; ok {
			conflict(found, "value")
		}
	}
	return found, diags
}
