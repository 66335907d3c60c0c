package scheduler

import (
	"sort"
	"testing"

	"github.com/drover-project/drover/structs"
)

// TestServiceSched_Constraints places one instance per node allowed by a
// constraint and checks the others are filtered under its String() form.
func TestServiceSched_Constraints(t *testing.T) {
	cases := []struct {
		name       string
		constraint *structs.Constraint
		allowed    []int // indexes of nodes (racks r0, r1, r2; versions 1.0.0, 1.5.0, 2.0.0)
	}{
		{"equal", &structs.Constraint{LTarget: "${meta.rack}", RTarget: "r1", Operand: "="}, []int{1}},
		{"not equal", &structs.Constraint{LTarget: "${meta.rack}", RTarget: "r1", Operand: "!="}, []int{0, 2}},
		{"regexp", &structs.Constraint{LTarget: "${meta.rack}", RTarget: "^r[02]$", Operand: "regexp"}, []int{0, 2}},
		{"version", &structs.Constraint{LTarget: "${attr.app.version}", RTarget: ">= 1.5, < 2.0", Operand: "version"}, []int{1}},
		{"numeric greater", &structs.Constraint{LTarget: "${attr.cpu.numcores}", RTarget: "4", Operand: ">"}, []int{1, 2}},
		{"set_contains", &structs.Constraint{LTarget: "${meta.tags}", RTarget: "ssd,gpu", Operand: "set_contains"}, []int{2}},
		{"is_not_set", &structs.Constraint{LTarget: "${meta.gpu}", Operand: "is_not_set"}, []int{0, 1}},
		{"node name", &structs.Constraint{LTarget: "${node.unique.name}", RTarget: "n0", Operand: "=="}, []int{0}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			var nodes []*structs.Node
			for i, attrs := range []struct{ version, cores, tags string }{
				{"1.0.0", "4", "ssd"}, {"1.5.0", "8", "ssd,fast"}, {"2.0.0", "16", "gpu,ssd"},
			} {
				n := mockNode()
				n.Name = "n" + string(rune('0'+i))
				n.Meta["rack"] = "r" + string(rune('0'+i))
				n.Meta["tags"] = attrs.tags
				n.Attributes["app.version"] = attrs.version
				n.Attributes["cpu.numcores"] = attrs.cores
				if i == 2 {
					n.Meta["gpu"] = "1"
				}
				nodes = append(nodes, n)
			}
			h.addNodes(nodes...)
			job := mockJob()
			job.TaskGroups[0].Count = 3
			job.TaskGroups[0].Constraints = []*structs.Constraint{{Operand: "distinct_hosts"}}
			job.TaskGroups[0].Tasks[0].Constraints = []*structs.Constraint{tc.constraint}
			job = h.upsertJob(job)
			h.process(evalFor(job))

			var want, got []string
			for _, i := range tc.allowed {
				want = append(want, nodes[i].ID)
			}
			if len(h.plans) > 0 {
				for _, a := range placed(h.lastPlan()) {
					got = append(got, a.NodeID)
				}
			}
			sort.Strings(want)
			sort.Strings(got)
			if len(got) != len(want) || (len(got) > 0 && !equalStrings(got, want)) {
				t.Fatalf("placed on %v, want %v", got, want)
			}
			m := h.lastEval().FailedTGAllocs["web"]
			filtered := 3 - len(tc.allowed)
			if m == nil || m.ConstraintFiltered[tc.constraint.String()] != filtered {
				t.Fatalf("want %d nodes filtered by %q, metric %+v", filtered, tc.constraint.String(), m)
			}
		})
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestServiceSched_MissingDriver(t *testing.T) {
	h := newHarness(t)
	unhealthy, missing := mockNode(), mockNode()
	unhealthy.Drivers["mock"].Healthy = false
	delete(missing.Drivers, "mock")
	h.addNodes(unhealthy, missing)
	job := h.upsertJob(mockJob())
	h.process(evalFor(job))

	m := h.lastEval().FailedTGAllocs["web"]
	if len(h.plans) != 0 || m == nil {
		t.Fatalf("expected no placement and a failure, plans %d metric %+v", len(h.plans), m)
	}
	if m.NodesFiltered != 2 || m.ConstraintFiltered[reasonDrivers] != 2 {
		t.Fatalf("metric %+v, want 2 nodes filtered for %q", m, reasonDrivers)
	}
}

func TestServiceSched_DatacenterWildcard(t *testing.T) {
	cases := []struct {
		name        string
		datacenters []string
		want        map[string]int // placements per datacenter
	}{
		{"glob", []string{"dc*"}, map[string]int{"dc1": 2, "dc2": 2}},
		{"star", []string{"*"}, map[string]int{"dc1": 2, "dc2": 2, "east": 2}},
		{"exact", []string{"east"}, map[string]int{"east": 2}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			byID := make(map[string]string)
			for _, dc := range []string{"dc1", "dc2", "east"} {
				for i := 0; i < 2; i++ {
					n := mockNode()
					n.Datacenter = dc
					byID[n.ID] = dc
					h.addNodes(n)
				}
			}
			job := mockJob()
			job.Datacenters = tc.datacenters
			job.TaskGroups[0].Count = 6
			job.TaskGroups[0].Constraints = []*structs.Constraint{{Operand: "distinct_hosts"}}
			job = h.upsertJob(job)
			h.process(evalFor(job))

			got := make(map[string]int)
			var m *structs.AllocMetric
			for _, a := range placed(h.lastPlan()) {
				got[byID[a.NodeID]]++
				m = a.Metrics
			}
			if len(got) != len(tc.want) {
				t.Fatalf("placements per dc %v, want %v", got, tc.want)
			}
			for dc, n := range tc.want {
				if got[dc] != n || m.NodesAvailable[dc] != 2 {
					t.Fatalf("placements per dc %v, want %v; available %v", got, tc.want, m.NodesAvailable)
				}
			}
			if len(m.NodesAvailable) != len(tc.want) {
				t.Fatalf("NodesAvailable %v counts datacenters outside the job", m.NodesAvailable)
			}
		})
	}
}

func TestServiceSched_NodePool(t *testing.T) {
	h := newHarness(t)
	def, gpu := mockNode(), mockNode()
	def.NodePool = ""
	gpu.NodePool = "gpu"
	h.addNodes(def, gpu)
	for _, tc := range []struct{ pool, want string }{{"default", def.ID}, {"gpu", gpu.ID}} {
		job := mockJob()
		job.NodePool = tc.pool
		job.TaskGroups[0].Count = 1
		job = h.upsertJob(job)
		h.process(evalFor(job))
		if got := placed(h.lastPlan()); len(got) != 1 || got[0].NodeID != tc.want {
			t.Fatalf("pool %q: placed %v, want node %s", tc.pool, got, tc.want)
		}
	}
}
