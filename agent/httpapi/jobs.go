package httpapi

import (
	"strings"

	memdb "github.com/hashicorp/go-memdb"

	"github.com/drover-project/drover/jobspec"
	"github.com/drover-project/drover/state"
	"github.com/drover-project/drover/structs"
)

// jobList answers GET /v1/jobs: stubs with their summaries.
func (a *api) jobList(req *request) (interface{}, error) {
	prefix := req.prefix()
	var out []*structs.JobListStub
	err := a.blocking(req, func(ws memdb.WatchSet, s *state.StateStore) (uint64, error) {
		jobs, err := a.jobsMatching(ws, s, req, prefix)
		if err != nil {
			return 0, err
		}
		out = make([]*structs.JobListStub, 0, len(jobs))
		for _, j := range jobs {
			sum, err := s.JobSummary(ws, j.Namespace, j.ID)
			if err != nil {
				return 0, err
			}
			out = append(out, j.Stub(sum))
		}
		// Summaries derive from allocations and evaluations.
		return s.MaxIndex(state.TableJobs, state.TableAllocs, state.TableEvals), nil
	})
	return out, err
}

// jobsMatching lists the jobs in the request's namespace (or all of them for
// "*") whose ID starts with prefix.
func (a *api) jobsMatching(ws memdb.WatchSet, s *state.StateStore, req *request, prefix string) ([]*structs.Job, error) {
	if prefix != "" && req.namespace != allNamespaces {
		return s.JobsByIDPrefix(ws, req.namespace, prefix)
	}
	all, err := s.Jobs(ws)
	if err != nil {
		return nil, err
	}
	var out []*structs.Job
	for _, j := range all {
		if req.inNamespace(j.Namespace) && strings.HasPrefix(j.ID, prefix) {
			out = append(out, j)
		}
	}
	return out, nil
}

// jobsRegister answers PUT /v1/jobs.
func (a *api) jobsRegister(req *request) (interface{}, error) {
	var body structs.JobRegisterHTTPRequest
	if err := req.decodeBody(&body); err != nil {
		return nil, err
	}
	return a.register(req, &body)
}

// jobRegister answers PUT /v1/job/<id>; the body's job must have that ID.
func (a *api) jobRegister(req *request) (interface{}, error) {
	var body structs.JobRegisterHTTPRequest
	if err := req.decodeBody(&body); err != nil {
		return nil, err
	}
	if body.Job != nil && body.Job.ID != req.PathValue("id") {
		return nil, badRequest("Job ID does not match name")
	}
	return a.register(req, &body)
}

func (a *api) register(req *request, body *structs.JobRegisterHTTPRequest) (interface{}, error) {
	if body.Job == nil {
		return nil, badRequest("Job must be specified")
	}
	ns, err := req.writeNamespace()
	if err != nil {
		return nil, err
	}
	if body.Job.Namespace == "" {
		body.Job.Namespace = ns
	}
	resp, err := a.cfg.Server.RegisterJob(req.Context(), body)
	if err != nil {
		return nil, err
	}
	req.index = resp.Index
	return resp, nil
}

// jobParse answers PUT /v1/jobs/parse: HCL in, JSON job out.
func (a *api) jobParse(req *request) (interface{}, error) {
	var body struct {
		JobHCL       string
		Variables    string
		Canonicalize bool
	}
	if err := req.decodeBody(&body); err != nil {
		return nil, err
	}
	if strings.TrimSpace(body.JobHCL) == "" {
		return nil, badRequest("Job spec is empty")
	}
	if body.Variables != "" {
		return nil, badRequest("HCL variables are not supported")
	}
	job, err := jobspec.Parse("input.hcl", []byte(body.JobHCL))
	if err != nil {
		return nil, badRequest("%v", err)
	}
	if body.Canonicalize {
		job.Canonicalize()
	}
	return job, nil
}

// jobGet answers GET /v1/job/<id>.
func (a *api) jobGet(req *request) (interface{}, error) {
	ns, id := readNamespace(req), req.PathValue("id")
	var job *structs.Job
	err := a.blocking(req, func(ws memdb.WatchSet, s *state.StateStore) (uint64, error) {
		var err error
		job, err = s.JobByID(ws, ns, id)
		if err != nil || job == nil {
			return s.Index(state.TableJobs), err
		}
		return job.ModifyIndex, nil
	})
	if err == nil && job == nil {
		return nil, notFound("job not found")
	}
	return job, err
}

// jobDeregister answers DELETE /v1/job/<id>?purge=.
func (a *api) jobDeregister(req *request) (interface{}, error) {
	purge, err := req.boolParam("purge", false)
	if err != nil {
		return nil, err
	}
	ns, err := req.writeNamespace()
	if err != nil {
		return nil, err
	}
	resp, err := a.cfg.Server.DeregisterJob(req.Context(), ns, req.PathValue("id"), purge)
	if err != nil {
		return nil, err
	}
	req.index = resp.Index
	return resp, nil
}

// readNamespace is the namespace a single object is looked up in. Drover
// has only "default", so the "*" wildcard resolves to it.
func readNamespace(req *request) string {
	if req.namespace == allNamespaces {
		return structs.DefaultNamespace
	}
	return req.namespace
}
