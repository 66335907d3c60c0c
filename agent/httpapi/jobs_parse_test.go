package httpapi

import (
	"net/http"
	"strings"
	"testing"

	"github.com/drover-project/drover/structs"
)

const exampleHCL = `
job "example" {
  datacenters = ["dc1"]
  group "cache" {
    count = 1
    task "redis" {
      driver = "raw_exec"
      config {
        command = "/bin/sleep"
        args    = ["60"]
      }
    }
  }
}
`

func TestJobsParse(t *testing.T) {
	h := newHarness(t)
	cases := []struct {
		name   string
		body   interface{}
		code   int
		wantNS string
		msg    string
	}{
		{"raw", map[string]interface{}{"JobHCL": exampleHCL}, 200, "", ""},
		{"canonical", map[string]interface{}{"JobHCL": exampleHCL, "Canonicalize": true}, 200, structs.DefaultNamespace, ""},
		{"empty", map[string]interface{}{"JobHCL": "  "}, 400, "", "empty"},
		{"invalid hcl", map[string]interface{}{"JobHCL": "job {{{"}, 400, "", ""},
		{"variables", map[string]interface{}{"JobHCL": exampleHCL, "Variables": "x = 1"}, 400, "", "variables"},
		{"bad json", "{", 400, "", "failed to parse request"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := h.do(t, http.MethodPost, "/v1/jobs/parse", tc.body)
			if resp.StatusCode != tc.code || !strings.Contains(string(body), tc.msg) {
				t.Fatalf("%d %s, want %d with %q", resp.StatusCode, body, tc.code, tc.msg)
			}
			if tc.code != 200 {
				return
			}
			var job structs.Job
			mustUnmarshal(t, body, &job)
			if job.ID != "example" || job.Namespace != tc.wantNS {
				t.Fatalf("job ID %q namespace %q", job.ID, job.Namespace)
			}
		})
	}
}

// officialClientJob is a job as the Nomad Go client encodes it: nulls for
// unset pointers and fields Drover does not have.
const officialClientJob = `{"Job":{"Region":null,"Namespace":null,"ID":"redis","Name":"redis","Type":"service",
"Priority":null,"AllAtOnce":null,"Datacenters":["dc1"],"NodePool":null,"Constraints":null,"Affinities":null,
"TaskGroups":[{"Name":"cache","Count":2,"Constraints":null,"Affinities":null,"Spreads":null,"Volumes":null,
"RestartPolicy":{"Interval":1800000000000,"Attempts":2,"Delay":15000000000,"Mode":"fail","RenderTemplates":false},
"Tasks":[{"Name":"redis","Driver":"raw_exec","User":"","Lifecycle":null,"Config":{"command":"/bin/sleep","args":["60"]},
"Constraints":null,"Env":null,"Services":null,"Resources":{"CPU":200,"Cores":null,"MemoryMB":128,"MemoryMaxMB":null,
"DiskMB":null,"Networks":null,"Devices":null},"Meta":null,"KillTimeout":null,"LogConfig":null,"Artifacts":null,
"Templates":null,"Leader":false,"KillSignal":""}],"Networks":null,"Meta":null,"Services":null}],
"Update":null,"Multiregion":null,"Spreads":null,"Periodic":null,"ParameterizedJob":null,"Payload":null,
"Meta":{"team":"cache"},"ConsulToken":null,"VaultToken":null,"Stop":null,"ParentID":null,"Dispatched":false,
"Status":null,"StatusDescription":null,"Stable":null,"Version":null,"SubmitTime":null,"CreateIndex":null,
"ModifyIndex":null,"JobModifyIndex":null},"EnforceIndex":false,"JobModifyIndex":0,"PolicyOverride":false,
"PreserveCounts":false,"EvalPriority":0,"Submission":null}`

func TestJobs_RegisterOfficialClientBody(t *testing.T) {
	h := newHarness(t)
	resp, body := h.do(t, http.MethodPut, "/v1/jobs", officialClientJob)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	job, _ := h.srv.store.JobByID(nil, structs.DefaultNamespace, "redis")
	if job == nil {
		t.Fatal("job not stored")
	}
	tg := job.TaskGroups[0]
	task := tg.Tasks[0]
	if tg.Count != 2 || task.Resources.CPU != 200 || task.Config["command"] != "/bin/sleep" || job.Meta["team"] != "cache" {
		t.Fatalf("decoded job: %+v group %+v task %+v", job, tg, task)
	}
}
