package command

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drover-project/drover/jobspec"
	"github.com/drover-project/drover/structs"
)

// writeJobFile writes content to a temp file and returns its path.
func writeJobFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// registered serves a successful registration of the example job.
func registered(f *fakeAgent) {
	f.json("PUT /v1/jobs", &structs.JobRegisterResponse{EvalID: evalID, EvalCreateIndex: 7, JobModifyIndex: 5})
}

func TestJobRunMonitorsUntilRunning(t *testing.T) {
	f := newFakeAgent(t)
	registered(f)
	f.seq("GET /v1/evaluation/{id}", fixtureEval(structs.EvalStatusPending), fixtureEval(structs.EvalStatusComplete))
	f.seq("GET /v1/evaluation/{id}/allocations", []*structs.AllocListStub{},
		[]*structs.AllocListStub{fixtureAlloc(structs.AllocClientStatusPending).Stub()})
	pending := fixtureAlloc(structs.AllocClientStatusPending)
	pending.ClientDescription = ""
	f.seq("GET /v1/allocation/{id}", pending, fixtureAlloc(structs.AllocClientStatusRunning))

	path := writeJobFile(t, "example.hcl", jobspec.Example)
	r := f.run("job", "run", path)
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %s", r.code, r.err)
	}
	golden(t, "job_run_ok", r.out)
	// The monitor must block on indexes rather than poll.
	if !f.requested("GET /v1/evaluation/" + evalID + "?index=10&wait=10s") {
		t.Errorf("no blocking query on the evaluation; requests: %v", f.requests)
	}
	if !f.requested("GET /v1/allocation/" + allocID + "?index=10") {
		t.Errorf("no blocking query on the allocation; requests: %v", f.requests)
	}
}

func TestJobRunPlacementFailureExits2(t *testing.T) {
	f := newFakeAgent(t)
	registered(f)
	f.json("GET /v1/evaluation/{id}", failedEval())
	f.json("GET /v1/evaluation/{id}/allocations", []*structs.AllocListStub{})
	r := f.run("job", "run", writeJobFile(t, "example.hcl", jobspec.Example))
	if r.code != 2 {
		t.Fatalf("exit %d, want 2; stderr %s", r.code, r.err)
	}
	golden(t, "job_run_failed", r.out)
	if f.requested("GET /v1/allocation/") {
		t.Error("followed allocations after a placement failure")
	}
}

func TestJobRunDetachAndInputs(t *testing.T) {
	bare := `{"ID":"example","Type":"batch","TaskGroups":[{"Name":"app","Count":1}]}`
	cases := []struct {
		name     string
		args     func(t *testing.T) []string
		stdin    string
		wantBody []string
	}{
		{"hcl", func(t *testing.T) []string {
			return []string{"-detach", writeJobFile(t, "example.hcl", jobspec.Example)}
		}, "", []string{`"ID":"example"`, `"Driver":"raw_exec"`, `"EnforceIndex":false`}},
		{"wrapped json", func(t *testing.T) []string {
			return []string{"-detach", writeJobFile(t, "job.json", `{"Job":`+bare+`}`)}
		}, "", []string{`"Type":"batch"`}},
		{"bare json with check-index", func(t *testing.T) []string {
			return []string{"-detach", "-check-index", "4", writeJobFile(t, "job.json", bare)}
		}, "", []string{`"Type":"batch"`, `"EnforceIndex":true,"JobModifyIndex":4`}},
		{"stdin", func(t *testing.T) []string { return []string{"-detach", "-"} },
			jobspec.Example, []string{`"Name":"hello"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeAgent(t)
			registered(f)
			r := runCLI(f.srv.URL, tc.stdin, append([]string{"job", "run"}, tc.args(t)...)...)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.err)
			}
			want := "Job registration successful\nEvaluation ID: " + evalID + "\n"
			if r.out != want {
				t.Errorf("stdout = %q, want %q", r.out, want)
			}
			for _, b := range tc.wantBody {
				if !strings.Contains(f.bodies[0], b) {
					t.Errorf("request body lacks %s: %s", b, f.bodies[0])
				}
			}
			if f.requested("GET /v1/evaluation") {
				t.Error("-detach monitored the evaluation")
			}
		})
	}
}

func TestJobRunErrors(t *testing.T) {
	cases := []struct {
		name    string
		file    string
		content string
		serve   func(f *fakeAgent)
		wantErr []string
	}{
		{"parse error carries position", "bad.hcl", "job \"x\" {\n  type = \n}\n", nil,
			[]string{"Error parsing job file from ", "bad.hcl:"}},
		{"unknown attribute", "bad.hcl", "job \"x\" {\n  bogus = 1\n}\n", nil,
			[]string{"bad.hcl:2"}},
		{"bad json", "job.json", "{", nil, []string{"decoding JSON job"}},
		{"server rejects", "example.hcl", jobspec.Example, func(f *fakeAgent) {
			f.fail("PUT /v1/jobs", 400, "Task group app validation failed")
		}, []string{"Error submitting job: Unexpected response code: 400 (Task group app validation failed)"}},
		{"missing file", "", "", nil, []string{"Error reading job file from"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeAgent(t)
			if tc.serve != nil {
				tc.serve(f)
			}
			path := filepath.Join(t.TempDir(), "missing.hcl")
			if tc.file != "" {
				path = writeJobFile(t, tc.file, tc.content)
			}
			r := f.run("job", "run", path)
			if r.code != 1 {
				t.Fatalf("exit %d, want 1; stdout %s", r.code, r.out)
			}
			for _, w := range tc.wantErr {
				if !strings.Contains(r.err, w) {
					t.Errorf("stderr lacks %q:\n%s", w, r.err)
				}
			}
		})
	}
}
