package api

import (
	"net/http"
	"net/url"
)

// Status is the /v1/status endpoints.
type Status struct{ c *Client }

// Status returns the status endpoints.
func (c *Client) Status() *Status { return &Status{c: c} }

// Leader returns the cluster leader's RPC address, "" when there is none.
func (s *Status) Leader() (string, error) {
	var leader string
	if _, err := s.c.query("/v1/status/leader", &leader, nil); err != nil {
		return "", err
	}
	return leader, nil
}

// Agent is the /v1/agent endpoints of the agent the client talks to.
type Agent struct{ c *Client }

// Agent returns the agent endpoints.
func (c *Client) Agent() *Agent { return &Agent{c: c} }

// AgentSelf is /v1/agent/self: the agent's configuration, its cluster
// member entry and its stats by subsystem ("nomad", "raft", "client").
type AgentSelf struct {
	Config map[string]interface{}       `json:"config"`
	Member AgentMember                  `json:"member"`
	Stats  map[string]map[string]string `json:"stats"`
}

// AgentMember is a cluster member.
type AgentMember struct {
	Name   string
	Addr   string
	Port   uint16
	Tags   map[string]string
	Status string
}

// Self describes the agent.
func (a *Agent) Self() (*AgentSelf, error) {
	var out AgentSelf
	if _, err := a.c.query("/v1/agent/self", &out, nil); err != nil {
		return nil, err
	}
	return &out, nil
}

// ServerMembers is /v1/agent/members.
type ServerMembers struct {
	ServerName   string
	ServerRegion string
	ServerDC     string
	Members      []*AgentMember
}

// Members lists the servers' gossip pool.
func (a *Agent) Members() (*ServerMembers, error) {
	var out ServerMembers
	if _, err := a.c.query("/v1/agent/members", &out, nil); err != nil {
		return nil, err
	}
	return &out, nil
}

// JoinResponse is /v1/agent/join's answer.
type JoinResponse struct {
	NumJoined int    `json:"num_joined"`
	Error     string `json:"error"`
}

// Join asks the agent's server to join servers at addrs (serf addresses).
func (a *Agent) Join(addrs ...string) (*JoinResponse, error) {
	var out JoinResponse
	if err := a.c.write(http.MethodPut, "/v1/agent/join", url.Values{"address": addrs}, nil, &out, nil); err != nil {
		return nil, err
	}
	return &out, nil
}
