package state

import (
	"fmt"

	memdb "github.com/hashicorp/go-memdb"

	"github.com/drover-project/drover/structs"
)

// UpsertAllocs stores allocations as given (scheduler placements and tests).
func (s *StateStore) UpsertAllocs(index uint64, allocs []*structs.Allocation) error {
	txn := s.db.Txn(true)
	defer txn.Abort()
	if err := upsertAllocsTxn(txn, index, allocs); err != nil {
		return err
	}
	txn.Commit()
	return nil
}

func upsertAllocsTxn(txn *memdb.Txn, index uint64, allocs []*structs.Allocation) error {
	if len(allocs) == 0 {
		return nil
	}
	jobs := make(map[structs.NamespacedID]struct{})
	for _, a := range allocs {
		a = a.Copy()
		raw, err := txn.First(TableAllocs, "id", a.ID)
		if err != nil {
			return fmt.Errorf("alloc lookup: %w", err)
		}
		if raw != nil {
			old := raw.(*structs.Allocation)
			a.CreateIndex = old.CreateIndex
			a.CreateTime = old.CreateTime
			// The client owns ClientStatus and TaskStates of a live alloc;
			// a scheduler update (in-place) must not reset them.
			if a.ClientStatus == "" || a.ClientStatus == structs.AllocClientStatusPending {
				a.ClientStatus = old.ClientStatus
				a.ClientDescription = old.ClientDescription
				a.TaskStates = old.TaskStates
			}
			if a.Job == nil {
				a.Job = old.Job
			}
		} else {
			a.CreateIndex = index
		}
		if a.Job == nil {
			return fmt.Errorf("alloc %s has no job", a.ID)
		}
		a.ModifyIndex = index
		a.AllocModifyIndex = index
		if err := txn.Insert(TableAllocs, a); err != nil {
			return fmt.Errorf("alloc insert: %w", err)
		}
		jobs[structs.NamespacedID{Namespace: a.Namespace, ID: a.JobID}] = struct{}{}
	}
	if err := setIndex(txn, TableAllocs, index); err != nil {
		return err
	}
	return refreshJobStatus(txn, index, jobs)
}

// stopAllocsTxn applies the desired-status part of scheduler stops.
func stopAllocsTxn(txn *memdb.Txn, index uint64, stops []*structs.Allocation, now int64) (map[structs.NamespacedID]struct{}, error) {
	jobs := make(map[structs.NamespacedID]struct{})
	for _, stop := range stops {
		raw, err := txn.First(TableAllocs, "id", stop.ID)
		if err != nil {
			return nil, fmt.Errorf("alloc lookup: %w", err)
		}
		if raw == nil {
			continue // already garbage collected
		}
		a := raw.(*structs.Allocation).Copy()
		a.DesiredStatus = stop.DesiredStatus
		a.DesiredDescription = stop.DesiredDescription
		if stop.ClientStatus != "" {
			a.ClientStatus = stop.ClientStatus
		}
		a.ModifyIndex = index
		a.AllocModifyIndex = index
		a.ModifyTime = now
		if err := txn.Insert(TableAllocs, a); err != nil {
			return nil, fmt.Errorf("alloc stop: %w", err)
		}
		jobs[structs.NamespacedID{Namespace: a.Namespace, ID: a.JobID}] = struct{}{}
	}
	return jobs, nil
}

