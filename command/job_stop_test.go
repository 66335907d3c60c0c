package command

import (
	"strings"
	"testing"

	"github.com/drover-project/drover/structs"
)

func TestJobStop(t *testing.T) {
	cases := []struct {
		name       string
		args       []string
		stdin      string
		code       int
		wantOut    []string
		wantDelete string
	}{
		{"monitor", []string{"example"}, "", 0, []string{
			`==> 2024-05-06T07:08:09Z: Evaluation "1f2e3d4c" finished with status "complete"`,
			`    2024-05-06T07:08:09Z: Evaluation triggered by job "example"`,
		}, "DELETE /v1/job/example?purge=false"},
		{"detach purge", []string{"-detach", "-purge", "example"}, "", 0, []string{evalID}, "DELETE /v1/job/example?purge=true"},
		{"prefix confirmed", []string{"-detach", "exa"}, "y\n", 0,
			[]string{`Are you sure you want to stop job "example"? [y/N]: ` + evalID}, "DELETE /v1/job/example"},
		{"prefix declined", []string{"-detach", "exa"}, "n\n", 0, []string{`Are you sure you want to stop job "example"? [y/N]: Cancelling job stop`}, ""},
		{"prefix -yes", []string{"-detach", "-yes", "exa"}, "", 0, []string{evalID}, "DELETE /v1/job/example"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeAgent(t)
			f.json("GET /v1/jobs", []*structs.JobListStub{fixtureJob().Stub(nil)})
			f.json("DELETE /v1/job/{id}", &structs.JobDeregisterResponse{EvalID: evalID})
			eval := fixtureEval(structs.EvalStatusComplete)
			eval.TriggeredBy = structs.EvalTriggerJobDeregister
			f.json("GET /v1/evaluation/{id}", eval)
			f.json("GET /v1/evaluation/{id}/allocations", []*structs.AllocListStub{})
			r := runCLI(f.srv.URL, tc.stdin, append([]string{"job", "stop"}, tc.args...)...)
			if r.code != tc.code {
				t.Fatalf("exit %d: %s", r.code, r.err)
			}
			wantLines(t, r.out, tc.wantOut...)
			if tc.wantDelete == "" && f.requested("DELETE") {
				t.Error("stopped the job although the user declined")
			}
			if tc.wantDelete != "" && !f.requested(tc.wantDelete) {
				t.Errorf("no %s: %v", tc.wantDelete, f.requests)
			}
			if f.requested("GET /v1/allocation/") {
				t.Error("job stop followed allocations")
			}
		})
	}
}

func TestJobStopUnknown(t *testing.T) {
	f := newFakeAgent(t)
	f.json("GET /v1/jobs", []*structs.JobListStub{})
	r := f.run("job", "stop", "nope")
	if r.code != 1 || !strings.Contains(r.err, `No job(s) with prefix or ID "nope" found`) {
		t.Errorf("exit %d, stderr %q", r.code, r.err)
	}
}
