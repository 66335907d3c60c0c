package server

import (
	"context"
	"fmt"
	"time"

	memdb "github.com/hashicorp/go-memdb"

	"github.com/drover-project/drover/state"
	"github.com/drover-project/drover/structs"
)

// nodeAllocsWait is how long a client's allocation query blocks at most.
const nodeAllocsWait = 5 * time.Minute

// RegisterNode upserts a client's node and starts its heartbeat timer.
func (s *Server) RegisterNode(ctx context.Context, node *structs.Node) (time.Duration, error) {
	if node == nil || node.ID == "" {
		return 0, structs.NewCodedError(400, "node registration without a node ID")
	}
	if node.Datacenter == "" || node.Name == "" {
		return 0, structs.NewCodedError(400, "node %s: datacenter and name are required", node.ID)
	}
	var fwd structs.NodeUpdateResponse
	if done, err := s.forward(ctx, "Node.Register", &structs.NodeRegisterRPCRequest{Node: node}, &fwd); done {
		return time.Duration(fwd.HeartbeatTTL), err
	}
	n := node.Copy()
	n.Status = structs.NodeStatusReady
	n.StatusUpdatedAt = time.Now().UnixNano()
	if n.NodePool == "" {
		n.NodePool = "default"
	}
	prev, err := s.State().NodeByID(nil, n.ID)
	if err != nil {
		return 0, err
	}
	if _, err := s.raftApply(structs.NodeRegisterRequestType, &structs.NodeRegisterRequest{Node: n}); err != nil {
		return 0, err
	}
	if prev != nil && prev.Status == structs.NodeStatusDisconnected {
		if err := s.reconnectNode(n.ID); err != nil {
			return 0, err
		}
	}
	ttl := s.heartbeat.ttl()
	s.heartbeat.reset(n.ID, ttl+s.config.HeartbeatGrace)
	return ttl, nil
}

// Heartbeat keeps a node alive; a node that was marked down comes back ready.
func (s *Server) Heartbeat(ctx context.Context, nodeID string) (time.Duration, error) {
	var fwd structs.NodeUpdateResponse
	if done, err := s.forward(ctx, "Node.UpdateStatus", &structs.NodeHeartbeatRequest{NodeID: nodeID}, &fwd); done {
		return time.Duration(fwd.HeartbeatTTL), err
	}
	node, err := s.State().NodeByID(nil, nodeID)
	if err != nil {
		return 0, err
	}
	if node == nil {
		return 0, fmt.Errorf("heartbeat from node %s: %w", nodeID, structs.ErrUnknownNode)
	}
	switch node.Status {
	case structs.NodeStatusReady:
	case structs.NodeStatusDisconnected:
		if err := s.reconnectNode(nodeID); err != nil {
			return 0, err
		}
	default:
		if _, err := s.setNodeStatus(nodeID, structs.NodeStatusReady); err != nil {
			return 0, err
		}
	}
	ttl := s.heartbeat.ttl()
	s.heartbeat.reset(nodeID, ttl+s.config.HeartbeatGrace)
	return ttl, nil
}

// setNodeStatus changes a node's status; going down creates an eval for each
// job with live allocations on the node so they are replaced elsewhere.
func (s *Server) setNodeStatus(nodeID, status string) (uint64, error) {
	req := &structs.NodeUpdateStatusRequest{NodeID: nodeID, Status: status, UpdatedAt: time.Now().UnixNano()}
	if status == structs.NodeStatusDown {
		evals, err := s.nodeEvals(nodeID)
		if err != nil {
			return 0, err
		}
		req.Evals = evals
	}
	return s.raftApply(structs.NodeUpdateStatusRequestType, req)
}

