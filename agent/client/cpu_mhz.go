package client

import (
	"strconv"

	"github.com/drover-project/drover/structs"
)

// mhzPerCore is the node's compute per core as the scheduler counts it:
// total compute (which the agent's config may override) over cores, so
// that a task asking for the node's whole compute is capped at all its
// cores. It is 0 when the node does not say.
func mhzPerCore(n *structs.Node) float64 {
	if n == nil {
		return 0
	}
	total, err1 := strconv.ParseFloat(n.Attributes["cpu.totalcompute"], 64)
	cores, err2 := strconv.ParseFloat(n.Attributes["cpu.numcores"], 64)
	if err1 != nil || err2 != nil || total <= 0 || cores <= 0 {
		return 0
	}
	return total / cores
}
