package scheduler

import (
	"fmt"
	"testing"

	"github.com/drover-project/drover/structs"
)

func TestReconcile(t *testing.T) {
	job := mockJob()
	node, down := mockNode(), mockNode()
	alloc := func(idx int, group string, mutate func(*structs.Allocation)) *structs.Allocation {
		a := mockAlloc(job, node, idx)
		a.TaskGroup = group
		a.Name = structs.AllocName(job.ID, group, idx)
		if mutate != nil {
			mutate(a)
		}
		return a
	}
	onDown := func(a *structs.Allocation) { a.NodeID = down.ID }
	cases := []struct {
		name      string
		count     int
		allocs    []*structs.Allocation
		wantStops []string // "<name> <desc> <client status>"
		wantPlace []string // "<name> <has previous>"
	}{
		{
			name:      "fills lowest free indexes",
			count:     4,
			allocs:    []*structs.Allocation{alloc(0, "web", nil), alloc(2, "web", nil)},
			wantPlace: []string{"web[1] false", "web[3] false"},
		},
		{
			name:   "scale down drops lost allocs before live ones",
			count:  2,
			allocs: []*structs.Allocation{alloc(0, "web", nil), alloc(1, "web", onDown), alloc(2, "web", nil)},
			wantStops: []string{
				fmt.Sprintf("web[1] %s %s", descLost, structs.AllocClientStatusLost),
			},
		},
		{
			name:      "duplicate names count twice",
			count:     2,
			allocs:    []*structs.Allocation{alloc(0, "web", nil), alloc(0, "web", nil)},
			wantPlace: nil,
		},
		{
			name:      "removed group is stopped",
			count:     1,
			allocs:    []*structs.Allocation{alloc(0, "web", nil), alloc(0, "old", nil)},
			wantStops: []string{fmt.Sprintf("old[0] %s ", descNotNeeded)},
		},
		{
			name:  "stopped and client-lost allocs free their names",
			count: 2,
			allocs: []*structs.Allocation{
				alloc(0, "web", func(a *structs.Allocation) { a.DesiredStatus = structs.AllocDesiredStatusStop }),
				alloc(1, "web", func(a *structs.Allocation) { a.ClientStatus = structs.AllocClientStatusLost }),
			},
			wantPlace: []string{"web[0] false", "web[1] false"},
		},
		{
			name:      "lost alloc replaced under its name",
			count:     1,
			allocs:    []*structs.Allocation{alloc(0, "web", onDown)},
			wantStops: []string{fmt.Sprintf("web[0] %s %s", descLost, structs.AllocClientStatusLost)},
			wantPlace: []string{"web[0] true"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			j := job.Copy()
			j.TaskGroups[0].Count = tc.count
			r := &reconciler{job: j, lostNodes: map[string]bool{down.ID: true},
				update: func(*structs.Allocation, *structs.TaskGroup) updateKind { return updateNone }}
			res := r.reconcile(tc.allocs)
			var stops, places []string
			for _, s := range res.stops {
				stops = append(stops, fmt.Sprintf("%s %s %s", s.alloc.Name[len(job.ID)+1:], s.desc, s.clientStatus))
			}
			for _, p := range res.places {
				places = append(places, fmt.Sprintf("%s %v", p.name[len(job.ID)+1:], p.previous != nil))
			}
			if fmt.Sprint(stops) != fmt.Sprint(tc.wantStops) || fmt.Sprint(places) != fmt.Sprint(tc.wantPlace) {
				t.Fatalf("stops %q places %q\nwant stops %q places %q", stops, places, tc.wantStops, tc.wantPlace)
			}
		})
	}
}
