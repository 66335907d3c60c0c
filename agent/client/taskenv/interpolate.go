package taskenv

import (
	"strings"
)

// Replace interpolates ${...} references in s:
//
//	${NOMAD_ALLOC_ID} ${env.HOME}   the task's environment
//	${attr.cpu.arch}                a node attribute
//	${meta.rack} ${node.meta.rack}  node metadata
//	${node.unique.id} ${node.unique.name} ${node.datacenter}
//	${node.region} ${node.class} ${node.pool}
//
// References that resolve to nothing are left as written, as in Nomad.
func (e *Env) Replace(s string) string {
	if !strings.Contains(s, "${") {
		return s
	}
	var b strings.Builder
	for {
		start := strings.Index(s, "${")
		if start < 0 {
			break
		}
		end := strings.IndexByte(s[start:], '}')
		if end < 0 {
			break
		}
		end += start
		b.WriteString(s[:start])
		key := strings.TrimSpace(s[start+2 : end])
		if val, ok := e.lookup(key); ok {
			b.WriteString(val)
		} else {
			b.WriteString(s[start : end+1])
		}
		s = s[end+1:]
	}
	b.WriteString(s)
	return b.String()
}

func (e *Env) lookup(key string) (string, bool) {
	if v, ok := e.vars[key]; ok {
		return v, true
	}
	if k, ok := strings.CutPrefix(key, "env."); ok {
		v, found := e.vars[k]
		return v, found
	}
	n := e.node
	if n == nil {
		return "", false
	}
	if k, ok := strings.CutPrefix(key, "attr."); ok {
		v, found := n.Attributes[k]
		return v, found
	}
	if k, ok := strings.CutPrefix(key, "meta."); ok {
		v, found := n.Meta[k]
		return v, found
	}
	if k, ok := strings.CutPrefix(key, "node.meta."); ok {
		v, found := n.Meta[k]
		return v, found
	}
	switch key {
	case "node.unique.id":
		return n.ID, true
	case "node.unique.name":
		return n.Name, true
	case "node.datacenter":
		return n.Datacenter, true
	case "node.class":
		return n.NodeClass, true
	case "node.pool":
		return n.NodePool, true
	case "node.region":
		v, ok := e.vars["NOMAD_REGION"]
		return v, ok
	}
	return "", false
}

// ReplaceConfig returns a deep copy of a driver config with every string
// value (in nested lists and maps too) interpolated. Keys are kept as is.
func (e *Env) ReplaceConfig(cfg map[string]interface{}) map[string]interface{} {
	if cfg == nil {
		return nil
	}
	out := make(map[string]interface{}, len(cfg))
	for k, v := range cfg {
		out[k] = e.replaceValue(v)
	}
	return out
}

func (e *Env) replaceValue(v interface{}) interface{} {
	switch t := v.(type) {
	case string:
		return e.Replace(t)
	case []string:
		out := make([]string, len(t))
		for i, s := range t {
			out[i] = e.Replace(s)
		}
		return out
	case []interface{}:
		out := make([]interface{}, len(t))
		for i, x := range t {
			out[i] = e.replaceValue(x)
		}
		return out
	case map[string]interface{}:
		return e.ReplaceConfig(t)
	case []map[string]interface{}:
		out := make([]map[string]interface{}, len(t))
		for i, m := range t {
			out[i] = e.ReplaceConfig(m)
		}
		return out
	default:
		return v
	}
}
