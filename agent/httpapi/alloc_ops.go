package httpapi

import (
	"bytes"
	"encoding/json"
	"io"
)

// allocSignalRequest is Nomad's api.AllocSignalRequest.
type allocSignalRequest struct {
	Task   string
	Signal string
}

// allocRestartRequest is Nomad's api.AllocationRestartRequest.
type allocRestartRequest struct {
	TaskName string
	AllTasks bool
}

// localClient returns the agent's client, or a 404 naming the allocation
// when the agent runs none.
func (a *api) localClient(allocID string) (Client, error) {
	if a.cfg.Client == nil {
		return nil, notFound("this agent runs no client, so it does not run allocation " + allocID)
	}
	return a.cfg.Client, nil
}

// allocSignal answers PUT /v1/client/allocation/<id>/signal: one task, or
// every running task when Task is empty. The signal defaults to SIGKILL,
// as Nomad's.
func (a *api) allocSignal(req *request) (interface{}, error) {
	id := req.PathValue("id")
	c, err := a.localClient(id)
	if err != nil {
		return nil, err
	}
	var body allocSignalRequest
	if err := req.decodeBody(&body); err != nil {
		return nil, err
	}
	if body.Signal == "" {
		body.Signal = "SIGKILL"
	}
	if err := c.Signal(id, body.Task, body.Signal); err != nil {
		return nil, err
	}
	return struct{}{}, nil
}

// allocRestart answers PUT /v1/client/allocation/<id>/restart: one task,
// or every running task when TaskName is empty. An empty body restarts
// every running task.
func (a *api) allocRestart(req *request) (interface{}, error) {
	id := req.PathValue("id")
	c, err := a.localClient(id)
	if err != nil {
		return nil, err
	}
	var body allocRestartRequest
	raw, err := io.ReadAll(io.LimitReader(req.Body, 1<<20))
	if err != nil {
		return nil, badRequest("failed to read request: %v", err)
	}
	if len(bytes.TrimSpace(raw)) > 0 {
		if err := json.Unmarshal(raw, &body); err != nil {
			return nil, badRequest("failed to parse request: %v", err)
		}
	}
	if err := c.Restart(id, body.TaskName, body.AllTasks); err != nil {
		return nil, err
	}
	return struct{}{}, nil
}

// allocStats answers GET /v1/client/allocation/<id>/stats with Nomad's
// AllocResourceUsage.
func (a *api) allocStats(req *request) (interface{}, error) {
	id := req.PathValue("id")
	c, err := a.localClient(id)
	if err != nil {
		return nil, err
	}
	return c.AllocStats(id)
}

// allocStop answers PUT /v1/allocation/<id>/stop: the servers stop the
// allocation and place a replacement; the answer names the evaluation.
func (a *api) allocStop(req *request) (interface{}, error) {
	resp, err := a.cfg.Server.StopAlloc(req.Context(), req.PathValue("id"))
	if err != nil {
		return nil, err
	}
	req.index = resp.Index
	return resp, nil
}
