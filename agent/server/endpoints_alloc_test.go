package server

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/drover-project/drover/structs"
	"github.com/drover-project/drover/structs/mock"
)

func TestServer_StopAllocReplacesIt(t *testing.T) {
	s := testServer(t, nil)
	ctx := context.Background()
	if _, err := s.RegisterNode(ctx, mock.Node()); err != nil {
		t.Fatal(err)
	}
	job := mock.Job()
	job.TaskGroups[0].Count = 1
	if _, err := s.RegisterJob(ctx, &structs.JobRegisterHTTPRequest{Job: job}); err != nil {
		t.Fatal(err)
	}
	var old *structs.Allocation
	waitUntil(t, 5*time.Second, func() error {
		live := liveAllocs(s, job)
		if len(live) != 1 {
			return fmt.Errorf("%d live allocs", len(live))
		}
		old = live[0]
		return nil
	})

	resp, err := s.StopAlloc(ctx, old.ID)
	if err != nil {
		t.Fatal(err)
	}
	if resp.EvalID == "" || resp.Index == 0 {
		t.Fatalf("response = %+v", resp)
	}
	stopped, _ := s.State().AllocByID(nil, old.ID)
	if stopped.DesiredStatus != structs.AllocDesiredStatusStop || stopped.DesiredDescription != allocStopDescription {
		t.Fatalf("stopped alloc = %s %q", stopped.DesiredStatus, stopped.DesiredDescription)
	}
	waitUntil(t, 5*time.Second, func() error {
		e, _ := s.State().EvalByID(nil, resp.EvalID)
		if e == nil || e.Status != structs.EvalStatusComplete || e.TriggeredBy != structs.EvalTriggerAllocStop {
			return fmt.Errorf("eval %+v", e)
		}
		live := liveAllocs(s, job)
		if len(live) != 1 || live[0].ID == old.ID {
			return fmt.Errorf("live allocs %d, want one replacement", len(live))
		}
		if live[0].Name != old.Name {
			return fmt.Errorf("replacement named %q, want %q", live[0].Name, old.Name)
		}
		return nil
	})

	before := s.State().LatestIndex()
	_, err = s.StopAlloc(ctx, "00000000-0000-0000-0000-000000000000")
	if code, ok := structs.ErrorCode(err); !ok || code != 404 {
		t.Fatalf("unknown alloc: err = %v, want a 404", err)
	}
	if s.State().LatestIndex() != before {
		t.Fatal("stopping an unknown alloc wrote to the state")
	}
}
