package scheduler

import (
	"testing"
	"time"

	"github.com/drover-project/drover/structs"
)

func TestGroupChanged(t *testing.T) {
	cases := []struct {
		name   string
		change func(*structs.Job)
		want   bool
	}{
		{"nothing", func(*structs.Job) {}, false},
		{"count", func(j *structs.Job) { j.TaskGroups[0].Count = 9 }, false},
		{"bookkeeping", func(j *structs.Job) {
			j.Version, j.JobModifyIndex, j.Status, j.Priority = 7, 99, structs.JobStatusRunning, 80
		}, false},
		{"empty vs nil maps", func(j *structs.Job) {
			j.TaskGroups[0].Meta = map[string]string{}
			j.TaskGroups[0].Tasks[0].Constraints = []*structs.Constraint{}
		}, false},
		{"job meta", func(j *structs.Job) { j.Meta["owner"] = "other" }, true},
		{"job meta removed", func(j *structs.Job) { j.Meta = nil }, true},
		{"job constraint", func(j *structs.Job) {
			j.Constraints = append(j.Constraints, &structs.Constraint{LTarget: "a", RTarget: "b", Operand: "="})
		}, true},
		{"task config", func(j *structs.Job) { j.TaskGroups[0].Tasks[0].Config["run_for"] = "1s" }, true},
		{"task driver", func(j *structs.Job) { j.TaskGroups[0].Tasks[0].Driver = "raw_exec" }, true},
		{"task env", func(j *structs.Job) { j.TaskGroups[0].Tasks[0].Env["NEW"] = "1" }, true},
		{"task memory", func(j *structs.Job) { j.TaskGroups[0].Tasks[0].Resources.MemoryMB++ }, true},
		{"kill timeout", func(j *structs.Job) { j.TaskGroups[0].Tasks[0].KillTimeout = time.Minute }, true},
		{"group constraint", func(j *structs.Job) {
			j.TaskGroups[0].Constraints = []*structs.Constraint{{Operand: "distinct_hosts"}}
		}, true},
		{"new task", func(j *structs.Job) {
			j.TaskGroups[0].Tasks = append(j.TaskGroups[0].Tasks, &structs.Task{Name: "side", Driver: "mock"})
		}, true},
		{"group renamed", func(j *structs.Job) { j.TaskGroups[0].Name = "other" }, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			old := mockJob()
			updated := old.Copy()
			tc.change(updated)
			if got := groupChanged(old, updated, "web"); got != tc.want {
				t.Fatalf("groupChanged = %v, want %v", got, tc.want)
			}
		})
	}
	if !groupChanged(nil, mockJob(), "web") {
		t.Fatalf("an alloc without a job must be replaced")
	}
}
