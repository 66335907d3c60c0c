package state

import (
	"fmt"

	memdb "github.com/hashicorp/go-memdb"

	"github.com/drover-project/drover/structs"
)

// UpsertJob stores job at index, together with the evaluations the change
// triggers, in one transaction. Every upsert gives the job a new Version and
// JobModifyIndex; the caller's object is not kept (it is copied).
func (s *StateStore) UpsertJob(index uint64, job *structs.Job, evals []*structs.Evaluation) error {
	txn := s.db.Txn(true)
	defer txn.Abort()
	if err := upsertJobTxn(txn, index, job); err != nil {
		return err
	}
	if err := upsertEvalsTxn(txn, index, evals); err != nil {
		return err
	}
	txn.Commit()
	return nil
}

func upsertJobTxn(txn *memdb.Txn, index uint64, job *structs.Job) error {
	job = job.Copy()
	existing, err := txn.First(TableJobs, "id", job.Namespace, job.ID)
	if err != nil {
		return fmt.Errorf("job lookup: %w", err)
	}
	if existing != nil {
		old := existing.(*structs.Job)
		job.CreateIndex = old.CreateIndex
		job.Version = old.Version + 1
	} else {
		job.CreateIndex = index
		job.Version = 0
	}
	job.ModifyIndex = index
	job.JobModifyIndex = index
	job.Status = jobStatus(txn, job)
	if err := txn.Insert(TableJobs, job); err != nil {
		return fmt.Errorf("job insert: %w", err)
	}
	return setIndex(txn, TableJobs, index)
}

// DeleteJob removes a job (purge) and stores the evaluations the removal
// triggers. Its allocations and evals stay until garbage collected.
func (s *StateStore) DeleteJob(index uint64, namespace, id string, evals []*structs.Evaluation) error {
	txn := s.db.Txn(true)
	defer txn.Abort()
	existing, err := txn.First(TableJobs, "id", namespace, id)
	if err != nil {
		return fmt.Errorf("job lookup: %w", err)
	}
	if existing == nil {
		return fmt.Errorf("job %q not found", id)
	}
	if err := txn.Delete(TableJobs, existing); err != nil {
		return fmt.Errorf("job delete: %w", err)
	}
	if err := setIndex(txn, TableJobs, index); err != nil {
		return err
	}
	if err := upsertEvalsTxn(txn, index, evals); err != nil {
		return err
	}
	txn.Commit()
	return nil
}

// JobByID returns the job or nil.
func (s *StateStore) JobByID(ws memdb.WatchSet, namespace, id string) (*structs.Job, error) {
	watchCh, raw, err := s.db.Txn(false).FirstWatch(TableJobs, "id", namespace, id)
	if err != nil {
		return nil, fmt.Errorf("job lookup: %w", err)
	}
	ws.Add(watchCh)
	if raw == nil {
		return nil, nil
	}
	return raw.(*structs.Job), nil
}

// Jobs returns every job, ordered by namespace and ID.
func (s *StateStore) Jobs(ws memdb.WatchSet) ([]*structs.Job, error) {
	return listTable[*structs.Job](s.db.Txn(false), ws, TableJobs, "id")
}

// JobsByIDPrefix returns jobs whose ID starts with prefix.
func (s *StateStore) JobsByIDPrefix(ws memdb.WatchSet, namespace, prefix string) ([]*structs.Job, error) {
	return listTable[*structs.Job](s.db.Txn(false), ws, TableJobs, "id_prefix", namespace, prefix)
}

