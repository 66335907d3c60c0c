package httpapi

import (
	memdb "github.com/hashicorp/go-memdb"

	"github.com/drover-project/drover/state"
	"github.com/drover-project/drover/structs"
)

// jobAllocations answers GET /v1/job/<id>/allocations. Without ?all=true
// allocations left over from an earlier job of the same ID (deregistered and
// registered again) are left out, as in Nomad.
func (a *api) jobAllocations(req *request) (interface{}, error) {
	all, err := req.boolParam("all", false)
	if err != nil {
		return nil, err
	}
	ns, id := readNamespace(req), req.PathValue("id")
	var out []*structs.AllocListStub
	err = a.blocking(req, func(ws memdb.WatchSet, s *state.StateStore) (uint64, error) {
		allocs, err := s.AllocsByJob(ws, ns, id)
		if err != nil {
			return 0, err
		}
		job, err := s.JobByID(ws, ns, id)
		if err != nil {
			return 0, err
		}
		out = make([]*structs.AllocListStub, 0, len(allocs))
		for _, al := range allocs {
			if !all && job != nil && al.Job != nil && al.Job.CreateIndex != job.CreateIndex {
				continue
			}
			out = append(out, al.Stub())
		}
		return s.MaxIndex(state.TableAllocs), nil
	})
	return out, err
}

// jobEvaluations answers GET /v1/job/<id>/evaluations.
func (a *api) jobEvaluations(req *request) (interface{}, error) {
	ns, id := readNamespace(req), req.PathValue("id")
	var out []*structs.Evaluation
	err := a.blocking(req, func(ws memdb.WatchSet, s *state.StateStore) (uint64, error) {
		evals, err := s.EvalsByJob(ws, ns, id)
		if err != nil {
			return 0, err
		}
		out = nonNil(evals)
		return s.MaxIndex(state.TableEvals), nil
	})
	return out, err
}

// jobSummary answers GET /v1/job/<id>/summary.
func (a *api) jobSummary(req *request) (interface{}, error) {
	ns, id := readNamespace(req), req.PathValue("id")
	var sum *structs.JobSummary
	err := a.blocking(req, func(ws memdb.WatchSet, s *state.StateStore) (uint64, error) {
		var err error
		sum, err = s.JobSummary(ws, ns, id)
		// Queued counts come from evaluations, which the summary's
		// ModifyIndex does not follow.
		return s.MaxIndex(state.TableJobs, state.TableAllocs, state.TableEvals), err
	})
	if err == nil && sum == nil {
		return nil, notFound("job not found")
	}
	return sum, err
}

// jobEvaluate answers PUT /v1/job/<id>/evaluate. Nomad's optional body
// (EvalOptions.ForceReschedule) has no Drover equivalent and is not read.
func (a *api) jobEvaluate(req *request) (interface{}, error) {
	ns, err := req.writeNamespace()
	if err != nil {
		return nil, err
	}
	resp, err := a.cfg.Server.EvaluateJob(req.Context(), ns, req.PathValue("id"))
	if err != nil {
		return nil, err
	}
	req.index = resp.Index
	return resp, nil
}

// nonNil returns s, or an empty slice for nil, so lists encode as [] not null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
