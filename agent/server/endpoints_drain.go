package server

import (
	"context"
	"time"

	"github.com/drover-project/drover/agent/rpcproto"
	"github.com/drover-project/drover/structs"
)

// NodeDrainRPCRequest is a forwarded drain change.
type NodeDrainRPCRequest struct {
	NodeID       string
	DrainSpec    *structs.DrainSpec
	MarkEligible bool
}

// UpdateNodeDrain starts (spec set) or stops (spec nil) a node's drain.
// Starting makes the node ineligible; the leader's drainer then migrates
// its allocations. Stopping leaves the node ineligible unless
// markEligible; allocations already marked for migration still move.
func (s *Server) UpdateNodeDrain(ctx context.Context, nodeID string, spec *structs.DrainSpec, markEligible bool) (uint64, error) {
	var fwd structs.GenericResponse
	if done, err := s.forward(ctx, "Node.UpdateDrain", &NodeDrainRPCRequest{NodeID: nodeID, DrainSpec: spec, MarkEligible: markEligible}, &fwd); done {
		return fwd.Index, s.caughtUp(ctx, fwd.Index, err)
	}
	node, err := s.State().NodeByID(nil, nodeID)
	if err != nil {
		return 0, err
	}
	if node == nil {
		return 0, structs.NewCodedError(404, "node not found")
	}
	now := time.Now()
	req := &structs.NodeUpdateDrainRequest{NodeID: nodeID, MarkEligible: markEligible, UpdatedAt: now.UnixNano()}
	if spec != nil {
		req.DrainStrategy = structs.NewDrainStrategy(*spec, now)
		req.Event = &structs.NodeEvent{Message: "Node drain strategy set", Subsystem: "Drain", Timestamp: now.UnixNano()}
	} else if node.DrainStrategy != nil {
		req.Event = &structs.NodeEvent{Message: "Node drain disabled", Subsystem: "Drain", Timestamp: now.UnixNano()}
	} else if !markEligible {
		return node.ModifyIndex, nil // nothing to change
	}
	return s.raftApply(structs.NodeUpdateDrainRequestType, req)
}

// UpdateDrain changes a node's drain on the leader.
func (n *NodeEndpoint) UpdateDrain(args *NodeDrainRPCRequest, reply *structs.GenericResponse) error {
	ctx, cancel := context.WithTimeout(context.Background(), rpcTimeout)
	defer cancel()
	idx, err := n.srv.UpdateNodeDrain(ctx, args.NodeID, args.DrainSpec, args.MarkEligible)
	reply.Index = idx
	return rpcproto.EncodeError(err)
}
