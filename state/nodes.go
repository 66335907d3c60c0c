package state

import (
	"fmt"

	memdb "github.com/hashicorp/go-memdb"

	"github.com/drover-project/drover/structs"
)

// UpsertNode registers or re-registers a node. Status and eligibility set by
// servers (e.g. ineligible) survive a re-registration.
func (s *StateStore) UpsertNode(index uint64, node *structs.Node) error {
	txn := s.db.Txn(true)
	defer txn.Abort()
	node = node.Copy()
	existing, err := txn.First(TableNodes, "id", node.ID)
	if err != nil {
		return fmt.Errorf("node lookup: %w", err)
	}
	if existing != nil {
		old := existing.(*structs.Node)
		node.CreateIndex = old.CreateIndex
		if node.SchedulingEligibility == "" {
			node.SchedulingEligibility = old.SchedulingEligibility
		}
		node.Drain = old.Drain
		node.DrainStrategy = old.DrainStrategy.Copy()
		node.Events = old.Events
	} else {
		node.CreateIndex = index
		node.Events = []*structs.NodeEvent{{Message: "Node registered", Subsystem: "Cluster",
			Timestamp: node.StatusUpdatedAt, CreateIndex: index}}
	}
	if node.SchedulingEligibility == "" {
		node.SchedulingEligibility = structs.NodeSchedulingEligible
	}
	node.ModifyIndex = index
	if err := txn.Insert(TableNodes, node); err != nil {
		return fmt.Errorf("node insert: %w", err)
	}
	if err := setIndex(txn, TableNodes, index); err != nil {
		return err
	}
	txn.Commit()
	return nil
}

// UpdateNodeStatus sets a node's status (ready, down, ...) and stores the
// evaluations the change triggers.
func (s *StateStore) UpdateNodeStatus(index uint64, nodeID, status string, updatedAt int64, evals []*structs.Evaluation) error {
	return s.UpdateNodeStatusWithAllocs(index, nodeID, status, updatedAt, evals, nil)
}

// UpdateNodeStatusWithAllocs is UpdateNodeStatus that also applies the
// client statuses of allocs (see structs.NodeUpdateStatusRequest.Allocs)
// in the same transaction.
func (s *StateStore) UpdateNodeStatusWithAllocs(index uint64, nodeID, status string, updatedAt int64,
	evals []*structs.Evaluation, allocs []*structs.Allocation) error {
	return s.updateNodeTxn(index, nodeID, evals, func(txn *memdb.Txn) error {
		return setAllocClientStatusTxn(txn, index, allocs, updatedAt)
	}, func(n *structs.Node) {
		if n.Status != status {
			n.Events = append(n.Events, &structs.NodeEvent{Message: "Node status changed to " + status,
				Subsystem: "Cluster", Timestamp: updatedAt, CreateIndex: index})
		}
		n.Status = status
		n.StatusUpdatedAt = updatedAt
	})
}

// UpdateNodeEligibility sets whether the scheduler may use a node.
func (s *StateStore) UpdateNodeEligibility(index uint64, nodeID, eligibility string, updatedAt int64) error {
	if eligibility != structs.NodeSchedulingEligible && eligibility != structs.NodeSchedulingIneligible {
		return fmt.Errorf("invalid scheduling eligibility %q", eligibility)
	}
	return s.updateNode(index, nodeID, nil, func(n *structs.Node) {
		n.SchedulingEligibility = eligibility
		n.StatusUpdatedAt = updatedAt
	})
}

func (s *StateStore) updateNode(index uint64, nodeID string, evals []*structs.Evaluation, mutate func(*structs.Node)) error {
	return s.updateNodeTxn(index, nodeID, evals, nil, mutate)
}

// updateNodeTxn is updateNode with extra writes (more, when not nil) in the
// same transaction.
func (s *StateStore) updateNodeTxn(index uint64, nodeID string, evals []*structs.Evaluation,
	more func(*memdb.Txn) error, mutate func(*structs.Node)) error {
	txn := s.db.Txn(true)
	defer txn.Abort()
	raw, err := txn.First(TableNodes, "id", nodeID)
	if err != nil {
		return fmt.Errorf("node lookup: %w", err)
	}
	if raw == nil {
		return fmt.Errorf("node %q not found", nodeID)
	}
	node := raw.(*structs.Node).Copy()
	mutate(node)
	node.ModifyIndex = index
	if err := txn.Insert(TableNodes, node); err != nil {
		return fmt.Errorf("node update: %w", err)
	}
	if err := setIndex(txn, TableNodes, index); err != nil {
		return err
	}
	if more != nil {
		if err := more(txn); err != nil {
			return err
		}
	}
	if err := upsertEvalsTxn(txn, index, evals); err != nil {
		return err
	}
	txn.Commit()
	return nil
}

// DeleteNode removes a node.
func (s *StateStore) DeleteNode(index uint64, nodeID string) error {
	txn := s.db.Txn(true)
	defer txn.Abort()
	raw, err := txn.First(TableNodes, "id", nodeID)
	if err != nil {
		return fmt.Errorf("node lookup: %w", err)
	}
	if raw == nil {
		return fmt.Errorf("node %q not found", nodeID)
	}
	if err := txn.Delete(TableNodes, raw); err != nil {
		return fmt.Errorf("node delete: %w", err)
	}
	if err := setIndex(txn, TableNodes, index); err != nil {
		return err
	}
	txn.Commit()
	return nil
}

// NodeByID returns the node or nil.
func (s *StateStore) NodeByID(ws memdb.WatchSet, id string) (*structs.Node, error) {
	watchCh, raw, err := s.db.Txn(false).FirstWatch(TableNodes, "id", id)
	if err != nil {
		return nil, fmt.Errorf("node lookup: %w", err)
	}
	ws.Add(watchCh)
	if raw == nil {
		return nil, nil
	}
	return raw.(*structs.Node), nil
}

// Nodes returns every node ordered by ID.
func (s *StateStore) Nodes(ws memdb.WatchSet) ([]*structs.Node, error) {
	return listTable[*structs.Node](s.db.Txn(false), ws, TableNodes, "id")
}

// NodesByIDPrefix returns nodes whose ID starts with prefix.
func (s *StateStore) NodesByIDPrefix(ws memdb.WatchSet, prefix string) ([]*structs.Node, error) {
	return listTable[*structs.Node](s.db.Txn(false), ws, TableNodes, "id_prefix", prefix)
}
