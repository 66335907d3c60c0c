package jobspec

import (
	"strings"
	"testing"
)

// configValue parses expr as the value of a task config attribute.
func configValue(t *testing.T, expr string) (interface{}, error) {
	t.Helper()
	src := "job \"j\" {\n  group \"g\" {\n    task \"t\" {\n      config {\n        v = " + expr + "\n      }\n    }\n  }\n}\n"
	job, err := Parse("eval.hcl", []byte(src))
	if err != nil {
		return nil, err
	}
	return job.TaskGroups[0].Tasks[0].Config["v"], nil
}

func TestRuntimeInterpolationIsKept(t *testing.T) {
	tests := []struct {
		name string
		expr string
		want interface{}
	}{
		{"whole string", `"${attr.kernel.name}"`, "${attr.kernel.name}"},
		{"inside text", `"os-${attr.kernel.name}-x"`, "os-${attr.kernel.name}-x"},
		{"two refs", `"${node.unique.id}/${NOMAD_ALLOC_ID}"`, "${node.unique.id}/${NOMAD_ALLOC_ID}"},
		{"spaces trimmed", `"${ meta.rack }"`, "${meta.rack}"},
		{"index", `"${meta["rack id"]}"`, `${meta["rack id"]}`},
		{"dashed name", `"${attr.unique.network.ip-address}"`, "${attr.unique.network.ip-address}"},
		{"env root", `"${env.HOME}"`, "${env.HOME}"},
		{"strip markers", `"a ${~ NOMAD_TASK_NAME ~} b"`, "a${NOMAD_TASK_NAME}b"},
		{"escaped", `"$${not_a_ref}"`, "${not_a_ref}"},
		{"shell vars", `"$HOME $(pwd)"`, "$HOME $(pwd)"},
		{"in list", `["${NOMAD_TASK_DIR}", "x"]`, []interface{}{"${NOMAD_TASK_DIR}", "x"}},
		{"in object", `{ dir = "${NOMAD_TASK_DIR}/a" }`, map[string]interface{}{"dir": "${NOMAD_TASK_DIR}/a"}},
		{"heredoc", "<<EOT\nid=${node.unique.id}\nEOT", "id=${node.unique.id}\n"},
		{"constant interpolation", `"n=${1 + 2}"`, "n=3"},
		{"constant wrap keeps type", `"${true}"`, true},
		{"parentheses", `("${attr.kernel.name}")`, "${attr.kernel.name}"},
		{"directive", `"%{ if true }yes%{ endif }"`, "yes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := configValue(t, tt.expr)
			if err != nil {
				t.Fatal(err)
			}
			assertEqual(t, got, tt.want)
		})
	}
}

func TestInterpolationErrors(t *testing.T) {
	tests := []struct {
		name string
		expr string
		want string
	}{
		{"bare reference", `attr.kernel.name`, "eval.hcl:5,13-17: Variables not allowed"},
		{"reference in arithmetic", `"${attr.cpu.cores + 1}"`, "eval.hcl:5,16-20: Variables not allowed"},
		{"input variable", `"${var.image}"`, "eval.hcl:5,16-25: Variables not supported"},
		{"local", `"x${local.y}"`, "eval.hcl:5,17-24: Variables not supported"},
		{"null interpolation", `"a${null}"`, "eval.hcl:5,17-21: Invalid template interpolation value"},
		{"list interpolation", `"a${[1]}"`, "eval.hcl:5,17-20: Invalid template interpolation value"},
		{"for directive over ref", `"%{ for x in attr.list }${x}%{ endfor }"`, "Variables not allowed"},
		{"function", `"${upper("a")}"`, "eval.hcl:5,16-26: Function calls not allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := configValue(t, tt.expr)
			if err == nil {
				t.Fatalf("got %#v, want an error", got)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}
