package api

import (
	"net/http"
	"net/url"

	"github.com/drover-project/drover/structs"
)

// NodeDrainUpdateResponse answers UpdateDrain (Nomad's shape).
type NodeDrainUpdateResponse struct {
	NodeModifyIndex uint64
	EvalIDs         []string
	EvalCreateIndex uint64
	Index           uint64
}

// UpdateDrain starts or updates a node's drain (spec set) or stops it (spec
// nil; markEligible then makes the node eligible again).
func (n *Nodes) UpdateDrain(nodeID string, spec *structs.DrainSpec, markEligible bool, w *WriteOptions) (*NodeDrainUpdateResponse, error) {
	body := struct {
		NodeID       string
		DrainSpec    *structs.DrainSpec
		MarkEligible bool
	}{nodeID, spec, markEligible}
	var resp NodeDrainUpdateResponse
	if err := n.c.write(http.MethodPut, "/v1/node/"+url.PathEscape(nodeID)+"/drain", nil, body, &resp, w); err != nil {
		return nil, err
	}
	return &resp, nil
}
