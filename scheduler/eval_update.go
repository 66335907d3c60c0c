package scheduler

import (
	"fmt"

	"github.com/drover-project/drover/structs"
)

// finish stores the final form of eval: its status and what the last
// planning attempt could not place.
func (s *genericScheduler) finish(eval *structs.Evaluation, out *outcome, blockedID, status, desc string) error {
	final := eval.Copy()
	final.Status = status
	final.StatusDescription = desc
	final.BlockedEval = blockedID
	final.QueuedAllocations = out.queued
	final.FailedTGAllocs = nil
	if len(out.failed) > 0 {
		final.FailedTGAllocs = out.failed
	}
	final.SnapshotIndex = out.snapshotIndex
	if err := s.planner.UpdateEval(final); err != nil {
		return fmt.Errorf("eval %s: storing final status %q: %w", eval.ID, status, err)
	}
	return nil
}

// createBlocked stores an evaluation that waits for the cluster to change
// (new capacity, freed resources) and returns its ID.
func (s *genericScheduler) createBlocked(eval *structs.Evaluation, trigger string) (string, error) {
	blocked := &structs.Evaluation{
		ID:                structs.GenerateUUID(),
		Namespace:         eval.Namespace,
		Priority:          eval.Priority,
		Type:              eval.Type,
		TriggeredBy:       trigger,
		JobID:             eval.JobID,
		JobModifyIndex:    eval.JobModifyIndex,
		Status:            structs.EvalStatusBlocked,
		StatusDescription: "created to place remaining allocations",
		PreviousEval:      eval.ID,
	}
	if err := s.planner.CreateEval(blocked); err != nil {
		return "", fmt.Errorf("eval %s: creating blocked eval: %w", eval.ID, err)
	}
	return blocked.ID, nil
}