func (s *Server) nodeEvals(nodeID string) ([]*structs.Evaluation, error) {
	snap := s.State().Snapshot()
	allocs, err := snap.AllocsByNode(nil, nodeID)
	if err != nil {
		return nil, err
	}
	seen := map[structs.NamespacedID]bool{}
	var evals []*structs.Evaluation
	for _, a := range allocs {
		id := structs.NamespacedID{Namespace: a.Namespace, ID: a.JobID}
		if a.TerminalStatus() || seen[id] {
			continue
		}
		seen[id] = true
		job, err := snap.JobByID(nil, a.Namespace, a.JobID)
		if err != nil {
			return nil, err
		}
		if job == nil {
			job = a.Job
		}
		e := s.newEval(job, structs.EvalTriggerNodeUpdate)
		e.NodeID = nodeID
		evals = append(evals, e)
	}
	return evals, nil
}

// UpdateNodeEligibility marks a node (in)eligible for new placements.
func (s *Server) UpdateNodeEligibility(ctx context.Context, nodeID, eligibility string) (uint64, error) {
	if eligibility != structs.NodeSchedulingEligible && eligibility != structs.NodeSchedulingIneligible {
		return 0, structs.NewCodedError(400, "invalid scheduling eligibility %q (valid: eligible, ineligible)", eligibility)
	}
	var fwd structs.GenericResponse
	if done, err := s.forward(ctx, "Node.UpdateEligibility", &NodeEligibilityRPCRequest{NodeID: nodeID, Eligibility: eligibility}, &fwd); done {
		return fwd.Index, s.caughtUp(ctx, fwd.Index, err)
	}
	node, err := s.State().NodeByID(nil, nodeID)
	if err != nil {
		return 0, err
	}
	if node == nil {
		return 0, structs.NewCodedError(404, "node not found")
	}
	return s.raftApply(structs.NodeUpdateEligibilityRequestType, &structs.NodeUpdateEligibilityRequest{
		NodeID: nodeID, Eligibility: eligibility, UpdatedAt: time.Now().UnixNano()})
}

// NodeAllocs blocks until the node's allocations change past minIndex. The
// index is the highest ModifyIndex among them, so changes to other nodes'
// allocations do not wake this client.
func (s *Server) NodeAllocs(ctx context.Context, nodeID string, minIndex uint64) ([]*structs.Allocation, uint64, error) {
	var out []*structs.Allocation
	index, err := state.BlockingQuery(ctx, s.State, minIndex, nodeAllocsWait, func(ws memdb.WatchSet, st *state.StateStore) (uint64, error) {
		allocs, err := st.AllocsByNode(ws, nodeID)
		if err != nil {
			return 0, err
		}
		var max uint64
		for _, a := range allocs {
			if a.ModifyIndex > max {
				max = a.ModifyIndex
			}
		}
		out = allocs
		return max, nil
	})
	return out, index, err
}

// UpdateAllocs applies client-reported statuses. A failed allocation gets an
// eval for its job so the scheduler can replace it.
func (s *Server) UpdateAllocs(ctx context.Context, allocs []*structs.Allocation) error {
	if len(allocs) == 0 {
		return nil
	}
	var fwd structs.GenericResponse
	if done, err := s.forward(ctx, "Node.UpdateAlloc", &structs.AllocUpdateRPCRequest{Allocs: allocs}, &fwd); done {
		return err
	}
	snap := s.State().Snapshot()
	seen := map[structs.NamespacedID]bool{}
	var evals []*structs.Evaluation
	for _, u := range allocs {
		if u.ClientStatus != structs.AllocClientStatusFailed {
			continue
		}
		a, err := snap.AllocByID(nil, u.ID)
		if err != nil || a == nil || a.DesiredStatus != structs.AllocDesiredStatusRun {
			continue
		}
		id := structs.NamespacedID{Namespace: a.Namespace, ID: a.JobID}
		if seen[id] {
			continue
		}
		seen[id] = true
		job, _ := snap.JobByID(nil, a.Namespace, a.JobID)
		if job == nil || job.Stop {
			continue
		}
		evals = append(evals, s.newEval(job, structs.EvalTriggerRetryFailed))
	}
	_, err := s.raftApply(structs.AllocClientUpdateRequestType, &structs.AllocClientUpdateRequest{
		Allocs: allocs, Evals: evals, UpdatedAt: time.Now().UnixNano()})
	return err
}
