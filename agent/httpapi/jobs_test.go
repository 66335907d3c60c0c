package httpapi

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/drover-project/drover/structs"
	"github.com/drover-project/drover/structs/mock"
)

// registerJob registers job through the API and returns the response.
func (h *harness) registerJob(t *testing.T, job *structs.Job) *structs.JobRegisterResponse {
	t.Helper()
	var out structs.JobRegisterResponse
	resp, body := h.do(t, http.MethodPut, "/v1/jobs", map[string]interface{}{"Job": job})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("register %s: %d %s", job.ID, resp.StatusCode, body)
	}
	mustUnmarshal(t, body, &out)
	return &out
}

func TestJobs_RegisterListGet(t *testing.T) {
	h := newHarness(t)
	job := mock.Job()
	job.ID, job.Name = "web", "web"

	resp, body := h.do(t, http.MethodPost, "/v1/jobs", map[string]interface{}{"Job": job})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("register: %d %s", resp.StatusCode, body)
	}
	requireKeys(t, body, "EvalID", "EvalCreateIndex", "JobModifyIndex", "Warnings", "Index")
	var reg structs.JobRegisterResponse
	mustUnmarshal(t, body, &reg)
	if reg.EvalID == "" || reg.Index == 0 {
		t.Fatalf("register response %+v", reg)
	}
	if got := resp.Header.Get("X-Nomad-Index"); got != strconv.FormatUint(reg.Index, 10) {
		t.Fatalf("write X-Nomad-Index %q, want %d", got, reg.Index)
	}

	var stubs []*structs.JobListStub
	h.getJSON(t, "/v1/jobs", &stubs)
	if len(stubs) != 1 || stubs[0].ID != "web" || stubs[0].JobSummary == nil {
		t.Fatalf("list: %+v", stubs)
	}
	if _, ok := stubs[0].JobSummary.Summary["web"]; !ok {
		t.Fatalf("summary lacks group web: %+v", stubs[0].JobSummary)
	}
	_, body = h.do(t, http.MethodGet, "/v1/jobs", nil)
	requireKeys(t, body, "ID", "Name", "Namespace", "Type", "Status", "JobSummary", "JobModifyIndex", "SubmitTime")

	var got structs.Job
	resp = h.getJSON(t, "/v1/job/web", &got)
	if got.ID != "web" || got.TaskGroups[0].Tasks[0].Driver != "mock" || got.Namespace != structs.DefaultNamespace {
		t.Fatalf("job: %+v", got)
	}
	if resp.Header.Get("X-Nomad-Index") != strconv.FormatUint(got.ModifyIndex, 10) {
		t.Fatalf("read index %s, job modify index %d", resp.Header.Get("X-Nomad-Index"), got.ModifyIndex)
	}
	if resp.Header.Get("X-Nomad-KnownLeader") != "true" || resp.Header.Get("X-Nomad-LastContact") != "0" {
		t.Fatalf("meta headers: %v", resp.Header)
	}
}

func TestJobs_RegisterErrors(t *testing.T) {
	h := newHarness(t)
	job := mock.Job()
	cases := []struct {
		name, method, path string
		body               interface{}
		code               int
		msg                string
	}{
		{"bad json", http.MethodPut, "/v1/jobs", `{"Job": {`, 400, "failed to parse request"},
		{"empty body", http.MethodPut, "/v1/jobs", nil, 400, "failed to parse request"},
		{"wrong field type", http.MethodPut, "/v1/jobs", `{"Job": {"ID": 5}}`, 400, "failed to parse request"},
		{"no job", http.MethodPut, "/v1/jobs", `{}`, 400, "Job must be specified"},
		{"server rejects", http.MethodPut, "/v1/jobs", map[string]interface{}{"Job": &structs.Job{}}, 400, "job ID is required"},
		{"id mismatch", http.MethodPut, "/v1/job/other", map[string]interface{}{"Job": job}, 400, "does not match"},
		{"wildcard namespace", http.MethodPut, "/v1/jobs?namespace=*", map[string]interface{}{"Job": job}, 400, "namespace"},
		{"enforce index", http.MethodPut, "/v1/jobs", map[string]interface{}{"Job": job, "EnforceIndex": true, "JobModifyIndex": 7}, 400, "enforcing"},
		{"wrong method", http.MethodPatch, "/v1/jobs", nil, 405, ""},
		{"unknown path", http.MethodGet, "/v1/nope", nil, 404, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := h.do(t, tc.method, tc.path, tc.body)
			if resp.StatusCode != tc.code || !strings.Contains(string(body), tc.msg) {
				t.Fatalf("got %d %q, want %d containing %q", resp.StatusCode, body, tc.code, tc.msg)
			}
			if tc.code == 400 && !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
				t.Fatalf("error content type %q", resp.Header.Get("Content-Type"))
			}
		})
	}
}

