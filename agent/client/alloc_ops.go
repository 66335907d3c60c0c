package client

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/drover-project/drover/structs"
)

// runner returns the allocation's runner; it wraps structs.ErrNotFound when
// the allocation is not on this node.
func (c *Client) runner(allocID string) (*allocRunner, error) {
	c.allocMu.Lock()
	ar, ok := c.runners[allocID]
	c.allocMu.Unlock()
	if !ok {
		return nil, fmt.Errorf("allocation %s: %w", allocID, structs.ErrNotFound)
	}
	return ar, nil
}

// taskRunner returns a task's runner; it wraps structs.ErrNotFound when the
// allocation or task is not on this node.
func (c *Client) taskRunner(allocID, task string) (*taskRunner, error) {
	ar, err := c.runner(allocID)
	if err != nil {
		return nil, err
	}
	tr, ok := ar.tasks[task]
	if !ok {
		return nil, fmt.Errorf("task %q in allocation %s: %w", task, allocID, structs.ErrNotFound)
	}
	return tr, nil
}

// Signal sends signal to one task of an allocation, or to every running
// task when task is empty (alloc signal).
func (c *Client) Signal(allocID, task, signal string) error {
	if task != "" {
		tr, err := c.taskRunner(allocID, task)
		if err != nil {
			return err
		}
		return tr.Signal(signal)
	}
	ar, err := c.runner(allocID)
	if err != nil {
		return err
	}
	return ar.eachRunning(func(tr *taskRunner) error { return tr.Signal(signal) })
}

// Restart restarts one task of an allocation, or every running task when
// task is empty (alloc restart). Restarts do not count against the
// restart policy. allTasks is Nomad's flag to also re-run lifecycle tasks
// that have completed; re-running dead tasks is not supported, so with it
// the running tasks are restarted and an error says what was not.
func (c *Client) Restart(allocID, task string, allTasks bool) error {
	if task != "" && allTasks {
		return structs.NewCodedError(http.StatusBadRequest, "task name and all tasks cannot both be given")
	}
	if task != "" {
		tr, err := c.taskRunner(allocID, task)
		if err != nil {
			return err
		}
		return tr.Restart()
	}
	ar, err := c.runner(allocID)
	if err != nil {
		return err
	}
	if err := ar.eachRunning(func(tr *taskRunner) error { return tr.Restart() }); err != nil {
		return err
	}
	if allTasks {
		for _, name := range ar.order {
			if ar.tasks[name].isDead() {
				return structs.NewCodedError(http.StatusNotImplemented,
					"running tasks restarted; task %q has ended and re-running ended tasks is not supported", name)
			}
		}
	}
	return nil
}

// eachRunning calls fn for every task of the allocation that is running;
// none running is an error.
func (ar *allocRunner) eachRunning(fn func(*taskRunner) error) error {
	n := 0
	for _, name := range ar.order {
		tr := ar.tasks[name]
		if tr.runningHandle() == nil {
			continue
		}
		n++
		if err := fn(tr); err != nil {
			return err
		}
	}
	if n == 0 {
		return structs.NewCodedError(http.StatusBadRequest, "allocation %s has no running tasks", ar.id)
	}
	return nil
}

// AllocStats samples the resource usage of an allocation's running tasks.
// CPU TotalTicks are set from the node's MHz per core (cpu.frequency).
func (c *Client) AllocStats(allocID string) (*structs.AllocResourceUsage, error) {
	ar, err := c.runner(allocID)
	if err != nil {
		return nil, err
	}
	mhz, _ := strconv.ParseFloat(c.Node().Attributes["cpu.frequency"], 64)
	out := &structs.AllocResourceUsage{
		ResourceUsage: &structs.ResourceUsage{MemoryStats: &structs.MemoryStats{}, CpuStats: &structs.CpuStats{}},
		Tasks:         map[string]*structs.TaskResourceUsage{},
		Timestamp:     c.clock.Now().UnixNano(),
	}
	for _, name := range ar.order {
		tr := ar.tasks[name]
		if tr.runningHandle() == nil {
			continue
		}
		u, err := tr.Stats()
		if err != nil {
			return nil, err
		}
		tu := withTicks(u, mhz)
		out.Tasks[name] = tu
		addUsage(out.ResourceUsage, tu.ResourceUsage)
	}
	return out, nil
}

// withTicks completes a fresh sample from a driver (the caller owns it):
// missing stats become zero values, and CPU TotalTicks, which a driver
// cannot know, is set from Percent and the node's MHz per core.
func withTicks(u *structs.TaskResourceUsage, mhz float64) *structs.TaskResourceUsage {
	complete := func(ru *structs.ResourceUsage) *structs.ResourceUsage {
		if ru == nil {
			ru = &structs.ResourceUsage{}
		}
		if ru.MemoryStats == nil {
			ru.MemoryStats = &structs.MemoryStats{}
		}
		if ru.CpuStats == nil {
			ru.CpuStats = &structs.CpuStats{}
		}
		if ru.CpuStats.TotalTicks == 0 {
			ru.CpuStats.TotalTicks = ru.CpuStats.Percent / 100 * mhz
		}
		return ru
	}
	u.ResourceUsage = complete(u.ResourceUsage)
	for pid, ru := range u.Pids {
		u.Pids[pid] = complete(ru)
	}
	return u
}

// addUsage adds u into sum, field by field.
func addUsage(sum, u *structs.ResourceUsage) {
	m, um := sum.MemoryStats, u.MemoryStats
	m.RSS += um.RSS
	m.Cache += um.Cache
	m.Swap += um.Swap
	m.Usage += um.Usage
	m.MaxUsage += um.MaxUsage
	m.KernelUsage += um.KernelUsage
	m.KernelMaxUsage += um.KernelMaxUsage
	m.Measured = union(m.Measured, um.Measured)
	c, uc := sum.CpuStats, u.CpuStats
	c.SystemMode += uc.SystemMode
	c.UserMode += uc.UserMode
	c.TotalTicks += uc.TotalTicks
	c.ThrottledPeriods += uc.ThrottledPeriods
	c.ThrottledTime += uc.ThrottledTime
	c.Percent += uc.Percent
	c.Measured = union(c.Measured, uc.Measured)
}

func union(a, b []string) []string {
	for _, s := range b {
		if !slices.Contains(a, s) {
			a = append(a, s)
		}
	}
	return a
}
