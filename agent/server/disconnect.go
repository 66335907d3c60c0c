package server

import (
	"time"

	"github.com/drover-project/drover/state"
	"github.com/drover-project/drover/structs"
)

// Descriptions of the client statuses the leader sets for a silent node.
const (
	descUnknown     = "alloc is unknown since its node is disconnected"
	descLostAfter   = "alloc is lost since its node did not reconnect within lost_after"
	descReconnected = "alloc is running again since its node reconnected"
)

// nodeSilent handles a node whose heartbeat timer fired (only on the
// leader). A node running allocations of groups with a disconnect block
// (lost_after) becomes "disconnected": those allocations turn "unknown"
// and keep their places (replaced only if the group says replace = true),
// while the node's other allocations are replaced as lost. Otherwise, and
// once every unknown allocation outlived its lost_after, the node is down.
func (s *Server) nodeSilent(nodeID string) error {
	snap := s.State().Snapshot()
	node, err := snap.NodeByID(nil, nodeID)
	if err != nil || node == nil {
		return err
	}
	if node.Status == structs.NodeStatusDisconnected {
		return s.expireUnknown(snap, node)
	}
	if node.Status == structs.NodeStatusDown {
		return nil
	}
	allocs, err := snap.AllocsByNode(nil, nodeID)
	if err != nil {
		return err
	}
	var unknown []*structs.Allocation
	var first time.Duration
	for _, a := range allocs {
		if a.TerminalStatus() {
			continue
		}
		la := allocLostAfter(snap, a)
		if la <= 0 {
			continue
		}
		unknown = append(unknown, &structs.Allocation{ID: a.ID, ClientStatus: structs.AllocClientStatusUnknown,
			ClientDescription: descUnknown})
		if first == 0 || la < first {
			first = la
		}
	}
	if len(unknown) == 0 {
		s.logger.Warn("node missed its heartbeat; marking it down", "node", nodeID)
		_, err := s.setNodeStatus(nodeID, structs.NodeStatusDown)
		return err
	}
	evals, err := s.nodeEvals(nodeID)
	if err != nil {
		return err
	}
	s.logger.Warn("node missed its heartbeat; marking it disconnected", "node", nodeID, "unknown_allocs", len(unknown))
	if _, err := s.raftApply(structs.NodeUpdateStatusRequestType, &structs.NodeUpdateStatusRequest{
		NodeID: nodeID, Status: structs.NodeStatusDisconnected, UpdatedAt: time.Now().UnixNano(),
		Evals: evals, Allocs: unknown}); err != nil {
		return err
	}
	s.heartbeat.reset(nodeID, first)
	return nil
}

// expireUnknown marks the unknown allocations of a disconnected node whose
// lost_after has passed (counted from the disconnection) as lost, and
// re-arms the node's timer for the next one; with none left the node is
// down.
func (s *Server) expireUnknown(snap *state.StateSnapshot, node *structs.Node) error {
	allocs, err := snap.AllocsByNode(nil, node.ID)
	if err != nil {
		return err
	}
	elapsed := time.Since(time.Unix(0, node.StatusUpdatedAt))
	var lost []*structs.Allocation
	var next time.Duration
	for _, a := range allocs {
		if a.TerminalStatus() || a.ClientStatus != structs.AllocClientStatusUnknown {
			continue
		}
		la := allocLostAfter(snap, a)
		if left := la - elapsed; la > 0 && left > 0 {
			if next == 0 || left < next {
				next = left
			}
			continue
		}
		lost = append(lost, &structs.Allocation{ID: a.ID, ClientStatus: structs.AllocClientStatusLost,
			ClientDescription: descLostAfter})
	}
	// Staying disconnected keeps the disconnection time that lost_after
	// counts from.
	status, updatedAt := structs.NodeStatusDisconnected, node.StatusUpdatedAt
	if next == 0 {
		status, updatedAt = structs.NodeStatusDown, time.Now().UnixNano()
	}
	if len(lost) == 0 && next > 0 {
		s.heartbeat.reset(node.ID, next)
		return nil
	}
	evals, err := s.nodeEvals(node.ID)
	if err != nil {
		return err
	}
	s.logger.Warn("disconnected node's allocations are lost", "node", node.ID, "lost", len(lost), "status", status)
	if _, err := s.raftApply(structs.NodeUpdateStatusRequestType, &structs.NodeUpdateStatusRequest{
		NodeID: node.ID, Status: status, UpdatedAt: updatedAt, Evals: evals, Allocs: lost}); err != nil {
		return err
	}
	if next > 0 {
		s.heartbeat.reset(node.ID, next)
	}
	return nil
}

// reconnectNode brings a disconnected node back: its unknown allocations
// run again and every job with work on it is evaluated, so the scheduler
// can reconcile originals with replacements placed meanwhile.
func (s *Server) reconnectNode(nodeID string) error {
	snap := s.State().Snapshot()
	allocs, err := snap.AllocsByNode(nil, nodeID)
	if err != nil {
		return err
	}
	var back []*structs.Allocation
	for _, a := range allocs {
		if a.DesiredStatus == structs.AllocDesiredStatusRun && a.ClientStatus == structs.AllocClientStatusUnknown {
			back = append(back, &structs.Allocation{ID: a.ID, ClientStatus: structs.AllocClientStatusRunning,
				ClientDescription: descReconnected})
		}
	}
	evals, err := s.nodeEvals(nodeID)
	if err != nil {
		return err
	}
	for _, e := range evals {
		e.TriggeredBy = structs.EvalTriggerReconnect
	}
	s.logger.Info("disconnected node is back", "node", nodeID, "unknown_allocs", len(back))
	_, err = s.raftApply(structs.NodeUpdateStatusRequestType, &structs.NodeUpdateStatusRequest{
		NodeID: nodeID, Status: structs.NodeStatusReady, UpdatedAt: time.Now().UnixNano(), Evals: evals, Allocs: back})
	return err
}

// allocLostAfter returns the lost_after of a's group in its current job
// (or the job it was placed with), 0 when the group has none.
func allocLostAfter(snap *state.StateSnapshot, a *structs.Allocation) time.Duration {
	job, _ := snap.JobByID(nil, a.Namespace, a.JobID)
	if job == nil {
		job = a.Job
	}
	if job == nil {
		return 0
	}
	return job.LookupTaskGroup(a.TaskGroup).DisconnectLostAfter()
}
