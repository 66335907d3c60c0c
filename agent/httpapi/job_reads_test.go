package httpapi

import (
	"net/http"
	"testing"

	"github.com/drover-project/drover/structs"
	"github.com/drover-project/drover/structs/mock"
)

// seedJob stores a job, a node and two allocations of it directly.
func (h *harness) seedJob(t *testing.T) (*structs.Job, *structs.Node, []*structs.Allocation) {
	t.Helper()
	job, node := mock.Job(), mock.Node()
	h.registerJob(t, job)
	stored, _ := h.srv.store.JobByID(nil, job.Namespace, job.ID)
	must(t, h.srv.store.UpsertNode(h.srv.nextIndex(), node))
	a0, a1 := mock.Alloc(stored, node, 0), mock.Alloc(stored, node, 1)
	a1.ClientStatus = structs.AllocClientStatusFailed
	allocs := []*structs.Allocation{a0, a1}
	must(t, h.srv.store.UpsertAllocs(h.srv.nextIndex(), allocs))
	return stored, node, allocs
}

func TestJob_Allocations(t *testing.T) {
	h := newHarness(t)
	job, node, allocs := h.seedJob(t)
	// An allocation of an earlier job with the same ID.
	old := job.Copy()
	old.CreateIndex = 1
	stale := mock.Alloc(old, node, 0)
	must(t, h.srv.store.UpsertAllocs(h.srv.nextIndex(), []*structs.Allocation{stale}))

	cases := []struct {
		query string
		want  int
	}{{"", len(allocs)}, {"?all=false", len(allocs)}, {"?all=true", len(allocs) + 1}}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			var stubs []*structs.AllocListStub
			h.getJSON(t, "/v1/job/"+job.ID+"/allocations"+tc.query, &stubs)
			if len(stubs) != tc.want {
				t.Fatalf("%d allocations, want %d", len(stubs), tc.want)
			}
		})
	}
	_, body := h.do(t, http.MethodGet, "/v1/job/"+job.ID+"/allocations", nil)
	requireKeys(t, body, "ID", "EvalID", "Name", "NodeID", "JobID", "JobVersion", "TaskGroup", "DesiredStatus", "ClientStatus", "CreateIndex")
	var none []*structs.AllocListStub
	h.getJSON(t, "/v1/job/missing/allocations", &none)
	if none == nil || len(none) != 0 {
		t.Fatalf("missing job: %v", none)
	}
}

func TestJob_EvaluationsSummaryEvaluate(t *testing.T) {
	h := newHarness(t)
	job, _, _ := h.seedJob(t)

	var evals []*structs.Evaluation
	h.getJSON(t, "/v1/job/"+job.ID+"/evaluations", &evals)
	if len(evals) != 1 || evals[0].JobID != job.ID {
		t.Fatalf("evals: %+v", evals)
	}

	var sum structs.JobSummary
	h.getJSON(t, "/v1/job/"+job.ID+"/summary", &sum)
	if got := sum.Summary["web"]; got.Running != 1 || got.Failed != 1 || sum.JobID != job.ID {
		t.Fatalf("summary: %+v", sum)
	}
	_, body := h.do(t, http.MethodGet, "/v1/job/"+job.ID+"/summary", nil)
	requireKeys(t, body, "JobID", "Namespace", "Summary", "CreateIndex", "ModifyIndex")

	resp, body := h.do(t, http.MethodPut, "/v1/job/"+job.ID+"/evaluate", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("evaluate: %d %s", resp.StatusCode, body)
	}
	var reg structs.JobRegisterResponse
	mustUnmarshal(t, body, &reg)
	if e, _ := h.srv.store.EvalByID(nil, reg.EvalID); e == nil {
		t.Fatalf("evaluate created no eval: %+v", reg)
	}
	h.getJSON(t, "/v1/job/"+job.ID+"/evaluations", &evals)
	if len(evals) != 2 {
		t.Fatalf("%d evals after evaluate", len(evals))
	}

	notFound := []struct{ method, path string }{
		{http.MethodGet, "/v1/job/missing/summary"},
		{http.MethodPost, "/v1/job/missing/evaluate"},
		{http.MethodGet, "/v1/job/missing"},
	}
	for _, tc := range notFound {
		t.Run(tc.method+tc.path, func(t *testing.T) {
			resp, body := h.do(t, tc.method, tc.path, nil)
			if resp.StatusCode != http.StatusNotFound {
				t.Fatalf("%d %s", resp.StatusCode, body)
			}
		})
	}
}
