package httpapi

import (
	memdb "github.com/hashicorp/go-memdb"

	"github.com/drover-project/drover/state"
	"github.com/drover-project/drover/structs"
)

// nodeList answers GET /v1/nodes (?prefix=).
func (a *api) nodeList(req *request) (interface{}, error) {
	prefix := req.prefix()
	var out []*structs.NodeListStub
	err := a.blocking(req, func(ws memdb.WatchSet, s *state.StateStore) (uint64, error) {
		nodes, err := s.NodesByIDPrefix(ws, prefix)
		if err != nil {
			return 0, err
		}
		out = make([]*structs.NodeListStub, 0, len(nodes))
		for _, n := range nodes {
			out = append(out, n.Stub())
		}
		return s.Index(state.TableNodes), nil
	})
	return out, err
}

// nodeGet answers GET /v1/node/<id>.
func (a *api) nodeGet(req *request) (interface{}, error) {
	id := req.PathValue("id")
	var node *structs.Node
	err := a.blocking(req, func(ws memdb.WatchSet, s *state.StateStore) (uint64, error) {
		var err error
		node, err = s.NodeByID(ws, id)
		if err != nil || node == nil {
			return s.Index(state.TableNodes), err
		}
		return node.ModifyIndex, nil
	})
	if err == nil && node == nil {
		return nil, notFound("node not found")
	}
	return node, err
}

// nodeAllocations answers GET /v1/node/<id>/allocations with full
// allocations (clients and `node status` need their jobs).
func (a *api) nodeAllocations(req *request) (interface{}, error) {
	id := req.PathValue("id")
	var out []*structs.Allocation
	err := a.blocking(req, func(ws memdb.WatchSet, s *state.StateStore) (uint64, error) {
		allocs, err := s.AllocsByNode(ws, id)
		if err != nil {
			return 0, err
		}
		out = nonNil(allocs)
		return s.Index(state.TableAllocs), nil
	})
	return out, err
}

// nodeEligibilityResponse is Nomad's NodeEligibilityUpdateResponse.
type nodeEligibilityResponse struct {
	EvalIDs         []string
	EvalCreateIndex uint64
	NodeModifyIndex uint64
	Index           uint64
}

// nodeEligibility answers PUT /v1/node/<id>/eligibility.
func (a *api) nodeEligibility(req *request) (interface{}, error) {
	var body struct {
		NodeID      string
		Eligibility string
	}
	if err := req.decodeBody(&body); err != nil {
		return nil, err
	}
	id := req.PathValue("id")
	if body.NodeID != "" && body.NodeID != id {
		return nil, badRequest("node ID in body %q does not match the path", body.NodeID)
	}
	switch body.Eligibility {
	case structs.NodeSchedulingEligible, structs.NodeSchedulingIneligible:
	default:
		return nil, badRequest("invalid scheduling eligibility %q", body.Eligibility)
	}
	if n, err := a.cfg.Server.State().NodeByID(nil, id); err != nil {
		return nil, err
	} else if n == nil {
		return nil, notFound("node not found")
	}
	idx, err := a.cfg.Server.UpdateNodeEligibility(req.Context(), id, body.Eligibility)
	if err != nil {
		return nil, err
	}
	req.index = idx
	return &nodeEligibilityResponse{EvalIDs: []string{}, NodeModifyIndex: idx, Index: idx}, nil
}
