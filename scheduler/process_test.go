package scheduler

import (
	"errors"
	"strings"
	"testing"

	"github.com/hashicorp/go-hclog"
	memdb "github.com/hashicorp/go-memdb"

	"github.com/drover-project/drover/structs"
)

func TestNew(t *testing.T) {
	h := newHarness(t)
	cases := []struct {
		evalType string
		wantErr  bool
	}{
		{structs.JobTypeService, false},
		{structs.JobTypeBatch, false},
		{structs.JobTypeSystem, true},
		{"", true},
	}
	for _, tc := range cases {
		t.Run(tc.evalType, func(t *testing.T) {
			s, err := New(tc.evalType, hclog.NewNullLogger(), h.store, h)
			if (err != nil) != tc.wantErr || (err == nil) == (s == nil) {
				t.Fatalf("New(%q) = %v, %v", tc.evalType, s, err)
			}
		})
	}
}

func TestProcess_TypeMismatch(t *testing.T) {
	h := newHarness(t)
	h.addNodes(mockNode())
	batch := h.upsertJob(mockBatchJob())
	cases := []struct {
		name      string
		schedType string
		eval      *structs.Evaluation
	}{
		{"eval type", structs.JobTypeService, evalFor(batch)},
		{"job type", structs.JobTypeService, func() *structs.Evaluation {
			e := evalFor(batch)
			e.Type = structs.JobTypeService
			return e
		}()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := New(tc.schedType, nil, h.store, h)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Process(tc.eval); err == nil {
				t.Fatalf("want an error")
			}
			if len(h.plans) != 0 || len(h.evals) != 0 {
				t.Fatalf("mismatched eval produced plans or eval updates")
			}
		})
	}
}

func TestProcess_PartialCommitRetries(t *testing.T) {
	cases := []struct {
		name       string
		reject     int
		wantPlans  int
		wantStatus string
		wantLive   int
	}{
		{"recovers", 2, 3, structs.EvalStatusComplete, 2},
		{"gives up", 10, maxPlanAttempts, structs.EvalStatusFailed, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.addNodes(mockNode())
			job := h.upsertJob(mockJob())
			h.rejectPlans = tc.reject
			h.process(evalFor(job))
			final := h.lastEval()
			if len(h.plans) != tc.wantPlans || final.Status != tc.wantStatus || len(h.liveAllocs(job)) != tc.wantLive {
				t.Fatalf("plans %d status %q live %d", len(h.plans), final.Status, len(h.liveAllocs(job)))
			}
			if tc.wantStatus == structs.EvalStatusFailed {
				if !strings.Contains(final.StatusDescription, "maximum attempts") || len(h.created) != 1 ||
					h.created[0].TriggeredBy != structs.EvalTriggerMaxPlans || final.BlockedEval != h.created[0].ID {
					t.Fatalf("failed eval %+v, created %+v", final, h.created)
				}
			}
		})
	}
}

// failingState wraps a State and fails AllocsByNode.
type failingState struct {
	State
}

func (failingState) AllocsByNode(memdb.WatchSet, string) ([]*structs.Allocation, error) {
	return nil, errors.New("disk on fire")
}

func TestProcess_StateErrorIsReturned(t *testing.T) {
	h := newHarness(t)
	h.addNodes(mockNode())
	job := h.upsertJob(mockJob())
	s, err := New(job.Type, nil, failingState{h.store}, h)
	if err != nil {
		t.Fatal(err)
	}
	err = s.Process(evalFor(job))
	if err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Fatalf("Process error %v, want the state error", err)
	}
	if len(h.plans) != 0 || len(h.evals) != 0 {
		t.Fatalf("state error still produced plans or eval updates")
	}
}
