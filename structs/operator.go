package structs

import (
	"encoding/json"
	"fmt"
	"time"
)

// RaftServer is one server of the Raft configuration, shaped as Nomad's
// api.RaftServer (GET /v1/operator/raft/configuration).
type RaftServer struct {
	// ID is the server's Raft ID (its node name in Drover).
	ID string
	// Node is the server's name.
	Node string
	// Address is the server's Raft (RPC port) address.
	Address string
	// Leader reports whether this server leads the cluster.
	Leader bool
	// Voter reports whether this server votes.
	Voter bool
	// RaftProtocol is the Raft protocol version ("3").
	RaftProtocol string
}

// RaftConfigurationResponse is Nomad's api.RaftConfiguration.
type RaftConfigurationResponse struct {
	Servers []*RaftServer
	// Index is the Raft index the configuration was committed at.
	Index uint64
}

// ServerHealth is one server's health as the leader's autopilot sees it,
// shaped as Nomad's api.ServerHealth (LastContact is a duration string on
// the wire).
type ServerHealth struct {
	ID          string
	Name        string
	Address     string
	SerfStatus  string
	Version     string
	Leader      bool
	LastContact time.Duration
	LastTerm    uint64
	LastIndex   uint64
	Healthy     bool
	Voter       bool
	StableSince time.Time
}

// MarshalJSON writes LastContact as a duration string ("12ms").
func (h ServerHealth) MarshalJSON() ([]byte, error) {
	type plain ServerHealth
	return json.Marshal(&struct {
		LastContact string
		plain
	}{LastContact: h.LastContact.String(), plain: plain(h)})
}

// UnmarshalJSON reads LastContact as a duration string.
func (h *ServerHealth) UnmarshalJSON(data []byte) error {
	type plain ServerHealth
	aux := &struct {
		LastContact string
		*plain
	}{plain: (*plain)(h)}
	if err := json.Unmarshal(data, aux); err != nil {
		return err
	}
	if aux.LastContact == "" {
		h.LastContact = 0
		return nil
	}
	d, err := time.ParseDuration(aux.LastContact)
	if err != nil {
		return fmt.Errorf("server health LastContact %q: %w", aux.LastContact, err)
	}
	h.LastContact = d
	return nil
}

// OperatorHealthReply is Nomad's api.OperatorHealthReply
// (GET /v1/operator/autopilot/health).
type OperatorHealthReply struct {
	// Healthy is true when every server is healthy.
	Healthy bool
	// FailureTolerance is how many healthy voters may fail before the
	// cluster loses its quorum.
	FailureTolerance int
	Servers          []ServerHealth
	// Leader is the leader's Raft ID.
	Leader string
	// Voters are the voters' Raft IDs.
	Voters []string
}

// SnapshotInfo describes a snapshot archive (operator snapshot inspect).
type SnapshotInfo struct {
	// ID, Index, Term and Version come from the Raft snapshot metadata.
	ID      string
	Index   uint64
	Term    uint64
	Version int
	// Size is the size of the state stream in bytes.
	Size int64
	// Object counts in the state.
	Jobs, Nodes, Allocs, Evals int
}
