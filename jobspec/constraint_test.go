package jobspec

import (
	"strings"
	"testing"

	"github.com/drover-project/drover/structs"
)

// parseConstraint parses body as the content of one job-level constraint.
func parseConstraint(body string) ([]*structs.Constraint, error) {
	job, err := Parse("c.hcl", []byte("job \"j\" {\n  constraint {\n"+body+"\n  }\n}\n"))
	if err != nil {
		return nil, err
	}
	return job.Constraints, nil
}

func TestConstraints(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []*structs.Constraint
	}{
		{"default operator", `attribute = "${attr.kernel.name}"
value = "linux"`, []*structs.Constraint{{LTarget: "${attr.kernel.name}", Operand: "=", RTarget: "linux"}}},
		{"explicit operator", `attribute = "${attr.cpu.numcores}"
operator = ">="
value = 4`, []*structs.Constraint{{LTarget: "${attr.cpu.numcores}", Operand: ">=", RTarget: "4"}}},
		{"is_set without value", `attribute = "${meta.gpu}"
operator = "is_set"`, []*structs.Constraint{{LTarget: "${meta.gpu}", Operand: "is_set"}}},
		{"distinct_hosts", `distinct_hosts = true`, []*structs.Constraint{{Operand: "distinct_hosts", RTarget: "true"}}},
		{"distinct_hosts false is dropped", `distinct_hosts = false`, nil},
		{"distinct_property", `distinct_property = "${meta.rack}"`, []*structs.Constraint{{LTarget: "${meta.rack}", Operand: "distinct_property"}}},
		{"distinct_property with limit", `distinct_property = "${meta.rack}"
value = 3`, []*structs.Constraint{{LTarget: "${meta.rack}", Operand: "distinct_property", RTarget: "3"}}},
		{"regexp", `attribute = "${attr.kernel.name}"
regexp = "^lin"`, []*structs.Constraint{{LTarget: "${attr.kernel.name}", Operand: "regexp", RTarget: "^lin"}}},
		{"version", `attribute = "${attr.os.version}"
version = ">= 1.2"`, []*structs.Constraint{{LTarget: "${attr.os.version}", Operand: "version", RTarget: ">= 1.2"}}},
		{"semver", `attribute = "${attr.os.version}"
semver = "~> 1.2"`, []*structs.Constraint{{LTarget: "${attr.os.version}", Operand: "semver", RTarget: "~> 1.2"}}},
		{"set_contains", `attribute = "${meta.tags}"
set_contains = "a,b"`, []*structs.Constraint{{LTarget: "${meta.tags}", Operand: "set_contains", RTarget: "a,b"}}},
		{"set_contains_any", `attribute = "${meta.tags}"
set_contains_any = "a"`, []*structs.Constraint{{LTarget: "${meta.tags}", Operand: "set_contains_any", RTarget: "a"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseConstraint(tt.body)
			if err != nil {
				t.Fatal(err)
			}
			assertEqual(t, got, tt.want)
		})
	}
}

func TestConstraintErrors(t *testing.T) {
	tests := []struct {
		name string
		body string
		want string
	}{
		{"two shorthands", "regexp = \"a\"\nversion = \"1\"", `c.hcl:4,1-8: Conflicting constraint attributes; "version" cannot be combined with "regexp"`},
		{"shorthand and operator", "operator = \"=\"\nsemver = \"1\"", `c.hcl:4,1-7: Conflicting constraint attributes; "semver" cannot be combined with "operator"`},
		{"distinct_property and attribute", "attribute = \"a\"\ndistinct_property = \"b\"", `"distinct_property" cannot be combined with "attribute"`},
		{"distinct_hosts not bool", `distinct_hosts = "maybe"`, `c.hcl:3,18-25: Incorrect attribute value type; Inappropriate value for attribute "distinct_hosts"`},
		{"unknown operator", `operator = "like"`, `c.hcl:3,12-18: Invalid constraint operator; Operator "like" is not supported`},
		{"unknown attribute", `attr = "x"`, `c.hcl:3,1-5: Unsupported argument`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseConstraint(tt.body)
			if err == nil {
				t.Fatalf("got %v, want an error", got)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}
