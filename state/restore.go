package state

import (
	"fmt"

	memdb "github.com/hashicorp/go-memdb"

	"github.com/drover-project/drover/structs"
)

// Restore loads objects from a Raft snapshot into a fresh store. Objects are
// inserted exactly as they were persisted (indexes included); nothing is
// recomputed, so a restored store equals the one that was snapshotted.
type Restore struct {
	txn *memdb.Txn
}

// Restore starts a restore into s, which must be a new, empty store.
func (s *StateStore) Restore() *Restore {
	return &Restore{txn: s.db.Txn(true)}
}

// Abort discards the restore.
func (r *Restore) Abort() { r.txn.Abort() }

// Commit makes the restored objects visible.
func (r *Restore) Commit() { r.txn.Commit() }

// Job restores a job.
func (r *Restore) Job(j *structs.Job) error { return r.insert(TableJobs, j) }

// Node restores a node.
func (r *Restore) Node(n *structs.Node) error { return r.insert(TableNodes, n) }

// Alloc restores an allocation.
func (r *Restore) Alloc(a *structs.Allocation) error { return r.insert(TableAllocs, a) }

// Eval restores an evaluation.
func (r *Restore) Eval(e *structs.Evaluation) error { return r.insert(TableEvals, e) }

// Index restores a table index.
func (r *Restore) Index(e *IndexEntry) error { return r.insert(TableIndex, e) }

func (r *Restore) insert(table string, obj interface{}) error {
	if err := r.txn.Insert(table, obj); err != nil {
		return fmt.Errorf("restoring into %s: %w", table, err)
	}
	return nil
}

// Indexes returns every table index entry, for snapshots.
func (s *StateStore) Indexes() ([]*IndexEntry, error) {
	return listTable[*IndexEntry](s.db.Txn(false), nil, TableIndex, "id")
}
