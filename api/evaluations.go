package api

import (
	"net/url"

	"github.com/drover-project/drover/structs"
)

// Evaluations is the /v1/evaluations and /v1/evaluation/<id> endpoints.
type Evaluations struct{ c *Client }

// Evaluations returns the evaluation endpoints.
func (c *Client) Evaluations() *Evaluations { return &Evaluations{c: c} }

// List lists evaluations; q.Prefix filters by ID prefix.
func (e *Evaluations) List(q *QueryOptions) ([]*structs.Evaluation, *QueryMeta, error) {
	var out []*structs.Evaluation
	qm, err := e.c.query("/v1/evaluations", &out, q)
	return out, qm, err
}

// Info reads one evaluation by its full ID.
func (e *Evaluations) Info(evalID string, q *QueryOptions) (*structs.Evaluation, *QueryMeta, error) {
	var out structs.Evaluation
	qm, err := e.c.query("/v1/evaluation/"+url.PathEscape(evalID), &out, q)
	if err != nil {
		return nil, nil, err
	}
	return &out, qm, nil
}

// Allocations lists the allocations an evaluation created or updated.
func (e *Evaluations) Allocations(evalID string, q *QueryOptions) ([]*structs.AllocListStub, *QueryMeta, error) {
	var out []*structs.AllocListStub
	qm, err := e.c.query("/v1/evaluation/"+url.PathEscape(evalID)+"/allocations", &out, q)
	return out, qm, err
}
