package httpapi

import (
	memdb "github.com/hashicorp/go-memdb"

	"github.com/drover-project/drover/state"
	"github.com/drover-project/drover/structs"
)

// evalList answers GET /v1/evaluations (?prefix=).
func (a *api) evalList(req *request) (interface{}, error) {
	prefix := req.prefix()
	var out []*structs.Evaluation
	err := a.blocking(req, func(ws memdb.WatchSet, s *state.StateStore) (uint64, error) {
		evals, err := s.EvalsByIDPrefix(ws, prefix)
		if err != nil {
			return 0, err
		}
		out = make([]*structs.Evaluation, 0, len(evals))
		for _, e := range evals {
			if req.inNamespace(e.Namespace) {
				out = append(out, e)
			}
		}
		return s.Index(state.TableEvals), nil
	})
	return out, err
}

// evalGet answers GET /v1/evaluation/<id>.
func (a *api) evalGet(req *request) (interface{}, error) {
	id := req.PathValue("id")
	var eval *structs.Evaluation
	err := a.blocking(req, func(ws memdb.WatchSet, s *state.StateStore) (uint64, error) {
		var err error
		eval, err = s.EvalByID(ws, id)
		if err != nil || eval == nil {
			return s.Index(state.TableEvals), err
		}
		return eval.ModifyIndex, nil
	})
	if err == nil && eval == nil {
		return nil, notFound("eval not found")
	}
	return eval, err
}

// evalAllocations answers GET /v1/evaluation/<id>/allocations.
func (a *api) evalAllocations(req *request) (interface{}, error) {
	id := req.PathValue("id")
	var out []*structs.AllocListStub
	err := a.blocking(req, func(ws memdb.WatchSet, s *state.StateStore) (uint64, error) {
		allocs, err := s.AllocsByEval(ws, id)
		if err != nil {
			return 0, err
		}
		out = make([]*structs.AllocListStub, 0, len(allocs))
		for _, al := range allocs {
			out = append(out, al.Stub())
		}
		return s.Index(state.TableAllocs), nil
	})
	return out, err
}
