package api

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/drover-project/drover/structs"
)

// Jobs is the /v1/jobs and /v1/job/<id> endpoints.
type Jobs struct{ c *Client }

// Jobs returns the job endpoints.
func (c *Client) Jobs() *Jobs { return &Jobs{c: c} }

// Register submits job (PUT /v1/jobs).
func (j *Jobs) Register(job *structs.Job, w *WriteOptions) (*structs.JobRegisterResponse, error) {
	return j.register(&structs.JobRegisterHTTPRequest{Job: job}, w)
}

// EnforceRegister submits job only if the stored job's JobModifyIndex is
// still modifyIndex (0: the job must not exist yet).
func (j *Jobs) EnforceRegister(job *structs.Job, modifyIndex uint64, w *WriteOptions) (*structs.JobRegisterResponse, error) {
	return j.register(&structs.JobRegisterHTTPRequest{Job: job, EnforceIndex: true, JobModifyIndex: modifyIndex}, w)
}

func (j *Jobs) register(req *structs.JobRegisterHTTPRequest, w *WriteOptions) (*structs.JobRegisterResponse, error) {
	var resp structs.JobRegisterResponse
	if err := j.c.write(http.MethodPut, "/v1/jobs", nil, req, &resp, w); err != nil {
		return nil, err
	}
	return &resp, nil
}

// List lists jobs; q.Prefix filters by ID prefix.
func (j *Jobs) List(q *QueryOptions) ([]*structs.JobListStub, *QueryMeta, error) {
	var out []*structs.JobListStub
	qm, err := j.c.query("/v1/jobs", &out, q)
	return out, qm, err
}

// PrefixList lists the jobs whose ID starts with prefix.
func (j *Jobs) PrefixList(prefix string) ([]*structs.JobListStub, *QueryMeta, error) {
	return j.List(&QueryOptions{Prefix: prefix})
}

// Info reads one job.
func (j *Jobs) Info(jobID string, q *QueryOptions) (*structs.Job, *QueryMeta, error) {
	var out structs.Job
	qm, err := j.c.query("/v1/job/"+url.PathEscape(jobID), &out, q)
	if err != nil {
		return nil, nil, err
	}
	return &out, qm, nil
}

// Deregister stops a job; purge also removes it from state.
func (j *Jobs) Deregister(jobID string, purge bool, w *WriteOptions) (*structs.JobDeregisterResponse, error) {
	params := url.Values{"purge": {strconv.FormatBool(purge)}}
	var resp structs.JobDeregisterResponse
	if err := j.c.write(http.MethodDelete, "/v1/job/"+url.PathEscape(jobID), params, nil, &resp, w); err != nil {
		return nil, err
	}
	return &resp, nil
}

// Allocations lists a job's allocations; all includes those of earlier
// jobs registered under the same ID.
func (j *Jobs) Allocations(jobID string, all bool, q *QueryOptions) ([]*structs.AllocListStub, *QueryMeta, error) {
	if all {
		q = withParam(q, "all", "true")
	}
	var out []*structs.AllocListStub
	qm, err := j.c.query("/v1/job/"+url.PathEscape(jobID)+"/allocations", &out, q)
	return out, qm, err
}

// Evaluations lists a job's evaluations.
func (j *Jobs) Evaluations(jobID string, q *QueryOptions) ([]*structs.Evaluation, *QueryMeta, error) {
	var out []*structs.Evaluation
	qm, err := j.c.query("/v1/job/"+url.PathEscape(jobID)+"/evaluations", &out, q)
	return out, qm, err
}

// Summary reads a job's per-group allocation counts.
func (j *Jobs) Summary(jobID string, q *QueryOptions) (*structs.JobSummary, *QueryMeta, error) {
	var out structs.JobSummary
	qm, err := j.c.query("/v1/job/"+url.PathEscape(jobID)+"/summary", &out, q)
	if err != nil {
		return nil, nil, err
	}
	return &out, qm, nil
}

// ForceEvaluate creates a new evaluation of the job.
func (j *Jobs) ForceEvaluate(jobID string, w *WriteOptions) (*structs.JobRegisterResponse, error) {
	var resp structs.JobRegisterResponse
	if err := j.c.write(http.MethodPut, "/v1/job/"+url.PathEscape(jobID)+"/evaluate", nil, struct{}{}, &resp, w); err != nil {
		return nil, err
	}
	return &resp, nil
}

// withParam returns a copy of q with one more query parameter.
func withParam(q *QueryOptions, key, value string) *QueryOptions {
	var c QueryOptions
	if q != nil {
		c = *q
	}
	params := make(map[string]string, len(c.Params)+1)
	for k, v := range c.Params {
		params[k] = v
	}
	params[key] = value
	c.Params = params
	return &c
}
