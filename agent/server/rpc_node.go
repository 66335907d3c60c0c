package server

import (
	"context"

	"github.com/drover-project/drover/agent/rpcproto"
	"time"

	"github.com/drover-project/drover/structs"
)

// NodeEndpoint serves clients over RPC ("Node.*"). Each method is the
// network form of a client.ServerAPI method.
type NodeEndpoint struct {
	srv *Server
}

// rpcTimeout bounds a non-blocking RPC.
const rpcTimeout = 30 * time.Second

// Register registers or re-registers a node.
func (n *NodeEndpoint) Register(args *structs.NodeRegisterRPCRequest, reply *structs.NodeUpdateResponse) error {
	ctx, cancel := context.WithTimeout(context.Background(), rpcTimeout)
	defer cancel()
	ttl, err := n.srv.RegisterNode(ctx, args.Node)
	if err != nil {
		return rpcproto.EncodeError(err)
	}
	reply.HeartbeatTTL = int64(ttl)
	return nil
}

// UpdateStatus is a client's heartbeat.
func (n *NodeEndpoint) UpdateStatus(args *structs.NodeHeartbeatRequest, reply *structs.NodeUpdateResponse) error {
	ctx, cancel := context.WithTimeout(context.Background(), rpcTimeout)
	defer cancel()
	ttl, err := n.srv.Heartbeat(ctx, args.NodeID)
	if err != nil {
		return rpcproto.EncodeError(err)
	}
	reply.HeartbeatTTL = int64(ttl)
	return nil
}

// GetClientAllocs blocks until the node's allocations change past MinIndex
// or MaxWait passes.
func (n *NodeEndpoint) GetClientAllocs(args *structs.NodeAllocsRequest, reply *structs.NodeAllocsResponse) error {
	wait := time.Duration(args.MaxWait)
	if wait <= 0 || wait > nodeAllocsWait {
		wait = nodeAllocsWait
	}
	ctx, cancel := context.WithTimeout(n.srv.shutdownCtx, wait)
	defer cancel()
	allocs, index, err := n.srv.NodeAllocs(ctx, args.NodeID, args.MinIndex)
	if err != nil {
		return rpcproto.EncodeError(err)
	}
	reply.Allocs, reply.Index = allocs, index
	return nil
}

// UpdateAlloc applies a client's allocation status updates.
func (n *NodeEndpoint) UpdateAlloc(args *structs.AllocUpdateRPCRequest, reply *structs.GenericResponse) error {
	ctx, cancel := context.WithTimeout(context.Background(), rpcTimeout)
	defer cancel()
	return rpcproto.EncodeError(n.srv.UpdateAllocs(ctx, args.Allocs))
}
