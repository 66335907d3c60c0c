package scheduler

import (
	"path"
	"sort"

	"github.com/drover-project/drover/structs"
)

// Reasons a node is filtered out, as counted in AllocMetric.ConstraintFiltered.
// Constraints use their own String() form.
const (
	reasonDatacenter = "missing datacenter"
	reasonNodePool   = "node pool mismatch"
	reasonDrivers    = "missing drivers"
)

// feasibleIterator yields nodes. Reset starts a new selection.
type feasibleIterator interface {
	Next() *structs.Node
	Reset()
}

// feasibilityChecker decides whether a node can run a task group at all,
// regardless of free resources. reason explains a refusal.
type feasibilityChecker interface {
	check(node *structs.Node) (ok bool, reason string)
}

// checkIterator yields the source's nodes that pass every checker, and
// counts the others in the context's metric.
type checkIterator struct {
	ctx      *evalContext
	source   feasibleIterator
	checkers []feasibilityChecker
}

func (it *checkIterator) Next() *structs.Node {
next:
	for {
		n := it.source.Next()
		if n == nil {
			return nil
		}
		for _, c := range it.checkers {
			if ok, reason := c.check(n); !ok {
				it.ctx.metrics.FilterNode(reason)
				continue next
			}
		}
		return n
	}
}

func (it *checkIterator) Reset() { it.source.Reset() }

// datacenterChecker accepts nodes whose datacenter matches one of the job's
// datacenters; entries may be globs such as "dc*" or "*".
type datacenterChecker struct {
	datacenters []string
}

func (c datacenterChecker) check(n *structs.Node) (bool, string) {
	if datacenterMatches(c.datacenters, n.Datacenter) {
		return true, ""
	}
	return false, reasonDatacenter
}

func datacenterMatches(patterns []string, dc string) bool {
	for _, p := range patterns {
		if ok, err := path.Match(p, dc); err == nil && ok {
			return true
		}
	}
	return false
}

// nodePoolChecker accepts nodes in the job's node pool; pool "all" accepts
// every node, and an empty pool on either side means "default".
type nodePoolChecker struct {
	pool string
}

func (c nodePoolChecker) check(n *structs.Node) (bool, string) {
	if poolMatches(c.pool, n.NodePool) {
		return true, ""
	}
	return false, reasonNodePool
}

func poolMatches(jobPool, nodePool string) bool {
	return jobPool == "all" || orDefault(jobPool) == orDefault(nodePool)
}

func orDefault(pool string) string {
	if pool == "" {
		return "default"
	}
	return pool
}

// driverChecker accepts nodes where every driver the group's tasks use is
// detected and healthy.
type driverChecker struct {
	drivers []string
}

func newDriverChecker(tg *structs.TaskGroup) driverChecker {
	set := make(map[string]bool)
	var drivers []string
	for _, t := range tg.Tasks {
		if !set[t.Driver] {
			set[t.Driver] = true
			drivers = append(drivers, t.Driver)
		}
	}
	sort.Strings(drivers)
	return driverChecker{drivers: drivers}
}

func (c driverChecker) check(n *structs.Node) (bool, string) {
	for _, d := range c.drivers {
		info := n.Drivers[d]
		if info == nil || !info.Detected || !info.Healthy {
			return false, reasonDrivers
		}
	}
	return true, ""
}
