// Package mock builds valid fixture objects for tests: a ready node, a
// service job and its allocations. Each call returns fresh objects with new
// IDs, so tests may modify them.
package mock

import (
	"time"

	"github.com/drover-project/drover/structs"
)

// Node returns a ready Linux node with 4000 MHz, 8192 MB and healthy
// raw_exec and mock drivers in datacenter dc1.
func Node() *structs.Node {
	id := structs.GenerateUUID()
	return &structs.Node{
		ID:         id,
		SecretID:   structs.GenerateUUID(),
		Datacenter: "dc1",
		Name:       "node-" + id[:8],
		Attributes: map[string]string{
			"kernel.name":               "linux",
			"cpu.arch":                  "amd64",
			"unique.hostname":           "node-" + id[:8],
			"unique.network.ip-address": "127.0.0.1",
			"driver.raw_exec":           "1",
			"driver.mock":               "1",
			"nomad.version":             "0.1.0",
		},
		NodeResources: &structs.NodeResources{
			Cpu:    structs.NodeCpuResources{CpuShares: 4000, TotalCpuCores: 4},
			Memory: structs.NodeMemoryResources{MemoryMB: 8192},
			Disk:   structs.NodeDiskResources{DiskMB: 100 * 1024},
		},
		Meta:                  map[string]string{"rack": "r1"},
		NodePool:              "default",
		Drivers:               map[string]*structs.DriverInfo{"raw_exec": healthy(), "mock": healthy()},
		Status:                structs.NodeStatusReady,
		SchedulingEligibility: structs.NodeSchedulingEligible,
	}
}

func healthy() *structs.DriverInfo {
	return &structs.DriverInfo{Detected: true, Healthy: true, HealthDescription: "Healthy"}
}

// Job returns a canonical service job "web-<rand>" with one group "web" of
// count 2, one mock-driver task asking 500 MHz and 256 MB.
func Job() *structs.Job {
	j := &structs.Job{
		ID:          "web-" + structs.GenerateUUID()[:8],
		Type:        structs.JobTypeService,
		Datacenters: []string{"dc1"},
		TaskGroups: []*structs.TaskGroup{{
			Name:  "web",
			Count: 2,
			Tasks: []*structs.Task{{
				Name:      "server",
				Driver:    "mock",
				Config:    map[string]interface{}{"run_for": "10m"},
				Env:       map[string]string{"FOO": "bar"},
				Resources: &structs.Resources{CPU: 500, MemoryMB: 256},
			}},
		}},
		Meta: map[string]string{"owner": "test"},
	}
	j.Canonicalize()
	return j
}

// BatchJob returns Job() as a batch job.
func BatchJob() *structs.Job {
	j := Job()
	j.ID = "batch-" + structs.GenerateUUID()[:8]
	j.Name = j.ID
	j.Type = structs.JobTypeBatch
	j.TaskGroups[0].RestartPolicy = structs.DefaultRestartPolicy(structs.JobTypeBatch)
	return j
}

// Eval returns a pending evaluation for job.
func Eval(job *structs.Job) *structs.Evaluation {
	now := time.Now().UnixNano()
	return &structs.Evaluation{
		ID:          structs.GenerateUUID(),
		Namespace:   job.Namespace,
		Priority:    job.Priority,
		Type:        job.Type,
		TriggeredBy: structs.EvalTriggerJobRegister,
		JobID:       job.ID,
		Status:      structs.EvalStatusPending,
		CreateTime:  now,
		ModifyTime:  now,
	}
}

// Alloc returns a running allocation of job's first group on node.
func Alloc(job *structs.Job, node *structs.Node, idx int) *structs.Allocation {
	tg := job.TaskGroups[0]
	return &structs.Allocation{
		ID:                 structs.GenerateUUID(),
		Namespace:          job.Namespace,
		EvalID:             structs.GenerateUUID(),
		Name:               structs.AllocName(job.ID, tg.Name, idx),
		NodeID:             node.ID,
		NodeName:           node.Name,
		JobID:              job.ID,
		Job:                job,
		TaskGroup:          tg.Name,
		AllocatedResources: structs.AllocatedResourcesFor(tg),
		DesiredStatus:      structs.AllocDesiredStatusRun,
		ClientStatus:       structs.AllocClientStatusRunning,
	}
}
