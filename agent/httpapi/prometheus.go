package httpapi

import (
	"bytes"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// prometheusContentType is the text exposition format, version 0.0.4.
const prometheusContentType = "text/plain; version=0.0.4; charset=utf-8"

// rawBody is a handler result written as is, with its content type.
type rawBody struct {
	contentType string
	data        []byte
}

func (b rawBody) stream(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", b.contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(b.data)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b.data) // a write error means the client left
}

// prometheusText renders gauges in the Prometheus text format: dots in
// names become underscores, gauges of one name share one TYPE line.
func prometheusText(gauges []gaugeValue) []byte {
	byName := make(map[string][]gaugeValue)
	var names []string
	for _, g := range gauges {
		n := promName(g.Name)
		if _, ok := byName[n]; !ok {
			names = append(names, n)
		}
		byName[n] = append(byName[n], g)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	for _, n := range names {
		buf.WriteString("# TYPE " + n + " gauge\n")
		for _, g := range byName[n] {
			buf.WriteString(n)
			buf.WriteString(promLabels(g.Labels))
			buf.WriteByte(' ')
			buf.WriteString(strconv.FormatFloat(float64(g.Value), 'g', -1, 32))
			buf.WriteByte('\n')
		}
	}
	return buf.Bytes()
}

// promName maps a metric name to Prometheus' [a-zA-Z_:][a-zA-Z0-9_:]*.
func promName(name string) string {
	var b strings.Builder
	for i, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r == '_', r == ':':
			b.WriteRune(r)
		case r >= '0' && r <= '9' && i > 0:
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

func promLabels(labels map[string]string) string {
	if len(labels) == 0 {
		return ""
	}
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	esc := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = promName(k) + `="` + esc.Replace(labels[k]) + `"`
	}
	return "{" + strings.Join(parts, ",") + "}"
}
