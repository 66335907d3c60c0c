package httpapi

import (
	"github.com/drover-project/drover/structs"
)

// nodeDrainRequest is Nomad's NodeUpdateDrainRequest body.
type nodeDrainRequest struct {
	NodeID string
	// DrainSpec starts or updates a drain; nil stops it.
	DrainSpec    *structs.DrainSpec
	MarkEligible bool
	Meta         map[string]string
}

// nodeDrainResponse is Nomad's NodeDrainUpdateResponse.
type nodeDrainResponse struct {
	NodeModifyIndex uint64
	EvalIDs         []string
	EvalCreateIndex uint64
	Index           uint64
}

// nodeDrain answers PUT /v1/node/<id>/drain.
func (a *api) nodeDrain(req *request) (interface{}, error) {
	var body nodeDrainRequest
	if err := req.decodeBody(&body); err != nil {
		return nil, err
	}
	id := req.PathValue("id")
	if body.NodeID != "" && body.NodeID != id {
		return nil, badRequest("node ID in body %q does not match the path", body.NodeID)
	}
	if n, err := a.cfg.Server.State().NodeByID(nil, id); err != nil {
		return nil, err
	} else if n == nil {
		return nil, notFound("node not found")
	}
	idx, err := a.cfg.Server.UpdateNodeDrain(req.Context(), id, body.DrainSpec, body.MarkEligible)
	if err != nil {
		return nil, err
	}
	req.index = idx
	return &nodeDrainResponse{NodeModifyIndex: idx, EvalIDs: []string{}, Index: idx}, nil
}
