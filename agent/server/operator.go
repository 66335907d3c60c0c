package server

import (
	"context"
	"fmt"
	"net/http"

	"github.com/hashicorp/raft"

	"github.com/drover-project/drover/structs"
)

// raftProtocol is the Raft protocol version every Drover server speaks.
const raftProtocol = "3"

// RaftConfiguration returns the Raft configuration as this server knows it
// (operator raft list-peers). Any server can answer; a follower's view may
// trail the leader's by a configuration change.
func (s *Server) RaftConfiguration() (*structs.RaftConfigurationResponse, error) {
	f := s.raft.GetConfiguration()
	if err := f.Error(); err != nil {
		return nil, fmt.Errorf("reading the raft configuration: %w", err)
	}
	_, leaderID := s.raft.LeaderWithID()
	out := &structs.RaftConfigurationResponse{Index: f.Index(), Servers: []*structs.RaftServer{}}
	for _, srv := range f.Configuration().Servers {
		out.Servers = append(out.Servers, &structs.RaftServer{
			ID:           string(srv.ID),
			Node:         string(srv.ID),
			Address:      string(srv.Address),
			Leader:       leaderID != "" && srv.ID == leaderID,
			Voter:        srv.Suffrage == raft.Voter,
			RaftProtocol: raftProtocol,
		})
	}
	return out, nil
}

// RaftPeerRPCRequest names a Raft peer to remove by ID or by address;
// exactly one is set.
type RaftPeerRPCRequest struct {
	ID      string
	Address string
}

// RemoveRaftPeer removes a server from the Raft configuration by its ID or
// its address (exactly one must be given), on the leader. It is meant for
// servers that are gone: a server still alive in the gossip pool is added
// back by the leader's reconciliation.
func (s *Server) RemoveRaftPeer(ctx context.Context, id, address string) error {
	if (id == "") == (address == "") {
		return structs.NewCodedError(http.StatusBadRequest, "must specify exactly one of a peer's id or address")
	}
	var reply structs.GenericResponse
	if fwd, err := s.forward(ctx, "Operator.RemovePeer", &RaftPeerRPCRequest{ID: id, Address: address}, &reply); fwd {
		return err
	}
	f := s.raft.GetConfiguration()
	if err := f.Error(); err != nil {
		return fmt.Errorf("reading the raft configuration: %w", err)
	}
	for _, srv := range f.Configuration().Servers {
		if (id != "" && string(srv.ID) == id) || (address != "" && string(srv.Address) == address) {
			s.logger.Info("removing raft peer on request", "id", srv.ID, "address", srv.Address)
			if err := s.raft.RemoveServer(srv.ID, f.Index(), raftApplyTimeout).Error(); err != nil {
				return fmt.Errorf("removing raft peer %s (%s): %w", srv.ID, srv.Address, err)
			}
			return nil
		}
	}
	if id != "" {
		return structs.NewCodedError(http.StatusNotFound, "id %q was not found in the Raft configuration", id)
	}
	return structs.NewCodedError(http.StatusNotFound, "address %q was not found in the Raft configuration", address)
}
