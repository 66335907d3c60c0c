package api

import (
	"net/http"
	"net/url"

	"github.com/drover-project/drover/structs"
)

// Nodes is the /v1/nodes and /v1/node/<id> endpoints.
type Nodes struct{ c *Client }

// Nodes returns the node endpoints.
func (c *Client) Nodes() *Nodes { return &Nodes{c: c} }

// List lists nodes; q.Prefix filters by ID prefix.
func (n *Nodes) List(q *QueryOptions) ([]*structs.NodeListStub, *QueryMeta, error) {
	var out []*structs.NodeListStub
	qm, err := n.c.query("/v1/nodes", &out, q)
	return out, qm, err
}

// Info reads one node by its full ID.
func (n *Nodes) Info(nodeID string, q *QueryOptions) (*structs.Node, *QueryMeta, error) {
	var out structs.Node
	qm, err := n.c.query("/v1/node/"+url.PathEscape(nodeID), &out, q)
	if err != nil {
		return nil, nil, err
	}
	return &out, qm, nil
}

// Allocations lists the allocations placed on a node, with their jobs.
func (n *Nodes) Allocations(nodeID string, q *QueryOptions) ([]*structs.Allocation, *QueryMeta, error) {
	var out []*structs.Allocation
	qm, err := n.c.query("/v1/node/"+url.PathEscape(nodeID)+"/allocations", &out, q)
	return out, qm, err
}

// NodeEligibilityUpdateResponse answers ToggleEligibility.
type NodeEligibilityUpdateResponse struct {
	EvalIDs         []string
	EvalCreateIndex uint64
	NodeModifyIndex uint64
	Index           uint64
}

// ToggleEligibility marks a node eligible or ineligible for new placements.
func (n *Nodes) ToggleEligibility(nodeID string, eligible bool, w *WriteOptions) (*NodeEligibilityUpdateResponse, error) {
	elig := structs.NodeSchedulingIneligible
	if eligible {
		elig = structs.NodeSchedulingEligible
	}
	body := struct {
		NodeID      string
		Eligibility string
	}{nodeID, elig}
	var resp NodeEligibilityUpdateResponse
	if err := n.c.write(http.MethodPut, "/v1/node/"+url.PathEscape(nodeID)+"/eligibility", nil, body, &resp, w); err != nil {
		return nil, err
	}
	return &resp, nil
}
