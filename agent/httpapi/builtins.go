package httpapi

import (
	"strings"

	"github.com/drover-project/drover/structs"
)

// Drover has no namespace or node pool objects yet: only the built-in ones
// Nomad creates at bootstrap exist, and they cannot be changed. These reads
// serve them so clients that list or look them up work; writes come with the
// state tables.

// namespace is Nomad's api.Namespace (without the enterprise fields).
type namespace struct {
	Name        string
	Description string
	Quota       string
	Meta        map[string]string
	CreateIndex uint64
	ModifyIndex uint64
}

// nodePool is Nomad's api.NodePool.
type nodePool struct {
	Name        string
	Description string
	Meta        map[string]string
	CreateIndex uint64
	ModifyIndex uint64
}

// Built-in node pool names.
const (
	nodePoolAll     = "all"
	nodePoolDefault = "default"
)

func builtinNamespaces() []namespace {
	return []namespace{{Name: structs.DefaultNamespace, Description: "Default shared namespace",
		Meta: map[string]string{}, CreateIndex: 1, ModifyIndex: 1}}
}

// builtinNodePools returns the built-in pools sorted by name.
func builtinNodePools() []nodePool {
	return []nodePool{
		{Name: nodePoolAll, Description: "Node pool with all nodes in the cluster.", Meta: map[string]string{}, CreateIndex: 1, ModifyIndex: 1},
		{Name: nodePoolDefault, Description: "Default node pool.", Meta: map[string]string{}, CreateIndex: 1, ModifyIndex: 1},
	}
}

// namespaceList answers GET /v1/namespaces?prefix=.
func (a *api) namespaceList(req *request) (interface{}, error) {
	out := []namespace{}
	for _, ns := range builtinNamespaces() {
		if strings.HasPrefix(ns.Name, req.prefix()) {
			out = append(out, ns)
		}
	}
	req.index = 1
	return out, nil
}

// namespaceGet answers GET /v1/namespace/<name>.
func (a *api) namespaceGet(req *request) (interface{}, error) {
	for _, ns := range builtinNamespaces() {
		if ns.Name == req.PathValue("name") {
			req.index = ns.ModifyIndex
			return ns, nil
		}
	}
	return nil, notFound("namespace not found")
}

// nodePoolList answers GET /v1/node/pools?prefix=, in name order.
// (GET /v1/node/pool/<name> needs the route table to stop matching
// /v1/node/{id}/allocations first: net/http patterns conflict.)
// Pagination (per_page, next_token) is not implemented yet: every match is
// in the one answer.
func (a *api) nodePoolList(req *request) (interface{}, error) {
	out := []nodePool{}
	for _, p := range builtinNodePools() {
		if strings.HasPrefix(p.Name, req.prefix()) {
			out = append(out, p)
		}
	}
	req.index = 1
	return out, nil
}
