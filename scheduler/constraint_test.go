package scheduler

import (
	"testing"

	"github.com/hashicorp/go-hclog"

	"github.com/drover-project/drover/structs"
)

func testContext() *evalContext {
	return newEvalContext(nil, &structs.Plan{}, hclog.NewNullLogger())
}

func TestConstraintChecker(t *testing.T) {
	node := mockNode()
	node.NodeClass = "large"
	node.NodePool = ""
	node.Attributes["os.version"] = "22.04.3"
	node.Attributes["cpu.numcores"] = "8"
	node.Meta["tags"] = "a,b, c"
	cases := []struct {
		name    string
		l, op   string
		r       string
		want    bool
		comment string
	}{
		{"eq attr", "${attr.kernel.name}", "=", "linux", true, ""},
		{"eq double", "${attr.kernel.name}", "==", "windows", false, ""},
		{"is", "${meta.rack}", "is", "r1", true, ""},
		{"empty operand means equal", "${meta.rack}", "", "r1", true, ""},
		{"eq missing", "${attr.nope}", "=", "", false, "a missing attribute equals nothing"},
		{"not eq", "${attr.kernel.name}", "!=", "windows", true, ""},
		{"not", "${attr.kernel.name}", "not", "linux", false, ""},
		{"not eq missing", "${attr.nope}", "!=", "x", true, ""},
		{"numeric lt", "${attr.cpu.numcores}", "<", "10", true, "8 < 10 numerically, not lexically"},
		{"numeric ge", "${attr.cpu.numcores}", ">=", "8", true, ""},
		{"numeric gt false", "${attr.cpu.numcores}", ">", "8", false, ""},
		{"lexical le", "${attr.kernel.name}", "<=", "m", true, ""},
		{"lexical gt", "${attr.kernel.name}", ">", "m", false, ""},
		{"order missing", "${attr.nope}", "<", "5", false, ""},
		{"regexp", "${attr.kernel.name}", "regexp", "^lin", true, ""},
		{"regexp no match", "${attr.kernel.name}", "regexp", "^win", false, ""},
		{"regexp invalid", "${attr.kernel.name}", "regexp", "([", false, ""},
		{"set_contains", "${meta.tags}", "set_contains", "a,c", true, ""},
		{"set_contains partial", "${meta.tags}", "set_contains", "a,d", false, ""},
		{"set_contains_any", "${meta.tags}", "set_contains_any", "d,b", true, ""},
		{"set_contains_any none", "${meta.tags}", "set_contains_any", "d,e", false, ""},
		{"is_set", "${meta.rack}", "is_set", "", true, ""},
		{"is_set missing", "${meta.nope}", "is_set", "", false, ""},
		{"is_not_set", "${meta.nope}", "is_not_set", "", true, ""},
		{"is_not_set present", "${meta.rack}", "is_not_set", "", false, ""},
		{"version", "${attr.os.version}", "version", ">= 20.04, < 24", true, ""},
		{"version too old", "${attr.os.version}", "version", ">= 23", false, ""},
		{"version unparsable", "${attr.kernel.name}", "version", ">= 1", false, ""},
		{"version bad constraint", "${attr.os.version}", "version", "~~1", false, ""},
		{"node id", "${node.unique.id}", "=", node.ID, true, ""},
		{"node name", "${node.unique.name}", "=", node.Name, true, ""},
		{"node datacenter", "${node.datacenter}", "=", "dc1", true, ""},
		{"node class", "${node.class}", "=", "large", true, ""},
		{"node pool defaults", "${node.pool}", "=", "default", true, ""},
		{"unknown interpolation", "${node.bogus}", "is_set", "", false, ""},
		{"literal both sides", "a", "=", "a", true, ""},
		{"unknown operand", "${meta.rack}", "like", "r1", false, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := &structs.Constraint{LTarget: tc.l, RTarget: tc.r, Operand: tc.op}
			ok, reason := constraintChecker{ctx: testContext(), constraint: c}.check(node)
			if ok != tc.want {
				t.Fatalf("%s = %v, want %v %s", c, ok, tc.want, tc.comment)
			}
			if !ok && reason != c.String() {
				t.Fatalf("reason %q, want %q", reason, c.String())
			}
		})
	}
}

func TestDistinctHostsEnabled(t *testing.T) {
	cases := []struct {
		c    structs.Constraint
		want bool
	}{
		{structs.Constraint{Operand: "distinct_hosts"}, true},
		{structs.Constraint{Operand: "distinct_hosts", RTarget: "true"}, true},
		{structs.Constraint{Operand: "distinct_hosts", RTarget: "false"}, false},
		{structs.Constraint{Operand: "=", RTarget: "true"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.c.String(), func(t *testing.T) {
			if got := distinctHostsEnabled(&tc.c); got != tc.want {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}