// UpdateAllocsFromClient applies client-reported status: only ClientStatus,
// ClientDescription and TaskStates are taken from the update. Evaluations
// the updates trigger (replacing failed allocations) are stored with them.
func (s *StateStore) UpdateAllocsFromClient(index uint64, updates []*structs.Allocation, now int64, evals []*structs.Evaluation) error {
	txn := s.db.Txn(true)
	defer txn.Abort()
	jobs := make(map[structs.NamespacedID]struct{})
	for _, u := range updates {
		raw, err := txn.First(TableAllocs, "id", u.ID)
		if err != nil {
			return fmt.Errorf("alloc lookup: %w", err)
		}
		if raw == nil {
			continue // garbage collected while the update was in flight
		}
		a := raw.(*structs.Allocation).Copy()
		a.ClientStatus = u.ClientStatus
		a.ClientDescription = u.ClientDescription
		a.TaskStates = u.TaskStates
		a.ModifyIndex = index
		a.ModifyTime = now
		if err := txn.Insert(TableAllocs, a); err != nil {
			return fmt.Errorf("alloc update: %w", err)
		}
		jobs[structs.NamespacedID{Namespace: a.Namespace, ID: a.JobID}] = struct{}{}
	}
	if err := setIndex(txn, TableAllocs, index); err != nil {
		return err
	}
	if err := refreshJobStatus(txn, index, jobs); err != nil {
		return err
	}
	if err := upsertEvalsTxn(txn, index, evals); err != nil {
		return err
	}
	txn.Commit()
	return nil
}

// UpsertPlanResults commits a plan: stops and placements in one transaction,
// together with the evals the plan created.
func (s *StateStore) UpsertPlanResults(index uint64, req *structs.ApplyPlanResultsRequest) error {
	txn := s.db.Txn(true)
	defer txn.Abort()
	jobs, err := stopAllocsTxn(txn, index, req.AllocsStopped, req.UpdatedAt)
	if err != nil {
		return err
	}
	for _, a := range req.AllocsUpdated {
		if a.Job == nil {
			a.Job = req.Job
		}
		if a.CreateTime == 0 {
			a.CreateTime = req.UpdatedAt
		}
		a.ModifyTime = req.UpdatedAt
	}
	if err := upsertAllocsTxn(txn, index, req.AllocsUpdated); err != nil {
		return err
	}
	if len(req.AllocsStopped) > 0 {
		if err := setIndex(txn, TableAllocs, index); err != nil {
			return err
		}
	}
	if err := refreshJobStatus(txn, index, jobs); err != nil {
		return err
	}
	txn.Commit()
	return nil
}

// AllocByID returns the allocation or nil.
func (s *StateStore) AllocByID(ws memdb.WatchSet, id string) (*structs.Allocation, error) {
	watchCh, raw, err := s.db.Txn(false).FirstWatch(TableAllocs, "id", id)
	if err != nil {
		return nil, fmt.Errorf("alloc lookup: %w", err)
	}
	ws.Add(watchCh)
	if raw == nil {
		return nil, nil
	}
	return raw.(*structs.Allocation), nil
}

// AllocsByIDPrefix returns allocations whose ID starts with prefix.
func (s *StateStore) AllocsByIDPrefix(ws memdb.WatchSet, prefix string) ([]*structs.Allocation, error) {
	return listTable[*structs.Allocation](s.db.Txn(false), ws, TableAllocs, "id_prefix", prefix)
}

// AllocsByJob returns a job's allocations.
func (s *StateStore) AllocsByJob(ws memdb.WatchSet, namespace, jobID string) ([]*structs.Allocation, error) {
	return listTable[*structs.Allocation](s.db.Txn(false), ws, TableAllocs, "job", namespace, jobID)
}

// AllocsByNode returns a node's allocations.
func (s *StateStore) AllocsByNode(ws memdb.WatchSet, nodeID string) ([]*structs.Allocation, error) {
	return listTable[*structs.Allocation](s.db.Txn(false), ws, TableAllocs, "node", nodeID)
}

// AllocsByEval returns the allocations an evaluation placed.
func (s *StateStore) AllocsByEval(ws memdb.WatchSet, evalID string) ([]*structs.Allocation, error) {
	return listTable[*structs.Allocation](s.db.Txn(false), ws, TableAllocs, "eval", evalID)
}

// Allocs returns every allocation.
func (s *StateStore) Allocs(ws memdb.WatchSet) ([]*structs.Allocation, error) {
	return listTable[*structs.Allocation](s.db.Txn(false), ws, TableAllocs, "id")
}
