package driver

import "github.com/drover-project/drover/structs"

// StatsReporter is implemented by task handles that can measure their
// task's resource usage. The client finds it with a type check; handles
// without it report no usage. Stats may be called concurrently with Wait
// and Kill; after the task has exited it returns an error.
//
// CpuStats.TotalTicks is in MHz, as Nomad reports it; a driver cannot know
// the node's MHz per core, so it leaves TotalTicks zero and the client sets
// it to Percent/100 × MHz per core.
type StatsReporter interface {
	Stats() (*structs.TaskResourceUsage, error)
}
