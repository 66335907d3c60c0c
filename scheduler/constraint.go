package scheduler

import (
	"strconv"
	"strings"

	version "github.com/hashicorp/go-version"

	"github.com/drover-project/drover/structs"
)

// Constraint operators with special handling.
const (
	opDistinctHosts = "distinct_hosts"
)

// constraintChecker accepts nodes that satisfy one constraint. A refusal is
// reported under the constraint's String() form.
type constraintChecker struct {
	ctx        *evalContext
	constraint *structs.Constraint
}

func (c constraintChecker) check(n *structs.Node) (bool, string) {
	l, lok := resolveTarget(c.constraint.LTarget, n)
	r, rok := resolveTarget(c.constraint.RTarget, n)
	if checkConstraint(c.ctx, c.constraint.Operand, l, r, lok, rok) {
		return true, ""
	}
	return false, c.constraint.String()
}

// resolveTarget interpolates a constraint target against a node. Targets of
// the form ${...} name a node property; anything else is a literal. found
// is false when the property does not exist on the node.
func resolveTarget(target string, n *structs.Node) (value string, found bool) {
	if !strings.HasPrefix(target, "${") || !strings.HasSuffix(target, "}") {
		return target, true
	}
	key := target[2 : len(target)-1]
	switch {
	case key == "node.unique.id":
		return n.ID, true
	case key == "node.unique.name":
		return n.Name, true
	case key == "node.datacenter":
		return n.Datacenter, true
	case key == "node.class":
		return n.NodeClass, true
	case key == "node.pool":
		return orDefault(n.NodePool), true
	case strings.HasPrefix(key, "attr."):
		v, ok := n.Attributes[strings.TrimPrefix(key, "attr.")]
		return v, ok
	case strings.HasPrefix(key, "meta."):
		v, ok := n.Meta[strings.TrimPrefix(key, "meta.")]
		return v, ok
	}
	return "", false
}

// checkConstraint applies operand to resolved targets. Unknown operands
// fail, so a typo never places work where it should not go.
func checkConstraint(ctx *evalContext, operand, l, r string, lok, rok bool) bool {
	switch operand {
	case "", "=", "==", "is":
		return lok && rok && l == r
	case "!=", "not":
		return lok != rok || l != r
	case "<", "<=", ">", ">=":
		return lok && rok && compareOrder(operand, l, r)
	case "regexp":
		re := ctx.regexp(r)
		return lok && rok && re != nil && re.MatchString(l)
	case "set_contains":
		return lok && rok && setContains(l, r, true)
	case "set_contains_any":
		return lok && rok && setContains(l, r, false)
	case "is_set":
		return lok
	case "is_not_set":
		return !lok
	case "version":
		return lok && rok && versionMatches(ctx, l, r)
	case opDistinctHosts:
		// Depends on the plan, not the node: see distinctHostsChecker.
		return true
	}
	return false
}

// compareOrder compares numerically when both sides are numbers, otherwise
// lexically.
func compareOrder(op, l, r string) bool {
	var cmp int
	lf, lerr := strconv.ParseFloat(l, 64)
	rf, rerr := strconv.ParseFloat(r, 64)
	switch {
	case lerr == nil && rerr == nil:
		switch {
		case lf < rf:
			cmp = -1
		case lf > rf:
			cmp = 1
		}
	default:
		cmp = strings.Compare(l, r)
	}
	switch op {
	case "<":
		return cmp < 0
	case "<=":
		return cmp <= 0
	case ">":
		return cmp > 0
	default:
		return cmp >= 0
	}
}

// setContains reports whether the comma-separated set have holds all (or,
// with all false, any) of the comma-separated items in want.
func setContains(have, want string, all bool) bool {
	set := make(map[string]bool)
	for _, v := range strings.Split(have, ",") {
		set[strings.TrimSpace(v)] = true
	}
	for _, v := range strings.Split(want, ",") {
		ok := set[strings.TrimSpace(v)]
		if all && !ok {
			return false
		}
		if !all && ok {
			return true
		}
	}
	return all
}

func versionMatches(ctx *evalContext, l, r string) bool {
	v, err := version.NewVersion(l)
	if err != nil {
		return false
	}
	vc := ctx.versionConstraint(r)
	return vc != nil && vc.Check(v)
}
