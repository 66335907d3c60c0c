package server

import (
	"context"
	"time"

	"github.com/drover-project/drover/structs"
)

// RegisterJob validates a job, stores it and creates its evaluation in one
// Raft entry, so a registered job is never left without an eval.
func (s *Server) RegisterJob(ctx context.Context, req *structs.JobRegisterHTTPRequest) (*structs.JobRegisterResponse, error) {
	if req == nil || req.Job == nil {
		return nil, structs.NewCodedError(400, "missing job")
	}
	var fwd structs.JobRegisterResponse
	if done, err := s.forward(ctx, "Job.Register", req, &fwd); done {
		return &fwd, s.caughtUp(ctx, fwd.Index, err)
	}
	job := req.Job.Copy()
	job.Canonicalize()
	if err := validateJob(job, s.config.Drivers); err != nil {
		return nil, err
	}
	existing, err := s.State().JobByID(nil, job.Namespace, job.ID)
	if err != nil {
		return nil, err
	}
	if req.EnforceIndex {
		var current uint64
		if existing != nil {
			current = existing.JobModifyIndex
		}
		if current != req.JobModifyIndex {
			return nil, structs.NewCodedError(400, "enforcing job modify index %d: job exists with conflicting job modify index: %d",
				req.JobModifyIndex, current)
		}
	}
	job.Stop = false
	job.Status = ""
	eval := s.newEval(job, structs.EvalTriggerJobRegister)
	index, err := s.raftApply(structs.JobRegisterRequestType, &structs.JobRegisterRequest{
		Job: job, Eval: eval, SubmitTime: time.Now().UnixNano()})
	if err != nil {
		return nil, err
	}
	return &structs.JobRegisterResponse{EvalID: eval.ID, EvalCreateIndex: index, JobModifyIndex: index, Index: index}, nil
}

// DeregisterJob stops a job (or purges it) and creates the eval that stops
// its allocations.
func (s *Server) DeregisterJob(ctx context.Context, namespace, jobID string, purge bool) (*structs.JobDeregisterResponse, error) {
	if namespace == "" {
		namespace = structs.DefaultNamespace
	}
	var fwd structs.JobDeregisterResponse
	if done, err := s.forward(ctx, "Job.Deregister", &JobDeregisterRPCRequest{Namespace: namespace, JobID: jobID, Purge: purge}, &fwd); done {
		return &fwd, s.caughtUp(ctx, fwd.Index, err)
	}
	job, err := s.State().JobByID(nil, namespace, jobID)
	if err != nil {
		return nil, err
	}
	if job == nil {
		return nil, structs.NewCodedError(404, "job not found")
	}
	eval := s.newEval(job, structs.EvalTriggerJobDeregister)
	index, err := s.raftApply(structs.JobDeregisterRequestType, &structs.JobDeregisterRequest{
		Namespace: namespace, JobID: jobID, Purge: purge, Eval: eval})
	if err != nil {
		return nil, err
	}
	return &structs.JobDeregisterResponse{EvalID: eval.ID, EvalCreateIndex: index, JobModifyIndex: index, Index: index}, nil
}

// EvaluateJob creates a fresh evaluation for an existing job.
func (s *Server) EvaluateJob(ctx context.Context, namespace, jobID string) (*structs.JobRegisterResponse, error) {
	if namespace == "" {
		namespace = structs.DefaultNamespace
	}
	var fwd structs.JobRegisterResponse
	if done, err := s.forward(ctx, "Job.Evaluate", &JobEvaluateRPCRequest{Namespace: namespace, JobID: jobID}, &fwd); done {
		return &fwd, s.caughtUp(ctx, fwd.Index, err)
	}
	job, err := s.State().JobByID(nil, namespace, jobID)
	if err != nil {
		return nil, err
	}
	if job == nil {
		return nil, structs.NewCodedError(404, "job not found")
	}
	eval := s.newEval(job, "job-eval")
	index, err := s.raftApply(structs.EvalUpdateRequestType, &structs.EvalUpdateRequest{Evals: []*structs.Evaluation{eval}})
	if err != nil {
		return nil, err
	}
	return &structs.JobRegisterResponse{EvalID: eval.ID, EvalCreateIndex: index, JobModifyIndex: job.JobModifyIndex, Index: index}, nil
}

// newEval returns a pending evaluation of job.
func (s *Server) newEval(job *structs.Job, trigger string) *structs.Evaluation {
	now := time.Now().UnixNano()
	return &structs.Evaluation{
		ID:          structs.GenerateUUID(),
		Namespace:   job.Namespace,
		Priority:    job.Priority,
		Type:        job.Type,
		TriggeredBy: trigger,
		JobID:       job.ID,
		Status:      structs.EvalStatusPending,
		CreateTime:  now,
		ModifyTime:  now,
	}
}
