package scheduler

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"

	"github.com/drover-project/drover/structs"
)

// clusterNodes is the node view of one planning attempt.
type clusterNodes struct {
	// ready are the nodes new work may go to, in state order.
	ready []*structs.Node
	// byID indexes every node, ready or not.
	byID map[string]*structs.Node
}

func loadNodes(st State) (*clusterNodes, error) {
	all, err := st.Nodes(nil)
	if err != nil {
		return nil, fmt.Errorf("reading nodes: %w", err)
	}
	cn := &clusterNodes{byID: make(map[string]*structs.Node, len(all))}
	for _, n := range all {
		cn.byID[n.ID] = n
		if n.Ready() {
			cn.ready = append(cn.ready, n)
		}
	}
	return cn, nil
}

// lost reports whether allocations on the node are lost: the node is down
// or no longer registered.
func (cn *clusterNodes) lost(nodeID string) bool {
	n, ok := cn.byID[nodeID]
	return !ok || n.Terminal()
}

// disconnected reports whether the node missed its heartbeat but is not yet
// down: its allocations are unknown, not lost.
func (cn *clusterNodes) disconnected(nodeID string) bool {
	n, ok := cn.byID[nodeID]
	return ok && n.Status == structs.NodeStatusDisconnected
}

// shuffleNodes returns nodes in an order that depends only on seed, so that
// one evaluation always sees the same order while different evaluations
// spread their work over the cluster.
func shuffleNodes(nodes []*structs.Node, seed string) []*structs.Node {
	out := append([]*structs.Node(nil), nodes...)
	h := fnv.New64a()
	h.Write([]byte(seed))
	s1 := h.Sum64()
	h.Write([]byte{0})
	r := rand.New(rand.NewPCG(s1, h.Sum64()))
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// nodeSource yields each node once per selection. It resumes where the
// previous selection stopped, so consecutive placements start their search
// on different nodes.
type nodeSource struct {
	ctx    *evalContext
	nodes  []*structs.Node
	offset int
	seen   int
}

func (s *nodeSource) Next() *structs.Node {
	if s.seen >= len(s.nodes) {
		return nil
	}
	n := s.nodes[s.offset]
	s.offset = (s.offset + 1) % len(s.nodes)
	s.seen++
	s.ctx.metrics.NodesEvaluated++
	return n
}

func (s *nodeSource) Reset() { s.seen = 0 }
