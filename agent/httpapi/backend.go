package httpapi

import (
	"context"
	"time"

	"github.com/drover-project/drover/driver"
	"github.com/drover-project/drover/state"
	"github.com/drover-project/drover/structs"
)

// Server is what the HTTP API needs from the local server role. Reads go
// straight to the state store; writes go through these methods, which
// validate, replicate through Raft and return the index they committed at.
type Server interface {
	// State returns the current state store (it changes after a restore).
	State() *state.StateStore
	// RegisterJob validates and stores a job and creates its evaluation.
	// Bad input is reported as a *structs.CodedError with status 400.
	RegisterJob(ctx context.Context, req *structs.JobRegisterHTTPRequest) (*structs.JobRegisterResponse, error)
	// DeregisterJob stops (purge=false) or removes a job.
	DeregisterJob(ctx context.Context, namespace, jobID string, purge bool) (*structs.JobDeregisterResponse, error)
	// EvaluateJob creates a new evaluation for an existing job.
	EvaluateJob(ctx context.Context, namespace, jobID string) (*structs.JobRegisterResponse, error)
	// StopAlloc stops an allocation and creates the eval that replaces it;
	// an unknown allocation is a 404 CodedError.
	StopAlloc(ctx context.Context, allocID string) (*structs.AllocStopResponse, error)
	// UpdateNodeEligibility marks a node (in)eligible for placements.
	UpdateNodeEligibility(ctx context.Context, nodeID, eligibility string) (uint64, error)
	// UpdateNodeDrain starts (spec set) or stops (spec nil) a node's
	// drain; an unknown node is a 404 CodedError.
	UpdateNodeDrain(ctx context.Context, nodeID string, spec *structs.DrainSpec, markEligible bool) (uint64, error)
	// ConsistentRead returns once the local state reflects every write the
	// leader had committed when it was called (verify: the leader first
	// confirms its leadership with a quorum, for ?consistent).
	ConsistentRead(ctx context.Context, verify bool) error
	// LastContact is how long ago this server last heard from the leader.
	LastContact() time.Duration
	// Leader returns the leader's RPC address, "" when there is none.
	Leader() string
	// Peers returns the Raft peers' addresses.
	Peers() []string
	// Stats returns a flat map of server statistics for /v1/agent/self.
	Stats() map[string]map[string]string
}

// Client is what the HTTP API needs from the local client role (nil when
// the agent runs no client).
type Client interface {
	// NodeID is the local node's ID.
	NodeID() string
	// LogFile returns the path of a task's log of logType "stdout" or
	// "stderr"; it wraps structs.ErrNotFound when the allocation or task is
	// not on this node.
	LogFile(allocID, task, logType string) (string, error)
	// Signal sends signal to a task, or to every running task when task
	// is empty.
	Signal(allocID, task, signal string) error
	// Restart restarts a task, or every running task when task is empty,
	// without counting against the restart policy.
	Restart(allocID, task string, allTasks bool) error
	// AllocStats samples the resource usage of an allocation's running
	// tasks.
	AllocStats(allocID string) (*structs.AllocResourceUsage, error)
	// Exec runs a command inside a running task and returns its exit code
	// once it has exited; cancelling ctx kills it (alloc exec).
	Exec(ctx context.Context, allocID, task string, req *driver.ExecRequest) (int, error)
}
