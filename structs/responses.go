package structs

// JobRegisterResponse answers PUT /v1/jobs and /v1/job/<id>.
type JobRegisterResponse struct {
	EvalID          string
	EvalCreateIndex uint64
	JobModifyIndex  uint64
	Warnings        string
	Index           uint64
}

// JobDeregisterResponse answers DELETE /v1/job/<id>.
type JobDeregisterResponse struct {
	EvalID          string
	EvalCreateIndex uint64
	JobModifyIndex  uint64
	Index           uint64
}

// JobRegisterHTTPRequest is the body of PUT /v1/jobs.
type JobRegisterHTTPRequest struct {
	Job            *Job
	EnforceIndex   bool
	JobModifyIndex uint64
}

// NodeUpdateResponse answers a client's registration or heartbeat.
type NodeUpdateResponse struct {
	// HeartbeatTTL is how long the server waits for the next heartbeat
	// before it marks the node down, in nanoseconds.
	HeartbeatTTL int64
	Index        uint64
}

// AllocStopResponse answers PUT /v1/allocation/<id>/stop, as Nomad's.
type AllocStopResponse struct {
	// EvalID is the evaluation that replaces the stopped allocation.
	EvalID string
	Index  uint64
}
