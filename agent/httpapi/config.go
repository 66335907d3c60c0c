package httpapi

import (
	"time"

	hclog "github.com/hashicorp/go-hclog"
)

// Config is what NewHandler needs.
type Config struct {
	// Server is the local server role. Required.
	Server Server
	// Client is the local client role; nil when the agent runs no client,
	// in which case /v1/client/* answers 404.
	Client Client
	// Logger receives request errors and recovered panics. Defaults to a
	// null logger.
	Logger hclog.Logger
	// Members lists the servers' gossip pool for /v1/agent/members; nil
	// (or an empty list, as in -dev) answers with the agent itself.
	Members func() []AgentMember
	// Join contacts servers by their serf addresses (/v1/agent/join); nil
	// answers 501.
	Join func(addrs []string) (int, error)
	// Self describes the agent for /v1/agent/self. Called on every request;
	// nil answers an empty config and member.
	Self func() AgentSelf
	// LogPollInterval is how often a followed log file is checked for new
	// bytes and its allocation for a terminal status. Defaults to 200ms.
	LogPollInterval time.Duration
	// LogHeartbeat is how long a framed log stream may stay idle before an
	// empty heartbeat frame is sent (clients discard them; they keep proxies
	// from closing the connection). Defaults to 10s.
	LogHeartbeat time.Duration
	// Now returns the current time (metrics timestamps). Defaults to time.Now.
	Now func() time.Time
}

// AgentSelf is the part of /v1/agent/self the agent supplies: its
// configuration (as Nomad's "config" object, e.g. "Datacenter", "Region",
// "NodeName", "Version") and its gossip member entry. Stats come from
// Server.Stats.
type AgentSelf struct {
	Config map[string]interface{}
	Member AgentMember
}

// AgentMember is a cluster member, shaped as Nomad's api.AgentMember.
type AgentMember struct {
	Name        string
	Addr        string
	Port        uint16
	Tags        map[string]string
	Status      string
	ProtocolMin uint8
	ProtocolMax uint8
	ProtocolCur uint8
	DelegateMin uint8
	DelegateMax uint8
	DelegateCur uint8
}

// Defaults for optional Config fields.
const (
	DefaultLogPollInterval = 200 * time.Millisecond
	DefaultLogHeartbeat    = 10 * time.Second
)

// withDefaults returns c with unset optional fields filled in.
func (c Config) withDefaults() Config {
	if c.Logger == nil {
		c.Logger = hclog.NewNullLogger()
	}
	if c.Self == nil {
		c.Self = func() AgentSelf { return AgentSelf{Config: map[string]interface{}{}} }
	}
	if c.LogPollInterval <= 0 {
		c.LogPollInterval = DefaultLogPollInterval
	}
	if c.LogHeartbeat <= 0 {
		c.LogHeartbeat = DefaultLogHeartbeat
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}
