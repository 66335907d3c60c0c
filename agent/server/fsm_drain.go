package server

import (
	"github.com/drover-project/drover/structs"
)

func (f *FSM) applyNodeDrain(buf []byte, index uint64) interface{} {
	var req structs.NodeUpdateDrainRequest
	decode(buf, &req, index)
	if err := f.State().UpdateNodeDrain(index, &req); err != nil {
		f.logger.Error("node drain update failed", "node", req.NodeID, "error", err)
		return err
	}
	if req.DrainStrategy == nil && req.MarkEligible {
		f.sink.CapacityChanged()
	}
	return nil
}

func (f *FSM) applyAllocDesiredTransition(buf []byte, index uint64) interface{} {
	var req structs.AllocUpdateDesiredTransitionRequest
	decode(buf, &req, index)
	if err := f.State().UpdateAllocsDesiredTransitions(index, req.Allocs, req.Evals); err != nil {
		f.logger.Error("alloc desired transition update failed", "error", err)
		return err
	}
	f.sink.EvalsCommitted(f.storedEvals(req.Evals))
	return nil
}
