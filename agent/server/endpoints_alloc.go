package server

import (
	"context"
	"time"

	"github.com/drover-project/drover/structs"
)

// allocStopDescription is the DesiredDescription of an allocation stopped
// by alloc stop.
const allocStopDescription = "alloc was stopped by user request"

// StopAlloc stops one allocation (alloc stop) and creates the evaluation
// that replaces it: the allocation is marked desired-stop, its client kills
// it, and the scheduler places a new one as it would for a lost allocation.
// An unknown allocation is a 404 CodedError.
func (s *Server) StopAlloc(ctx context.Context, allocID string) (*structs.AllocStopResponse, error) {
	alloc, err := s.State().AllocByID(nil, allocID)
	if err != nil {
		return nil, err
	}
	if alloc == nil {
		return nil, structs.NewCodedError(404, "alloc not found")
	}
	job := alloc.Job
	if current, err := s.State().JobByID(nil, alloc.Namespace, alloc.JobID); err != nil {
		return nil, err
	} else if current != nil {
		job = current
	}
	eval := s.newEval(job, structs.EvalTriggerAllocStop)
	index, err := s.raftApply(structs.AllocStopRequestType, &structs.AllocStopRequest{
		AllocID: allocID, Eval: eval, UpdatedAt: time.Now().UnixNano()})
	if err != nil {
		return nil, err
	}
	return &structs.AllocStopResponse{EvalID: eval.ID, Index: index}, nil
}
