package server

import (
	"bytes"
	"context"

	"github.com/drover-project/drover/agent/rpcproto"
	"github.com/drover-project/drover/structs"
)

// OperatorEndpoint serves operator calls between servers ("Operator.*"):
// raft peer removal, snapshots and autopilot health forwarded to the
// leader, and each server's Raft stats for the leader's health checks.
type OperatorEndpoint struct {
	srv *Server
}

// RemovePeer removes a Raft peer on the leader.
func (o *OperatorEndpoint) RemovePeer(args *RaftPeerRPCRequest, reply *structs.GenericResponse) error {
	ctx, cancel := context.WithTimeout(context.Background(), rpcTimeout)
	defer cancel()
	return rpcproto.EncodeError(o.srv.RemoveRaftPeer(ctx, args.ID, args.Address))
}

// SnapshotSave returns a snapshot archive of the leader's state.
func (o *OperatorEndpoint) SnapshotSave(args *EmptyRPCRequest, reply *SnapshotArchive) error {
	ctx, cancel := context.WithTimeout(context.Background(), rpcTimeout)
	defer cancel()
	var buf bytes.Buffer
	if err := o.srv.SaveSnapshot(ctx, &buf); err != nil {
		return rpcproto.EncodeError(err)
	}
	reply.Archive = buf.Bytes()
	return nil
}

// SnapshotRestore restores a snapshot archive on the leader.
func (o *OperatorEndpoint) SnapshotRestore(args *SnapshotArchive, reply *structs.GenericResponse) error {
	ctx, cancel := context.WithTimeout(context.Background(), rpcTimeout)
	defer cancel()
	return rpcproto.EncodeError(o.srv.RestoreSnapshot(ctx, bytes.NewReader(args.Archive)))
}

// AutopilotHealth returns the servers' health from the leader.
func (o *OperatorEndpoint) AutopilotHealth(args *EmptyRPCRequest, reply *structs.OperatorHealthReply) error {
	ctx, cancel := context.WithTimeout(context.Background(), rpcTimeout)
	defer cancel()
	h, err := o.srv.AutopilotHealth(ctx)
	if err != nil {
		return rpcproto.EncodeError(err)
	}
	*reply = *h
	return nil
}

// RaftStats returns this server's own Raft progress; it is never forwarded.
func (o *OperatorEndpoint) RaftStats(args *EmptyRPCRequest, reply *RaftStats) error {
	*reply = o.srv.localRaftStats()
	return nil
}