// JobSummary counts a job's allocations by client status per task group.
// It is derived on read, so it can never drift from the allocations.
func (s *StateStore) JobSummary(ws memdb.WatchSet, namespace, id string) (*structs.JobSummary, error) {
	job, err := s.JobByID(ws, namespace, id)
	if err != nil || job == nil {
		return nil, err
	}
	allocs, err := s.AllocsByJob(ws, namespace, id)
	if err != nil {
		return nil, err
	}
	evals, err := s.EvalsByJob(ws, namespace, id)
	if err != nil {
		return nil, err
	}
	sum := &structs.JobSummary{JobID: id, Namespace: namespace, Summary: map[string]structs.TaskGroupSummary{},
		CreateIndex: job.CreateIndex, ModifyIndex: job.ModifyIndex}
	for _, tg := range job.TaskGroups {
		sum.Summary[tg.Name] = structs.TaskGroupSummary{}
	}
	for _, a := range allocs {
		tgs := sum.Summary[a.TaskGroup]
		switch a.ClientStatus {
		case structs.AllocClientStatusPending:
			tgs.Starting++
		case structs.AllocClientStatusRunning:
			tgs.Running++
		case structs.AllocClientStatusComplete:
			tgs.Complete++
		case structs.AllocClientStatusFailed:
			tgs.Failed++
		case structs.AllocClientStatusLost:
			tgs.Lost++
		default:
			tgs.Unknown++
		}
		sum.Summary[a.TaskGroup] = tgs
		if a.ModifyIndex > sum.ModifyIndex {
			sum.ModifyIndex = a.ModifyIndex
		}
	}
	// Queued comes from the newest evaluation that was processed.
	var latest *structs.Evaluation
	for _, e := range evals {
		if e.QueuedAllocations != nil && (latest == nil || e.ModifyIndex > latest.ModifyIndex) {
			latest = e
		}
	}
	if latest != nil && !job.Stop {
		for tg, n := range latest.QueuedAllocations {
			if tgs, ok := sum.Summary[tg]; ok {
				tgs.Queued = n
				sum.Summary[tg] = tgs
			}
		}
	}
	return sum, nil
}

// jobStatus derives a job's status from its allocations and evaluations:
// running while any allocation is not terminal, pending while an evaluation is
// outstanding, dead once everything has finished or the job was stopped.
func jobStatus(txn *memdb.Txn, job *structs.Job) string {
	// Stop at the first live allocation or eval: this runs on every
	// client update, and a job may have thousands of allocations.
	hasAlloc, liveAlloc := anyMatch(txn, TableAllocs, job, func(raw interface{}) bool {
		return !raw.(*structs.Allocation).TerminalStatus()
	})
	if liveAlloc {
		return structs.JobStatusRunning
	}
	if job.Stop {
		return structs.JobStatusDead
	}
	hasEval, liveEval := anyMatch(txn, TableEvals, job, func(raw interface{}) bool {
		return !raw.(*structs.Evaluation).TerminalStatus()
	})
	if liveEval {
		return structs.JobStatusPending
	}
	if hasAlloc || hasEval {
		if job.Type == structs.JobTypeService && !hasAlloc {
			return structs.JobStatusPending
		}
		return structs.JobStatusDead
	}
	return structs.JobStatusPending
}

// anyMatch walks a job's objects in table, reporting whether there are any
// and whether one matches, stopping at the first match.
func anyMatch(txn *memdb.Txn, table string, job *structs.Job, match func(interface{}) bool) (any, matched bool) {
	it, err := txn.Get(table, "job", job.Namespace, job.ID)
	if err != nil {
		return false, false
	}
	for raw := it.Next(); raw != nil; raw = it.Next() {
		any = true
		if match(raw) {
			return true, true
		}
	}
	return any, false
}

// refreshJobStatus recomputes the stored status of the given jobs after
// their allocations or evaluations changed.
func refreshJobStatus(txn *memdb.Txn, index uint64, jobs map[structs.NamespacedID]struct{}) error {
	for nid := range jobs {
		raw, err := txn.First(TableJobs, "id", nid.Namespace, nid.ID)
		if err != nil {
			return fmt.Errorf("job lookup: %w", err)
		}
		if raw == nil {
			continue
		}
		job := raw.(*structs.Job)
		status := jobStatus(txn, job)
		if status == job.Status {
			continue
		}
		updated := job.Copy()
		updated.Status = status
		updated.ModifyIndex = index
		if err := txn.Insert(TableJobs, updated); err != nil {
			return fmt.Errorf("job status update: %w", err)
		}
		if err := setIndex(txn, TableJobs, index); err != nil {
			return err
		}
	}
	return nil
}

// listTable collects every object an index lookup returns.
func listTable[T any](txn *memdb.Txn, ws memdb.WatchSet, table, index string, args ...interface{}) ([]T, error) {
	it, err := txn.Get(table, index, args...)
	if err != nil {
		return nil, fmt.Errorf("%s lookup by %s: %w", table, index, err)
	}
	if ws != nil {
		ws.Add(it.WatchCh())
	}
	var out []T
	for raw := it.Next(); raw != nil; raw = it.Next() {
		out = append(out, raw.(T))
	}
	return out, nil
}
