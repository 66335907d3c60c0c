package server

import (
	"github.com/drover-project/drover/structs"
)

func (f *FSM) applyAllocClientUpdate(buf []byte, index uint64) interface{} {
	var req structs.AllocClientUpdateRequest
	decode(buf, &req, index)
	if err := f.State().UpdateAllocsFromClient(index, req.Allocs, req.UpdatedAt, req.Evals); err != nil {
		f.logger.Error("alloc client update failed", "error", err)
		return err
	}
	f.sink.EvalsCommitted(f.storedEvals(req.Evals))
	for _, a := range req.Allocs {
		if a.ClientTerminalStatus() {
			f.sink.CapacityChanged()
			break
		}
	}
	return nil
}

func (f *FSM) applyPlanResults(buf []byte, index uint64) interface{} {
	var req structs.ApplyPlanResultsRequest
	decode(buf, &req, index)
	if err := f.State().UpsertPlanResults(index, &req); err != nil {
		f.logger.Error("plan apply failed", "eval", req.EvalID, "error", err)
		return err
	}
	if len(req.AllocsStopped) > 0 {
		f.sink.CapacityChanged()
	}
	return nil
}

func (f *FSM) applyAllocStop(buf []byte, index uint64) interface{} {
	var req structs.AllocStopRequest
	decode(buf, &req, index)
	var evals []*structs.Evaluation
	if req.Eval != nil {
		evals = append(evals, req.Eval)
	}
	if err := f.State().StopAlloc(index, req.AllocID, allocStopDescription, req.UpdatedAt, evals); err != nil {
		f.logger.Error("alloc stop failed", "alloc_id", req.AllocID, "error", err)
		return err
	}
	f.sink.EvalsCommitted(f.storedEvals(evals))
	f.sink.CapacityChanged()
	return nil
}
