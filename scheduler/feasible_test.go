package scheduler

import (
	"testing"

	"github.com/drover-project/drover/structs"
)

func TestDatacenterChecker(t *testing.T) {
	cases := []struct {
		patterns []string
		dc       string
		want     bool
	}{
		{[]string{"dc1"}, "dc1", true},
		{[]string{"dc1"}, "dc2", false},
		{[]string{"dc*"}, "dc2", true},
		{[]string{"dc*"}, "east", false},
		{[]string{"*"}, "anything", true},
		{[]string{"east", "dc?"}, "dc3", true},
		{[]string{"[bad"}, "dc1", false},
		{nil, "dc1", false},
	}
	for _, tc := range cases {
		t.Run(tc.dc, func(t *testing.T) {
			n := mockNode()
			n.Datacenter = tc.dc
			ok, reason := datacenterChecker{datacenters: tc.patterns}.check(n)
			if ok != tc.want || (!ok && reason != reasonDatacenter) {
				t.Fatalf("%v on %q = %v %q, want %v", tc.patterns, tc.dc, ok, reason, tc.want)
			}
		})
	}
}

func TestNodePoolChecker(t *testing.T) {
	cases := []struct {
		job, node string
		want      bool
	}{
		{"default", "default", true},
		{"default", "", true},
		{"", "", true},
		{"gpu", "gpu", true},
		{"gpu", "default", false},
		{"default", "gpu", false},
		{"all", "gpu", true},
		{"all", "", true},
	}
	for _, tc := range cases {
		t.Run(tc.job+"/"+tc.node, func(t *testing.T) {
			n := mockNode()
			n.NodePool = tc.node
			if ok, _ := (nodePoolChecker{pool: tc.job}).check(n); ok != tc.want {
				t.Fatalf("got %v, want %v", ok, tc.want)
			}
		})
	}
}

func TestDriverChecker(t *testing.T) {
	cases := []struct {
		name    string
		drivers []string
		mutate  func(*structs.Node)
		want    bool
	}{
		{"healthy", []string{"mock"}, func(*structs.Node) {}, true},
		{"two healthy", []string{"mock", "raw_exec"}, func(*structs.Node) {}, true},
		{"missing", []string{"docker"}, func(*structs.Node) {}, false},
		{"unhealthy", []string{"mock"}, func(n *structs.Node) { n.Drivers["mock"].Healthy = false }, false},
		{"undetected", []string{"mock"}, func(n *structs.Node) { n.Drivers["mock"].Detected = false }, false},
		{"one of two missing", []string{"mock", "exec"}, func(*structs.Node) {}, false},
		{"no drivers map", []string{"mock"}, func(n *structs.Node) { n.Drivers = nil }, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tg := &structs.TaskGroup{Name: "g"}
			for _, d := range tc.drivers {
				tg.Tasks = append(tg.Tasks, &structs.Task{Name: d, Driver: d})
			}
			n := mockNode()
			tc.mutate(n)
			ok, reason := newDriverChecker(tg).check(n)
			if ok != tc.want || (!ok && reason != reasonDrivers) {
				t.Fatalf("got %v %q, want %v", ok, reason, tc.want)
			}
		})
	}
}
