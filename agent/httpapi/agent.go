package httpapi

import (
	"net/http"
)

// statusLeader answers GET /v1/status/leader with the leader's address as a
// JSON string ("" when there is none).
func (a *api) statusLeader(*request) (interface{}, error) {
	return a.cfg.Server.Leader(), nil
}

// statusPeers answers GET /v1/status/peers.
func (a *api) statusPeers(*request) (interface{}, error) {
	return nonNil(a.cfg.Server.Peers()), nil
}

// agentSelfResponse is Nomad's api.AgentSelf.
type agentSelfResponse struct {
	Config map[string]interface{}       `json:"config"`
	Member AgentMember                  `json:"member"`
	Stats  map[string]map[string]string `json:"stats"`
}

// agentSelf answers GET /v1/agent/self.
func (a *api) agentSelf(*request) (interface{}, error) {
	self := a.cfg.Self()
	cfg := self.Config
	if cfg == nil {
		cfg = map[string]interface{}{}
	}
	stats := a.cfg.Server.Stats()
	if a.cfg.Client != nil {
		// Nomad reports the local node here; `node status -self` reads it.
		stats["client"] = map[string]string{"node_id": a.cfg.Client.NodeID()}
	}
	return &agentSelfResponse{Config: cfg, Member: self.Member, Stats: stats}, nil
}

// agentHealth is Nomad's api.AgentHealth.
type agentHealth struct {
	OK      bool   `json:"ok"`
	Message string `json:"message"`
}

// agentHealthResponse is Nomad's api.AgentHealthResponse.
type agentHealthResponse struct {
	Client *agentHealth `json:"client,omitempty"`
	Server *agentHealth `json:"server,omitempty"`
}

// agentHealth answers GET /v1/agent/health: 200 when every role the agent
// runs is healthy, 500 with the same JSON shape otherwise. A server is
// healthy when it knows a leader; a client when its node is registered.
func (a *api) agentHealth(*request) (interface{}, error) {
	resp := &agentHealthResponse{Server: &agentHealth{OK: true, Message: "ok"}}
	if a.cfg.Server.Leader() == "" {
		resp.Server = &agentHealth{OK: false, Message: "no known cluster leader"}
	}
	ok := resp.Server.OK
	if a.cfg.Client != nil {
		resp.Client = &agentHealth{OK: true, Message: "ok"}
		node, err := a.cfg.Server.State().NodeByID(nil, a.cfg.Client.NodeID())
		if err != nil {
			return nil, err
		}
		if node == nil {
			resp.Client = &agentHealth{OK: false, Message: "node not registered with the servers"}
			ok = false
		}
	}
	if !ok {
		return statusBody{code: http.StatusInternalServerError, body: resp}, nil
	}
	return resp, nil
}
