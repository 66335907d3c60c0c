package httpapi

import (
	"runtime"
	"sort"
	"time"

	memdb "github.com/hashicorp/go-memdb"

	"github.com/drover-project/drover/state"
	"github.com/drover-project/drover/structs"
)

// metricsSummary is Nomad's api.MetricsSummary. Drover reports gauges
// computed on request; it records no counters, samples or points yet, so
// those are always empty lists.
type metricsSummary struct {
	Timestamp string
	Gauges    []gaugeValue
	Points    []interface{}
	Counters  []interface{}
	Samples   []interface{}
}

// gaugeValue is Nomad's api.GaugeValue as it appears in JSON.
type gaugeValue struct {
	Name   string
	Value  float32
	Labels map[string]string
}

// metrics answers GET /v1/metrics (?format=prometheus for text exposition).
func (a *api) metrics(req *request) (interface{}, error) {
	format := req.URL.Query().Get("format")
	if format != "" && format != "json" && format != "prometheus" {
		return nil, badRequest("unsupported metrics format %q", format)
	}
	gauges, err := stateGauges(a.cfg.Server.State())
	if err != nil {
		return nil, err
	}
	gauges = append(gauges, runtimeGauges()...)
	if format == "prometheus" {
		return rawBody{contentType: prometheusContentType, data: prometheusText(gauges)}, nil
	}
	return &metricsSummary{
		Timestamp: a.cfg.Now().UTC().Round(time.Second).Format("2006-01-02 15:04:05 -0700 MST"),
		Gauges:    gauges,
		Points:    []interface{}{},
		Counters:  []interface{}{},
		Samples:   []interface{}{},
	}, nil
}

// stateGauges counts jobs, nodes, allocations and evaluations by status.
// Every known status is reported, zero or not, so series are stable.
func stateGauges(s *state.StateStore) ([]gaugeValue, error) {
	snap := s.Snapshot()
	var ws memdb.WatchSet // nil: nothing to watch
	jobs, err := snap.Jobs(ws)
	if err != nil {
		return nil, err
	}
	nodes, err := snap.Nodes(ws)
	if err != nil {
		return nil, err
	}
	allocs, err := snap.Allocs(ws)
	if err != nil {
		return nil, err
	}
	evals, err := snap.Evals(ws)
	if err != nil {
		return nil, err
	}
	var out []gaugeValue
	jobCounts := countBy(jobs, func(j *structs.Job) string { return j.Status })
	for _, st := range []string{structs.JobStatusPending, structs.JobStatusRunning, structs.JobStatusDead} {
		out = append(out, gaugeValue{Name: "nomad.nomad.job_status." + st, Value: float32(jobCounts[st]), Labels: map[string]string{}})
	}
	out = appendLabelled(out, "nomad.nomad.nodes", "status",
		countBy(nodes, func(n *structs.Node) string { return n.Status }),
		structs.NodeStatusInit, structs.NodeStatusReady, structs.NodeStatusDown, structs.NodeStatusDisconnected)
	out = appendLabelled(out, "nomad.nomad.allocations", "client_status",
		countBy(allocs, func(a *structs.Allocation) string { return a.ClientStatus }),
		structs.AllocClientStatusPending, structs.AllocClientStatusRunning, structs.AllocClientStatusComplete,
		structs.AllocClientStatusFailed, structs.AllocClientStatusLost, structs.AllocClientStatusUnknown)
	out = appendLabelled(out, "nomad.nomad.evaluations", "status",
		countBy(evals, func(e *structs.Evaluation) string { return e.Status }),
		structs.EvalStatusBlocked, structs.EvalStatusPending, structs.EvalStatusComplete,
		structs.EvalStatusFailed, structs.EvalStatusCancelled)
	return out, nil
}

// appendLabelled adds one gauge per known value of label, then any value
// seen in counts that is not among them.
func appendLabelled(out []gaugeValue, name, label string, counts map[string]int, known ...string) []gaugeValue {
	seen := make(map[string]bool, len(known))
	add := func(v string) {
		seen[v] = true
		out = append(out, gaugeValue{Name: name, Value: float32(counts[v]), Labels: map[string]string{label: v}})
	}
	for _, v := range known {
		add(v)
	}
	var extra []string
	for v := range counts {
		if !seen[v] {
			extra = append(extra, v)
		}
	}
	sort.Strings(extra)
	for _, v := range extra {
		add(v)
	}
	return out
}

func countBy[T any](objs []T, key func(T) string) map[string]int {
	counts := make(map[string]int)
	for _, o := range objs {
		counts[key(o)]++
	}
	return counts
}

// runtimeGauges are the Go runtime figures Nomad reports under
// nomad.runtime.*.
func runtimeGauges() []gaugeValue {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	g := func(name string, v float64) gaugeValue {
		return gaugeValue{Name: "nomad.runtime." + name, Value: float32(v), Labels: map[string]string{}}
	}
	return []gaugeValue{
		g("num_goroutines", float64(runtime.NumGoroutine())),
		g("alloc_bytes", float64(ms.Alloc)),
		g("sys_bytes", float64(ms.Sys)),
		g("malloc_count", float64(ms.Mallocs)),
		g("free_count", float64(ms.Frees)),
		g("heap_objects", float64(ms.HeapObjects)),
		g("total_gc_pause_ns", float64(ms.PauseTotalNs)),
		g("total_gc_runs", float64(ms.NumGC)),
	}
}
