package httpapi

import (
	memdb "github.com/hashicorp/go-memdb"

	"github.com/drover-project/drover/state"
	"github.com/drover-project/drover/structs"
)

// allocList answers GET /v1/allocations (?prefix=).
func (a *api) allocList(req *request) (interface{}, error) {
	prefix := req.prefix()
	var out []*structs.AllocListStub
	err := a.blocking(req, func(ws memdb.WatchSet, s *state.StateStore) (uint64, error) {
		allocs, err := s.AllocsByIDPrefix(ws, prefix)
		if err != nil {
			return 0, err
		}
		out = make([]*structs.AllocListStub, 0, len(allocs))
		for _, al := range allocs {
			if req.inNamespace(al.Namespace) {
				out = append(out, al.Stub())
			}
		}
		return s.Index(state.TableAllocs), nil
	})
	return out, err
}

// allocGet answers GET /v1/allocation/<id>.
func (a *api) allocGet(req *request) (interface{}, error) {
	id := req.PathValue("id")
	var alloc *structs.Allocation
	err := a.blocking(req, func(ws memdb.WatchSet, s *state.StateStore) (uint64, error) {
		var err error
		alloc, err = s.AllocByID(ws, id)
		if err != nil || alloc == nil {
			return s.Index(state.TableAllocs), err
		}
		return alloc.ModifyIndex, nil
	})
	if err == nil && alloc == nil {
		return nil, notFound("alloc not found")
	}
	return alloc, err
}
