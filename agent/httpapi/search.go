package httpapi

import (
	"strings"

	memdb "github.com/hashicorp/go-memdb"

	"github.com/drover-project/drover/state"
)

// Search contexts Drover can answer (Nomad's api/contexts).
const (
	ctxAll        = "all"
	ctxJobs       = "jobs"
	ctxEvals      = "evals"
	ctxAllocs     = "allocs"
	ctxNodes      = "nodes"
	ctxNamespaces = "namespaces"
	ctxNodePools  = "node_pools"
)

// searchContexts are the contexts "all" expands to, in Nomad's order.
var searchContexts = []string{ctxAllocs, ctxEvals, ctxJobs, ctxNodes, ctxNodePools, ctxNamespaces}

// searchLimit is how many matches a context returns before it is marked
// truncated, as in Nomad.
const searchLimit = 20

// searchRequest is Nomad's api.SearchRequest.
type searchRequest struct {
	Prefix  string
	Context string
}

// searchResponse is Nomad's api.SearchResponse.
type searchResponse struct {
	Matches     map[string][]string
	Truncations map[string]bool
}

// prefixSearch answers PUT /v1/search: the IDs (names for nodes pools and
// namespaces) of each context's objects that start with the prefix. Jobs
// are searched in the request's namespace ("*": all).
func (a *api) prefixSearch(req *request) (interface{}, error) {
	var body searchRequest
	if err := req.decodeBody(&body); err != nil {
		return nil, err
	}
	contexts := []string{body.Context}
	switch body.Context {
	case ctxAll:
		contexts = searchContexts
	case ctxJobs, ctxEvals, ctxAllocs, ctxNodes, ctxNamespaces, ctxNodePools:
	case "":
		return nil, badRequest("search context is required")
	default:
		return nil, badRequest("search context %q is not supported (supported: %s, all)",
			body.Context, strings.Join(searchContexts, ", "))
	}
	var resp *searchResponse
	err := a.blocking(req, func(ws memdb.WatchSet, s *state.StateStore) (uint64, error) {
		resp = &searchResponse{Matches: map[string][]string{}, Truncations: map[string]bool{}}
		for _, c := range contexts {
			ids, err := a.searchContext(ws, s, req, c, body.Prefix)
			if err != nil {
				return 0, err
			}
			resp.Truncations[c] = len(ids) > searchLimit
			resp.Matches[c] = ids[:min(len(ids), searchLimit)]
		}
		return s.MaxIndex(state.TableJobs, state.TableAllocs, state.TableEvals, state.TableNodes), nil
	})
	return resp, err
}

// searchContext lists the matching IDs of one context.
func (a *api) searchContext(ws memdb.WatchSet, s *state.StateStore, req *request, context, prefix string) ([]string, error) {
	ids := []string{}
	switch context {
	case ctxJobs:
		jobs, err := a.jobsMatching(ws, s, req, prefix)
		if err != nil {
			return nil, err
		}
		for _, j := range jobs {
			ids = append(ids, j.ID)
		}
	case ctxEvals:
		evals, err := s.EvalsByIDPrefix(ws, prefix)
		if err != nil {
			return nil, err
		}
		for _, e := range evals {
			if req.inNamespace(e.Namespace) {
				ids = append(ids, e.ID)
			}
		}
	case ctxAllocs:
		allocs, err := s.AllocsByIDPrefix(ws, prefix)
		if err != nil {
			return nil, err
		}
		for _, al := range allocs {
			if req.inNamespace(al.Namespace) {
				ids = append(ids, al.ID)
			}
		}
	case ctxNodes:
		nodes, err := s.NodesByIDPrefix(ws, prefix)
		if err != nil {
			return nil, err
		}
		for _, n := range nodes {
			ids = append(ids, n.ID)
		}
	case ctxNamespaces:
		for _, ns := range builtinNamespaces() {
			if strings.HasPrefix(ns.Name, prefix) {
				ids = append(ids, ns.Name)
			}
		}
	case ctxNodePools:
		for _, p := range builtinNodePools() {
			if strings.HasPrefix(p.Name, prefix) {
				ids = append(ids, p.Name)
			}
		}
	}
	return ids, nil
}