func TestJobs_RegisterByPath(t *testing.T) {
	h := newHarness(t)
	job := mock.Job()
	job.Namespace = "" // filled from ?namespace
	resp, body := h.do(t, http.MethodPut, "/v1/job/"+job.ID, map[string]interface{}{"Job": job})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	if j, _ := h.srv.store.JobByID(nil, structs.DefaultNamespace, job.ID); j == nil {
		t.Fatal("job not registered in the default namespace")
	}
}

func TestJobs_ListPrefixAndNamespace(t *testing.T) {
	h := newHarness(t)
	for _, id := range []string{"web-a", "web-b", "api"} {
		j := mock.Job()
		j.ID, j.Name = id, id
		h.registerJob(t, j)
	}
	cases := []struct {
		query string
		want  []string
	}{
		{"", []string{"api", "web-a", "web-b"}},
		{"?prefix=web", []string{"web-a", "web-b"}},
		{"?prefix=web-b", []string{"web-b"}},
		{"?prefix=zzz", []string{}},
		{"?namespace=*", []string{"api", "web-a", "web-b"}},
		{"?namespace=*&prefix=a", []string{"api"}},
		{"?namespace=other", []string{}},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			var stubs []*structs.JobListStub
			_, body := h.do(t, http.MethodGet, "/v1/jobs"+tc.query, nil)
			mustUnmarshal(t, body, &stubs)
			if len(tc.want) == 0 && strings.TrimSpace(string(body)) != "[]" {
				t.Fatalf("empty list encoded as %s", body)
			}
			var ids []string
			for _, s := range stubs {
				ids = append(ids, s.ID)
			}
			if strings.Join(ids, ",") != strings.Join(tc.want, ",") {
				t.Fatalf("ids %v, want %v", ids, tc.want)
			}
		})
	}
}

func TestJobs_Deregister(t *testing.T) {
	h := newHarness(t)
	job := mock.Job()
	h.registerJob(t, job)

	resp, body := h.do(t, http.MethodDelete, "/v1/job/"+job.ID, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("stop: %d %s", resp.StatusCode, body)
	}
	requireKeys(t, body, "EvalID", "EvalCreateIndex", "JobModifyIndex", "Index")
	var got structs.Job
	h.getJSON(t, "/v1/job/"+job.ID, &got)
	if !got.Stop {
		t.Fatal("job not stopped")
	}

	resp, body = h.do(t, http.MethodDelete, "/v1/job/"+job.ID+"?purge=true", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("purge: %d %s", resp.StatusCode, body)
	}
	resp, body = h.do(t, http.MethodGet, "/v1/job/"+job.ID, nil)
	if resp.StatusCode != http.StatusNotFound || string(body) != "job not found" {
		t.Fatalf("after purge: %d %s", resp.StatusCode, body)
	}

	for _, path := range []string{"/v1/job/" + job.ID, "/v1/job/missing?purge=true"} {
		resp, body = h.do(t, http.MethodDelete, path, nil)
		if resp.StatusCode != http.StatusNotFound {
			t.Fatalf("DELETE %s of a missing job: %d %s", path, resp.StatusCode, body)
		}
	}
	resp, _ = h.do(t, http.MethodDelete, "/v1/job/x?purge=maybe", nil)
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad purge value: %d", resp.StatusCode)
	}
}

func TestJobs_EscapedID(t *testing.T) {
	h := newHarness(t)
	job := mock.Job()
	job.ID, job.Name = "team/web", "team/web"
	h.registerJob(t, job)
	var got structs.Job
	h.getJSON(t, "/v1/job/team%2Fweb", &got)
	if got.ID != "team/web" {
		t.Fatalf("got %q", got.ID)
	}
	var sum structs.JobSummary
	h.getJSON(t, "/v1/job/team%2Fweb/summary", &sum)
	if sum.JobID != "team/web" {
		t.Fatalf("summary of %q", sum.JobID)
	}
}
