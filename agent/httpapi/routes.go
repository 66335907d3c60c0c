package httpapi

import (
	"net/http"
)

// handlerFunc serves one route. It returns the value to encode as JSON (or a
// streamer / statusBody, see wrap.go) or an error whose HTTP status is
// derived by errorStatus.
type handlerFunc func(req *request) (interface{}, error)

// route binds methods and a net/http pattern ("/v1/job/{id}") to a handler.
type route struct {
	methods []string
	pattern string
	handler handlerFunc
}

// routes is the API's one route table.
func (a *api) routes() []route {
	get := []string{http.MethodGet}
	write := []string{http.MethodPut, http.MethodPost}
	del := []string{http.MethodDelete}
	return []route{
		{get, "/v1/jobs", a.jobList},
		{write, "/v1/jobs", a.jobsRegister},
		{write, "/v1/jobs/parse", a.jobParse},
		{get, "/v1/job/{id}", a.jobGet},
		{write, "/v1/job/{id}", a.jobRegister},
		{del, "/v1/job/{id}", a.jobDeregister},
		{get, "/v1/job/{id}/allocations", a.jobAllocations},
		{get, "/v1/job/{id}/evaluations", a.jobEvaluations},
		{get, "/v1/job/{id}/summary", a.jobSummary},
		{write, "/v1/job/{id}/evaluate", a.jobEvaluate},
		{get, "/v1/job/{id}/versions", a.jobVersions},
		{write, "/v1/validate/job", a.jobValidate},
		{write, "/v1/search", a.prefixSearch},
		{get, "/v1/namespaces", a.namespaceList},
		{get, "/v1/namespace/{name}", a.namespaceGet},
		{get, "/v1/node/pools", a.nodePoolList},

		{get, "/v1/allocations", a.allocList},
		{get, "/v1/allocation/{id}", a.allocGet},
		{write, "/v1/allocation/{id}/stop", a.allocStop},

		{get, "/v1/evaluations", a.evalList},
		{get, "/v1/evaluation/{id}", a.evalGet},
		{get, "/v1/evaluation/{id}/allocations", a.evalAllocations},

		{get, "/v1/nodes", a.nodeList},
		{get, "/v1/node/{id}", a.nodeGet},
		{get, "/v1/node/{id}/allocations", a.nodeAllocations},
		{write, "/v1/node/{id}/eligibility", a.nodeEligibility},
		{write, "/v1/node/{id}/drain", a.nodeDrain},

		{get, "/v1/status/leader", a.statusLeader},
		{get, "/v1/status/peers", a.statusPeers},
		{get, "/v1/agent/self", a.agentSelf},
		{get, "/v1/agent/health", a.agentHealth},
		{get, "/v1/agent/members", a.agentMembers},
		{write, "/v1/agent/join", a.agentJoin},
		{get, "/v1/regions", a.regionList},
		{get, "/v1/metrics", a.metrics},
		{get, "/v1/operator/raft/configuration", a.raftConfiguration},
		{del, "/v1/operator/raft/peer", a.raftRemovePeer},
		{get, "/v1/operator/autopilot/health", a.autopilotHealth},
		{get, "/v1/operator/snapshot", a.snapshotSave},
		{write, "/v1/operator/snapshot", a.snapshotRestore},
		{get, "/.well-known/jwks.json", a.jwks},

		{get, "/v1/client/fs/logs/{id}", a.allocLogs},
		{write, "/v1/client/allocation/{id}/signal", a.allocSignal},
		{write, "/v1/client/allocation/{id}/restart", a.allocRestart},
		{get, "/v1/client/allocation/{id}/stats", a.allocStats},
		{get, "/v1/client/allocation/{id}/exec", a.allocExec},
	}
}

// api holds the dependencies every handler uses.
type api struct {
	cfg Config
}

// NewHandler returns the HTTP API handler. It panics if cfg.Server is nil,
// which is a programming error in the agent.
func NewHandler(cfg Config) http.Handler {
	if cfg.Server == nil {
		panic("httpapi: Config.Server is required")
	}
	a := &api{cfg: cfg.withDefaults()}
	mux := http.NewServeMux()
	for _, rt := range a.routes() {
		h := a.wrap(rt.handler)
		for _, m := range rt.methods {
			mux.Handle(m+" "+rt.pattern, h)
		}
	}
	return a.recoverPanics(mux)
}
