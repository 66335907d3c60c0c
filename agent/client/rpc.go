package client

import (
	"context"
	"time"

	"github.com/drover-project/drover/structs"
)

// ServerAPI is everything a client needs from the servers. In -dev it is
// served in-process by the local server; across machines it is carried by
// RPC. Implementations must be safe for concurrent use.
type ServerAPI interface {
	// RegisterNode upserts the node and returns the heartbeat TTL.
	RegisterNode(ctx context.Context, node *structs.Node) (time.Duration, error)
	// Heartbeat marks the node alive (status ready) and returns the next TTL.
	// It fails with an error wrapping structs.ErrUnknownNode when the server
	// does not know the node, and the client must register again.
	Heartbeat(ctx context.Context, nodeID string) (time.Duration, error)
	// NodeAllocs blocks until the node's allocations change past minIndex
	// (or a server-chosen timeout passes) and returns them with the index.
	NodeAllocs(ctx context.Context, nodeID string, minIndex uint64) ([]*structs.Allocation, uint64, error)
	// UpdateAllocs reports client status and task states of allocations.
	// Only ID, NodeID, ClientStatus, ClientDescription and TaskStates are read.
	UpdateAllocs(ctx context.Context, allocs []*structs.Allocation) error
}
