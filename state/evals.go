package state

import (
	"fmt"

	memdb "github.com/hashicorp/go-memdb"

	"github.com/drover-project/drover/structs"
)

// UpsertEvals stores evaluations at index.
func (s *StateStore) UpsertEvals(index uint64, evals []*structs.Evaluation) error {
	txn := s.db.Txn(true)
	defer txn.Abort()
	if err := upsertEvalsTxn(txn, index, evals); err != nil {
		return err
	}
	txn.Commit()
	return nil
}

func upsertEvalsTxn(txn *memdb.Txn, index uint64, evals []*structs.Evaluation) error {
	if len(evals) == 0 {
		return nil
	}
	jobs := make(map[structs.NamespacedID]struct{})
	for _, e := range evals {
		e = e.Copy()
		raw, err := txn.First(TableEvals, "id", e.ID)
		if err != nil {
			return fmt.Errorf("eval lookup: %w", err)
		}
		if raw != nil {
			e.CreateIndex = raw.(*structs.Evaluation).CreateIndex
		} else {
			e.CreateIndex = index
		}
		e.ModifyIndex = index
		if err := txn.Insert(TableEvals, e); err != nil {
			return fmt.Errorf("eval insert: %w", err)
		}
		jobs[structs.NamespacedID{Namespace: e.Namespace, ID: e.JobID}] = struct{}{}
	}
	if err := setIndex(txn, TableEvals, index); err != nil {
		return err
	}
	return refreshJobStatus(txn, index, jobs)
}

// EvalByID returns the evaluation or nil.
func (s *StateStore) EvalByID(ws memdb.WatchSet, id string) (*structs.Evaluation, error) {
	watchCh, raw, err := s.db.Txn(false).FirstWatch(TableEvals, "id", id)
	if err != nil {
		return nil, fmt.Errorf("eval lookup: %w", err)
	}
	ws.Add(watchCh)
	if raw == nil {
		return nil, nil
	}
	return raw.(*structs.Evaluation), nil
}

// EvalsByIDPrefix returns evaluations whose ID starts with prefix.
func (s *StateStore) EvalsByIDPrefix(ws memdb.WatchSet, prefix string) ([]*structs.Evaluation, error) {
	return listTable[*structs.Evaluation](s.db.Txn(false), ws, TableEvals, "id_prefix", prefix)
}

// EvalsByJob returns a job's evaluations.
func (s *StateStore) EvalsByJob(ws memdb.WatchSet, namespace, jobID string) ([]*structs.Evaluation, error) {
	return listTable[*structs.Evaluation](s.db.Txn(false), ws, TableEvals, "job", namespace, jobID)
}

// Evals returns every evaluation.
func (s *StateStore) Evals(ws memdb.WatchSet) ([]*structs.Evaluation, error) {
	return listTable[*structs.Evaluation](s.db.Txn(false), ws, TableEvals, "id")
}
