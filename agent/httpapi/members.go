package httpapi

import (
	"fmt"
	"net/http"

	"github.com/drover-project/drover/structs"
)

// serverMembers is Nomad's api.ServerMembers.
type serverMembers struct {
	ServerName   string
	ServerRegion string
	ServerDC     string
	Members      []AgentMember
}

// agentMembers answers GET /v1/agent/members: the servers' gossip pool, or
// the agent alone when it runs none (-dev).
func (a *api) agentMembers(*request) (interface{}, error) {
	self := a.cfg.Self()
	var members []AgentMember
	if a.cfg.Members != nil {
		members = a.cfg.Members()
	}
	if len(members) == 0 {
		members = []AgentMember{self.Member}
	}
	return &serverMembers{
		ServerName:   configString(self.Config, "NodeName"),
		ServerRegion: configString(self.Config, "Region"),
		ServerDC:     configString(self.Config, "Datacenter"),
		Members:      members,
	}, nil
}

// joinResponse is Nomad's api.JoinResponse.
type joinResponse struct {
	NumJoined int    `json:"num_joined"`
	Error     string `json:"error"`
}

// agentJoin answers PUT /v1/agent/join?address=...: join the servers at
// the given serf addresses.
func (a *api) agentJoin(r *request) (interface{}, error) {
	if a.cfg.Join == nil {
		return nil, structs.NewCodedError(http.StatusNotImplemented, "this agent runs no server gossip to join")
	}
	addrs := r.URL.Query()["address"]
	if len(addrs) == 0 {
		return nil, structs.NewCodedError(http.StatusBadRequest, "missing address to join")
	}
	n, err := a.cfg.Join(addrs)
	resp := &joinResponse{NumJoined: n}
	if err != nil {
		resp.Error = err.Error()
	}
	return resp, nil
}

// regionList answers GET /v1/regions: the sorted names of the regions this
// server knows. Without federation that is its own region.
func (a *api) regionList(*request) (interface{}, error) {
	self := a.cfg.Self()
	region := configString(self.Config, "Region")
	if region == "" {
		return nil, fmt.Errorf("agent configuration has no region")
	}
	return []string{region}, nil
}

// configString reads a string from the agent's self config, "" when absent.
func configString(cfg map[string]interface{}, key string) string {
	s, _ := cfg[key].(string)
	return s
}
