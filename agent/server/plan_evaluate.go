package server

import (
	"fmt"

	"github.com/drover-project/drover/state"
	"github.com/drover-project/drover/structs"
)

// evaluatePlan checks a plan against the latest state and returns the part
// that may be committed. Workers plan from snapshots that may be stale and
// race each other; this is where over-commitment is caught. A node whose
// placements no longer fit (or that is gone or not ready) is rejected as a
// whole, and the result asks the worker to refresh and retry.
func evaluatePlan(snap *state.StateSnapshot, plan *structs.Plan) (*structs.PlanResult, error) {
	result := &structs.PlanResult{
		NodeUpdate:     make(map[string][]*structs.Allocation),
		NodeAllocation: make(map[string][]*structs.Allocation),
	}
	nodes := make(map[string]struct{}, len(plan.NodeUpdate)+len(plan.NodeAllocation))
	for id := range plan.NodeUpdate {
		nodes[id] = struct{}{}
	}
	for id := range plan.NodeAllocation {
		nodes[id] = struct{}{}
	}
	partial := false
	for nodeID := range nodes {
		fit, err := nodeFits(snap, plan, nodeID)
		if err != nil {
			return nil, err
		}
		if !fit {
			partial = true
			continue
		}
		if u := plan.NodeUpdate[nodeID]; len(u) > 0 {
			result.NodeUpdate[nodeID] = u
		}
		if a := plan.NodeAllocation[nodeID]; len(a) > 0 {
			result.NodeAllocation[nodeID] = a
		}
	}
	if partial {
		result.RefreshIndex = snap.LatestIndex()
	}
	return result, nil
}

// nodeFits reports whether the node can take the plan's changes for it.
// Stops alone always fit.
func nodeFits(snap *state.StateSnapshot, plan *structs.Plan, nodeID string) (bool, error) {
	placements := plan.NodeAllocation[nodeID]
	if len(placements) == 0 {
		return true, nil
	}
	node, err := snap.NodeByID(nil, nodeID)
	if err != nil {
		return false, fmt.Errorf("plan for node %s: %w", nodeID, err)
	}
	if node == nil || !node.Ready() {
		// In-place updates of allocs already on a node that stopped being
		// ready would be harmless, but new work must not land there.
		return false, nil
	}
	existing, err := snap.AllocsByNode(nil, nodeID)
	if err != nil {
		return false, fmt.Errorf("plan for node %s: %w", nodeID, err)
	}
	// Proposed allocs: existing live ones, minus what the plan stops or
	// replaces in place, plus the plan's placements.
	remove := make(map[string]struct{})
	for _, a := range plan.NodeUpdate[nodeID] {
		remove[a.ID] = struct{}{}
	}
	for _, a := range placements {
		remove[a.ID] = struct{}{}
	}
	var used structs.ComparableResources
	for _, a := range existing {
		if _, gone := remove[a.ID]; gone || !a.UsesResources() {
			continue
		}
		used.Add(a.AllocatedResources.Comparable())
	}
	for _, a := range placements {
		used.Add(a.AllocatedResources.Comparable())
	}
	ok, _ := node.Capacity().Superset(used)
	return ok, nil
}
