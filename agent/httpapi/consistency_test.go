package httpapi

import (
	"errors"
	"net/http"
	"strings"
	"testing"
)

func TestReadsAreConsistentUnlessStale(t *testing.T) {
	h := newHarness(t)
	reads := func() map[bool]int {
		h.srv.mu.Lock()
		defer h.srv.mu.Unlock()
		out := map[bool]int{}
		for k, v := range h.srv.reads {
			out[k] = v
		}
		return out
	}
	cases := []struct {
		path          string
		plain, verify int
	}{
		{"/v1/jobs", 1, 0},
		{"/v1/jobs?stale", 0, 0},
		{"/v1/nodes?consistent", 0, 1},
		{"/v1/status/leader", 0, 0}, // answers without a leader
		{"/v1/agent/self", 0, 0},
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			before := reads()
			resp, body := h.do(t, http.MethodGet, tc.path, nil)
			if resp.StatusCode != 200 {
				t.Fatalf("%s: %s %s", tc.path, resp.Status, body)
			}
			after := reads()
			if got := after[false] - before[false]; got != tc.plain {
				t.Errorf("default consistent reads: %d, want %d", got, tc.plain)
			}
			if got := after[true] - before[true]; got != tc.verify {
				t.Errorf("verified consistent reads: %d, want %d", got, tc.verify)
			}
		})
	}

	h.srv.mu.Lock()
	h.srv.readErr = errors.New("no cluster leader")
	h.srv.mu.Unlock()
	resp, body := h.do(t, http.MethodGet, "/v1/jobs", nil)
	if resp.StatusCode != 500 || !strings.Contains(string(body), "no cluster leader") || !strings.Contains(string(body), "?stale") {
		t.Fatalf("failed consistent read: %s %s", resp.Status, body)
	}
	if resp, _ := h.do(t, http.MethodGet, "/v1/jobs?stale", nil); resp.StatusCode != 200 {
		t.Fatalf("stale read must not need the leader: %s", resp.Status)
	}
}
