package api

import (
	"net/http"
	"net/url"

	"github.com/drover-project/drover/structs"
)

// AllocSignalRequest is the body of PUT /v1/client/allocation/<id>/signal.
type AllocSignalRequest struct {
	Task   string
	Signal string
}

// AllocationRestartRequest is the body of PUT
// /v1/client/allocation/<id>/restart.
type AllocationRestartRequest struct {
	TaskName string
	AllTasks bool
}

// Signal sends signal to task, or to every running task when task is empty.
func (a *Allocations) Signal(allocID, task, signal string, w *WriteOptions) error {
	var out struct{}
	return a.c.write(http.MethodPut, "/v1/client/allocation/"+url.PathEscape(allocID)+"/signal", nil,
		&AllocSignalRequest{Task: task, Signal: signal}, &out, w)
}

// Restart restarts task, or every running task when task is empty. The
// restart does not count against the task's restart policy.
func (a *Allocations) Restart(allocID, task string, allTasks bool, w *WriteOptions) error {
	var out struct{}
	return a.c.write(http.MethodPut, "/v1/client/allocation/"+url.PathEscape(allocID)+"/restart", nil,
		&AllocationRestartRequest{TaskName: task, AllTasks: allTasks}, &out, w)
}

// Stop stops an allocation; the servers place a replacement, evaluated by
// the returned evaluation.
func (a *Allocations) Stop(allocID string, w *WriteOptions) (*structs.AllocStopResponse, error) {
	var out structs.AllocStopResponse
	if err := a.c.write(http.MethodPut, "/v1/allocation/"+url.PathEscape(allocID)+"/stop", nil, nil, &out, w); err != nil {
		return nil, err
	}
	return &out, nil
}

// Stats samples the resource usage of an allocation's running tasks.
func (a *Allocations) Stats(allocID string, q *QueryOptions) (*structs.AllocResourceUsage, error) {
	var out structs.AllocResourceUsage
	if _, err := a.c.query("/v1/client/allocation/"+url.PathEscape(allocID)+"/stats", &out, q); err != nil {
		return nil, err
	}
	return &out, nil
}
