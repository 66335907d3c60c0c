package httpapi

import (
	"errors"
	"strings"

	"github.com/drover-project/drover/structs"
)

// jobValidator is the optional ability of a Server to check a job without
// registering it.
type jobValidator interface {
	ValidateJob(job *structs.Job) []string
}

// jobValidateRequest is Nomad's api.JobValidateRequest.
type jobValidateRequest struct {
	Job *structs.Job
}

// jobValidateResponse is Nomad's api.JobValidateResponse.
type jobValidateResponse struct {
	DriverConfigValidated bool
	ValidationErrors      []string
	Error                 string
	Warnings              string
}

// jobValidate answers PUT /v1/validate/job: the problems RegisterJob would
// refuse the job for, as a 200 answer (an invalid job is not a bad request
// here). Driver configs are checked too, against the server's drivers.
func (a *api) jobValidate(req *request) (interface{}, error) {
	v, ok := a.cfg.Server.(jobValidator)
	if !ok {
		return nil, errors.New("this server cannot validate jobs")
	}
	var body jobValidateRequest
	if err := req.decodeBody(&body); err != nil {
		return nil, err
	}
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
	problems := v.ValidateJob(body.Job)
	resp := &jobValidateResponse{DriverConfigValidated: true, ValidationErrors: []string{}}
	if len(problems) > 0 {
		resp.ValidationErrors = problems
		resp.Error = strings.Join(problems, "; ")
	}
	return resp, nil
}
