package scheduler

import (
	"fmt"
	"regexp"

	"github.com/hashicorp/go-hclog"
	version "github.com/hashicorp/go-version"

	"github.com/drover-project/drover/structs"
)

// evalContext is what the iterators of one planning attempt share: the
// state, the plan being built (so later placements see earlier ones), the
// metric of the placement in progress and caches. It is used by one
// goroutine only.
type evalContext struct {
	state   State
	plan    *structs.Plan
	logger  hclog.Logger
	metrics *structs.AllocMetric
	// err is the first state read error an iterator hit; iterators cannot
	// return errors, so the stack checks it after each selection.
	err error

	nodeAllocs map[string][]*structs.Allocation
	regexps    map[string]*regexp.Regexp
	versions   map[string]version.Constraints
}

func newEvalContext(st State, plan *structs.Plan, logger hclog.Logger) *evalContext {
	return &evalContext{
		state:      st,
		plan:       plan,
		logger:     logger,
		metrics:    &structs.AllocMetric{},
		nodeAllocs: make(map[string][]*structs.Allocation),
		regexps:    make(map[string]*regexp.Regexp),
		versions:   make(map[string]version.Constraints),
	}
}

// setErr records err if it is the first.
func (c *evalContext) setErr(err error) {
	if c.err == nil {
		c.err = err
	}
}

// proposedAllocs returns the allocations that will use resources on the
// node if the plan is committed: live ones in state, minus those the plan
// stops, with in-place updates swapped for their new form, plus the plan's
// placements. The result must not be modified.
func (c *evalContext) proposedAllocs(nodeID string) []*structs.Allocation {
	existing, ok := c.nodeAllocs[nodeID]
	if !ok {
		all, err := c.state.AllocsByNode(nil, nodeID)
		if err != nil {
			c.setErr(fmt.Errorf("reading allocations of node %s: %w", nodeID, err))
			return nil
		}
		for _, a := range all {
			if a.UsesResources() {
				existing = append(existing, a)
			}
		}
		c.nodeAllocs[nodeID] = existing
	}
	stopped := c.plan.NodeUpdate[nodeID]
	planned := c.plan.NodeAllocation[nodeID]
	if len(stopped) == 0 && len(planned) == 0 {
		return existing
	}
	skip := make(map[string]bool, len(stopped)+len(planned))
	for _, a := range stopped {
		skip[a.ID] = true
	}
	for _, a := range planned {
		skip[a.ID] = true
	}
	out := make([]*structs.Allocation, 0, len(existing)+len(planned))
	for _, a := range existing {
		if !skip[a.ID] {
			out = append(out, a)
		}
	}
	return append(out, planned...)
}

// regexp compiles expr once per attempt; nil means it does not compile.
func (c *evalContext) regexp(expr string) *regexp.Regexp {
	re, ok := c.regexps[expr]
	if !ok {
		re, _ = regexp.Compile(expr)
		c.regexps[expr] = re
	}
	return re
}

// versionConstraint parses expr once per attempt; nil means it does not
// parse.
func (c *evalContext) versionConstraint(expr string) version.Constraints {
	vc, ok := c.versions[expr]
	if !ok {
		vc, _ = version.NewConstraint(expr)
		c.versions[expr] = vc
	}
	return vc
}
