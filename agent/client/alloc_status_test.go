package client

import (
	"testing"

	"github.com/drover-project/drover/structs"
)

func TestClientStatus(t *testing.T) {
	running := &structs.TaskState{State: structs.TaskStateRunning}
	pending := &structs.TaskState{State: structs.TaskStatePending}
	done := &structs.TaskState{State: structs.TaskStateDead}
	failed := &structs.TaskState{State: structs.TaskStateDead, Failed: true}
	cases := []struct {
		name   string
		states map[string]*structs.TaskState
		want   string
	}{
		{"all pending", map[string]*structs.TaskState{"a": pending, "b": pending}, structs.AllocClientStatusPending},
		{"one running", map[string]*structs.TaskState{"a": running, "b": pending}, structs.AllocClientStatusRunning},
		{"running and done", map[string]*structs.TaskState{"a": running, "b": done}, structs.AllocClientStatusRunning},
		{"all done", map[string]*structs.TaskState{"a": done, "b": done}, structs.AllocClientStatusComplete},
		{"failed wins", map[string]*structs.TaskState{"a": running, "b": failed}, structs.AllocClientStatusFailed},
		{"empty", map[string]*structs.TaskState{}, structs.AllocClientStatusPending},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got, _ := clientStatus(tc.states); got != tc.want {
				t.Fatalf("got %s, want %s", got, tc.want)
			}
		})
	}
}
