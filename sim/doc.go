// Package sim simulates client nodes for load tests: each simulated node
// registers, heartbeats, watches its allocations and reports them running
// (or complete when stopped) over the real RPC path, without starting any
// process. Many nodes share a few RPC connections.
package sim
