package server

import (
	"github.com/drover-project/drover/structs"
)

func (f *FSM) applyNodeRegister(buf []byte, index uint64) interface{} {
	var req structs.NodeRegisterRequest
	decode(buf, &req, index)
	if err := f.State().UpsertNode(index, req.Node); err != nil {
		f.logger.Error("node register failed", "node", req.Node.ID, "error", err)
		return err
	}
	f.sink.CapacityChanged()
	return nil
}

func (f *FSM) applyNodeStatus(buf []byte, index uint64) interface{} {
	var req structs.NodeUpdateStatusRequest
	decode(buf, &req, index)
	if err := f.State().UpdateNodeStatusWithAllocs(index, req.NodeID, req.Status, req.UpdatedAt, req.Evals, req.Allocs); err != nil {
		f.logger.Error("node status update failed", "node", req.NodeID, "error", err)
		return err
	}
	f.sink.EvalsCommitted(f.storedEvals(req.Evals))
	if req.Status == structs.NodeStatusReady {
		f.sink.CapacityChanged()
	}
	return nil
}

func (f *FSM) applyNodeEligibility(buf []byte, index uint64) interface{} {
	var req structs.NodeUpdateEligibilityRequest
	decode(buf, &req, index)
	if err := f.State().UpdateNodeEligibility(index, req.NodeID, req.Eligibility, req.UpdatedAt); err != nil {
		return err
	}
	if req.Eligibility == structs.NodeSchedulingEligible {
		f.sink.CapacityChanged()
	}
	return nil
}

func (f *FSM) applyNodeDeregister(buf []byte, index uint64) interface{} {
	var req structs.NodeDeregisterRequest
	decode(buf, &req, index)
	return f.State().DeleteNode(index, req.NodeID)
}
