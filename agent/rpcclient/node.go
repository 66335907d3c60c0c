package rpcclient

import (
	"context"
	"time"

	"github.com/drover-project/drover/structs"
)

// nodeAllocsWait is how long a blocking allocation query may wait on the
// server; the call is abandoned by ctx earlier if the client stops.
const nodeAllocsWait = 5 * time.Minute

// RegisterNode implements client.ServerAPI.
func (s *Servers) RegisterNode(ctx context.Context, node *structs.Node) (time.Duration, error) {
	var reply structs.NodeUpdateResponse
	if err := s.Call(ctx, "Node.Register", &structs.NodeRegisterRPCRequest{Node: node}, &reply); err != nil {
		return 0, err
	}
	return time.Duration(reply.HeartbeatTTL), nil
}

// Heartbeat implements client.ServerAPI.
func (s *Servers) Heartbeat(ctx context.Context, nodeID string) (time.Duration, error) {
	var reply structs.NodeUpdateResponse
	if err := s.Call(ctx, "Node.UpdateStatus", &structs.NodeHeartbeatRequest{NodeID: nodeID}, &reply); err != nil {
		return 0, err
	}
	return time.Duration(reply.HeartbeatTTL), nil
}

// NodeAllocs implements client.ServerAPI.
func (s *Servers) NodeAllocs(ctx context.Context, nodeID string, minIndex uint64) ([]*structs.Allocation, uint64, error) {
	var reply structs.NodeAllocsResponse
	req := &structs.NodeAllocsRequest{NodeID: nodeID, MinIndex: minIndex, MaxWait: int64(nodeAllocsWait)}
	if err := s.Call(ctx, "Node.GetClientAllocs", req, &reply); err != nil {
		return nil, 0, err
	}
	return reply.Allocs, reply.Index, nil
}

// UpdateAllocs implements client.ServerAPI.
func (s *Servers) UpdateAllocs(ctx context.Context, allocs []*structs.Allocation) error {
	var reply structs.GenericResponse
	return s.Call(ctx, "Node.UpdateAlloc", &structs.AllocUpdateRPCRequest{Allocs: allocs}, &reply)
}
