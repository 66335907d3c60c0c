package state

import (
	"fmt"

	"github.com/drover-project/drover/structs"
)

// StopAlloc marks one allocation desired-stopped (alloc stop) and stores the
// evaluation that replaces it, in one transaction. An allocation that is
// gone is an error wrapping structs.ErrNotFound, and nothing is written.
func (s *StateStore) StopAlloc(index uint64, allocID, desc string, now int64, evals []*structs.Evaluation) error {
	txn := s.db.Txn(true)
	defer txn.Abort()
	raw, err := txn.First(TableAllocs, "id", allocID)
	if err != nil {
		return fmt.Errorf("alloc lookup: %w", err)
	}
	if raw == nil {
		return fmt.Errorf("allocation %s: %w", allocID, structs.ErrNotFound)
	}
	stop := &structs.Allocation{ID: allocID, DesiredStatus: structs.AllocDesiredStatusStop, DesiredDescription: desc}
	jobs, err := stopAllocsTxn(txn, index, []*structs.Allocation{stop}, now)
	if err != nil {
		return err
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
