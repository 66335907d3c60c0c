package state

import (
	"fmt"

	memdb "github.com/hashicorp/go-memdb"

	"github.com/drover-project/drover/structs"
)

// UpdateNodeDrain starts, updates or ends a node's drain (see
// structs.NodeUpdateDrainRequest). Starting a drain makes the node
// ineligible; ending it leaves the node ineligible unless markEligible.
func (s *StateStore) UpdateNodeDrain(index uint64, req *structs.NodeUpdateDrainRequest) error {
	return s.updateNode(index, req.NodeID, nil, func(n *structs.Node) {
		n.DrainStrategy = req.DrainStrategy.Copy()
		n.Drain = n.DrainStrategy != nil
		switch {
		case n.Drain:
			n.SchedulingEligibility = structs.NodeSchedulingIneligible
		case req.MarkEligible:
			n.SchedulingEligibility = structs.NodeSchedulingEligible
		}
		if req.Event != nil {
			e := *req.Event
			e.CreateIndex = index
			n.Events = append(n.Events, &e)
		}
		n.StatusUpdatedAt = req.UpdatedAt
	})
}

// UpdateAllocsDesiredTransitions sets the desired transitions of the
// allocations in transitions (by ID) and stores evals, in one transaction.
// Allocations that are gone are skipped.
func (s *StateStore) UpdateAllocsDesiredTransitions(index uint64, transitions map[string]*structs.DesiredTransition,
	evals []*structs.Evaluation) error {
	txn := s.db.Txn(true)
	defer txn.Abort()
	for id, t := range transitions {
		raw, err := txn.First(TableAllocs, "id", id)
		if err != nil {
			return fmt.Errorf("alloc lookup: %w", err)
		}
		if raw == nil || t == nil {
			continue
		}
		a := raw.(*structs.Allocation).Copy()
		if t.Migrate != nil {
			m := *t.Migrate
			a.DesiredTransition.Migrate = &m
		}
		a.ModifyIndex = index
		a.AllocModifyIndex = index
		if err := txn.Insert(TableAllocs, a); err != nil {
			return fmt.Errorf("alloc %s desired transition: %w", id, err)
		}
	}
	if err := setIndex(txn, TableAllocs, index); err != nil {
		return err
	}
	if err := upsertEvalsTxn(txn, index, evals); err != nil {
		return err
	}
	txn.Commit()
	return nil
}

// setAllocClientStatusTxn applies the leader's client-status decisions
// (disconnect, reconnect): ClientStatus and ClientDescription only.
func setAllocClientStatusTxn(txn *memdb.Txn, index uint64, updates []*structs.Allocation, now int64) error {
	if len(updates) == 0 {
		return nil
	}
	jobs := make(map[structs.NamespacedID]struct{})
	for _, u := range updates {
		raw, err := txn.First(TableAllocs, "id", u.ID)
		if err != nil {
			return fmt.Errorf("alloc lookup: %w", err)
		}
		if raw == nil {
			continue
		}
		a := raw.(*structs.Allocation).Copy()
		a.ClientStatus = u.ClientStatus
		a.ClientDescription = u.ClientDescription
		a.ModifyIndex = index
		a.ModifyTime = now
		if err := txn.Insert(TableAllocs, a); err != nil {
			return fmt.Errorf("alloc %s client status: %w", u.ID, err)
		}
		jobs[structs.NamespacedID{Namespace: a.Namespace, ID: a.JobID}] = struct{}{}
	}
	if err := setIndex(txn, TableAllocs, index); err != nil {
		return err
	}
	return refreshJobStatus(txn, index, jobs)
}
