// Package taskenv builds a task's environment (NOMAD_* variables, the
// task's env block, and for unisolated drivers the agent's own environment)
// and interpolates ${...} references in env values and driver config.
package taskenv

import (
	"strconv"
	"strings"

	"github.com/drover-project/drover/structs"
)

// Dirs are the paths of the allocation as the task sees them: host paths
// for unisolated drivers, /alloc, /local and /secrets inside a chroot.
type Dirs struct {
	// AllocDir is the shared allocation directory.
	AllocDir string
	// TaskDir is the task's local directory.
	TaskDir string
	// SecretsDir is the task's secrets directory.
	SecretsDir string
}

// Params is what an environment is built from. Nothing in it is modified.
type Params struct {
	// Node is the local node, for ${attr.*}, ${node.*} and ${meta.*}.
	Node *structs.Node
	// Region is the agent's region, used when the job names none.
	Region string
	// Alloc is the task's allocation, with its Job.
	Alloc *structs.Allocation
	// Task is the task.
	Task *structs.Task
	// Dirs are the task's paths.
	Dirs Dirs
	// HostEnv is inherited underneath everything else; nil for isolated
	// drivers.
	HostEnv map[string]string
}

// Env is a built task environment. It is immutable.
type Env struct {
	vars map[string]string
	node *structs.Node
}

// Build returns the task's environment. Precedence, lowest first: HostEnv,
// the NOMAD_* variables, then the task's env block, whose values are
// interpolated against what came before.
func Build(p Params) *Env {
	e := &Env{vars: make(map[string]string), node: p.Node}
	for k, v := range p.HostEnv {
		e.vars[k] = v
	}
	for k, v := range nomadVars(p) {
		e.vars[k] = v
	}
	if p.Task != nil {
		user := make(map[string]string, len(p.Task.Env))
		for k, v := range p.Task.Env {
			user[k] = e.Replace(v)
		}
		for k, v := range user {
			e.vars[k] = v
		}
	}
	return e
}

// Map returns a copy of the environment.
func (e *Env) Map() map[string]string {
	out := make(map[string]string, len(e.vars))
	for k, v := range e.vars {
		out[k] = v
	}
	return out
}

func nomadVars(p Params) map[string]string {
	v := map[string]string{
		"NOMAD_ALLOC_DIR":   p.Dirs.AllocDir,
		"NOMAD_TASK_DIR":    p.Dirs.TaskDir,
		"NOMAD_SECRETS_DIR": p.Dirs.SecretsDir,
		"NOMAD_REGION":      p.Region,
	}
	if p.Node != nil {
		v["NOMAD_DC"] = p.Node.Datacenter
	}
	var meta []map[string]string
	if a := p.Alloc; a != nil {
		v["NOMAD_ALLOC_ID"] = a.ID
		v["NOMAD_SHORT_ALLOC_ID"] = structs.ShortID(a.ID)
		v["NOMAD_ALLOC_NAME"] = a.Name
		v["NOMAD_ALLOC_INDEX"] = strconv.Itoa(a.Index())
		v["NOMAD_GROUP_NAME"] = a.TaskGroup
		v["NOMAD_JOB_ID"] = a.JobID
		v["NOMAD_NAMESPACE"] = a.Namespace
		if j := a.Job; j != nil {
			v["NOMAD_JOB_NAME"] = j.Name
			if j.ParentID != "" {
				v["NOMAD_JOB_PARENT_ID"] = j.ParentID
			}
			if j.Region != "" {
				v["NOMAD_REGION"] = j.Region
			}
			meta = append(meta, j.Meta)
			if tg := j.LookupTaskGroup(a.TaskGroup); tg != nil {
				meta = append(meta, tg.Meta)
			}
		}
	}
	if t := p.Task; t != nil {
		v["NOMAD_TASK_NAME"] = t.Name
		meta = append(meta, t.Meta)
		cpu, mem, memMax := limits(p.Alloc, t)
		v["NOMAD_CPU_LIMIT"] = strconv.FormatInt(cpu, 10)
		v["NOMAD_MEMORY_LIMIT"] = strconv.FormatInt(mem, 10)
		if memMax > 0 {
			v["NOMAD_MEMORY_MAX_LIMIT"] = strconv.FormatInt(memMax, 10)
		}
	}
	// Task meta overrides group meta overrides job meta.
	for _, m := range meta {
		for k, val := range m {
			v["NOMAD_META_"+k] = val
			v["NOMAD_META_"+strings.ToUpper(k)] = val
		}
	}
	return v
}

// limits are the task's allocated resources, falling back to its ask.
func limits(a *structs.Allocation, t *structs.Task) (cpu, mem, memMax int64) {
	if a != nil && a.AllocatedResources != nil {
		if tr, ok := a.AllocatedResources.Tasks[t.Name]; ok && tr != nil {
			return tr.Cpu.CpuShares, tr.Memory.MemoryMB, tr.Memory.MemoryMaxMB
		}
	}
	if t.Resources != nil {
		return int64(t.Resources.CPU), int64(t.Resources.MemoryMB), int64(t.Resources.MemoryMaxMB)
	}
	return 0, 0, 0
}
