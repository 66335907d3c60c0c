package command

import (
	"strings"
	"testing"

	"github.com/drover-project/drover/structs"
)

// serveJob serves the example job's reads.
func serveJob(f *fakeAgent, queued int) {
	job := fixtureJob()
	f.json("GET /v1/jobs", []*structs.JobListStub{job.Stub(nil)})
	f.json("GET /v1/job/{id}", job)
	f.json("GET /v1/job/{id}/summary", &structs.JobSummary{JobID: jobID, Summary: map[string]structs.TaskGroupSummary{
		"app": {Queued: queued, Running: 1}}})
	f.json("GET /v1/job/{id}/evaluations", []*structs.Evaluation{fixtureEval(structs.EvalStatusComplete), failedEval()})
	f.json("GET /v1/job/{id}/allocations", []*structs.AllocListStub{fixtureAlloc(structs.AllocClientStatusRunning).Stub()})
}

func TestJobStatusShow(t *testing.T) {
	cases := []struct {
		name   string
		args   []string
		queued int
	}{
		{"job_status", []string{"job", "status", "example"}, 0},
		{"job_status_placement_failure", []string{"job", "status", "exa"}, 1},
		{"job_status_verbose", []string{"status", "-verbose", "example"}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeAgent(t)
			serveJob(f, tc.queued)
			r := f.run(tc.args...)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.err)
			}
			golden(t, tc.name, r.out)
		})
	}
}

func TestJobStatusFlags(t *testing.T) {
	f := newFakeAgent(t)
	serveJob(f, 0)
	r := f.run("job", "status", "-short", "example")
	if r.code != 0 || strings.Contains(r.out, "Summary") || !strings.Contains(r.out, "ID            = example") {
		t.Errorf("-short: exit %d, stdout:\n%s", r.code, r.out)
	}
	r = f.run("job", "status", "-all-allocs", "example")
	if r.code != 0 || !f.requested("GET /v1/job/example/allocations?all=true") {
		t.Errorf("-all-allocs did not ask for all allocations: %v", f.requests)
	}
}

func TestJobStatusList(t *testing.T) {
	f := newFakeAgent(t)
	web := fixtureJob()
	web.ID, web.Type, web.Status, web.Stop = "web-long-name", structs.JobTypeBatch, structs.JobStatusDead, true
	f.json("GET /v1/jobs", []*structs.JobListStub{web.Stub(nil), fixtureJob().Stub(nil)})
	r := f.run("status")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	want := "ID             Type     Priority  Status          Submit Date\n" +
		"example        service  50        running         2024-05-06T06:08:09Z\n" +
		"web-long-name  batch    50        dead (stopped)  2024-05-06T06:08:09Z\n"
	if r.out != want {
		t.Errorf("got:\n%s\nwant:\n%s", r.out, want)
	}
}

func TestJobStatusResolution(t *testing.T) {
	other := fixtureJob()
	other.ID = "example-2"
	cases := []struct {
		name    string
		jobs    []*structs.JobListStub
		arg     string
		code    int
		wantErr string
	}{
		{"unknown", nil, "nope", 1, `No job(s) with prefix or ID "nope" found`},
		{"ambiguous", []*structs.JobListStub{fixtureJob().Stub(nil), other.Stub(nil)}, "exa", 1, "Prefix matched multiple jobs"},
		{"exact among several", []*structs.JobListStub{fixtureJob().Stub(nil), other.Stub(nil)}, "example", 0, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeAgent(t)
			serveJob(f, 0)
			f.json("GET /v1/jobs", tc.jobs)
			r := f.run("job", "status", tc.arg)
			if r.code != tc.code || !strings.Contains(r.err, tc.wantErr) {
				t.Errorf("exit %d, stderr %q", r.code, r.err)
			}
			if !f.requested("GET /v1/jobs?prefix=" + tc.arg) {
				t.Errorf("no prefix query: %v", f.requests)
			}
		})
	}
}
