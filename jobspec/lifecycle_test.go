package jobspec

import (
	"strings"
	"testing"

	"github.com/drover-project/drover/structs"
)

func lifecycleJob(body string) string {
	return `job "j" {
  group "g" {
    task "t" {
      driver = "raw_exec"
      lifecycle {
` + body + `
      }
    }
  }
}
`
}

func TestParseLifecycle(t *testing.T) {
	cases := []struct {
		name string
		body string
		want *structs.TaskLifecycleConfig
	}{
		{"prestart", `hook = "prestart"`, &structs.TaskLifecycleConfig{Hook: "prestart"}},
		{"prestart sidecar", `hook = "prestart"
sidecar = true`, &structs.TaskLifecycleConfig{Hook: "prestart", Sidecar: true}},
		{"poststart", `hook = "poststart"
sidecar = false`, &structs.TaskLifecycleConfig{Hook: "poststart"}},
		{"poststop", `hook = "poststop"`, &structs.TaskLifecycleConfig{Hook: "poststop"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			job, err := Parse("j.hcl", []byte(lifecycleJob(tc.body)))
			if err != nil {
				t.Fatal(err)
			}
			assertEqual(t, job.TaskGroups[0].Tasks[0].Lifecycle, tc.want)
		})
	}
}

func TestParseLifecycleErrors(t *testing.T) {
	cases := []struct {
		name string
		body string
		pos  string
		want string
	}{
		{"unknown hook", `hook = "prestrat"`, "j.hcl:6,8", `Invalid lifecycle hook; hook must be one of "prestart", "poststart" or "poststop", not "prestrat".`},
		{"missing hook", `sidecar = true`, "j.hcl:5,17", `The argument "hook" is required`},
		{"sidecar not bool", `hook = "prestart"
sidecar = "yes please"`, "j.hcl:7,11", `Inappropriate value for attribute "sidecar"`},
		{"unknown attribute", `hook = "prestart"
side_car = true`, "j.hcl:7,1", `An argument named "side_car" is not expected here`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("j.hcl", []byte(lifecycleJob(tc.body)))
			if err == nil {
				t.Fatal("Parse succeeded, want an error")
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, tc.pos) {
				t.Errorf("error does not start at %s:\n%s", tc.pos, msg)
			}
			if !strings.Contains(msg, tc.want) {
				t.Errorf("error does not mention %q:\n%s", tc.want, msg)
			}
		})
	}
}
