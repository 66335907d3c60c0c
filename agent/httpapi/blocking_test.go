package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/drover-project/drover/state"
	"github.com/drover-project/drover/structs"
	"github.com/drover-project/drover/structs/mock"
)

func indexOf(t *testing.T, resp *http.Response) uint64 {
	t.Helper()
	idx, err := strconv.ParseUint(resp.Header.Get("X-Nomad-Index"), 10, 64)
	if err != nil || idx == 0 {
		t.Fatalf("X-Nomad-Index %q: %v", resp.Header.Get("X-Nomad-Index"), err)
	}
	return idx
}

func TestBlocking_WakesOnWrite(t *testing.T) {
	h := newHarness(t)
	first := mock.Job()
	h.registerJob(t, first)
	_, _, allocs := h.seedJob(t)

	cases := []struct {
		name  string
		path  func(idx uint64) string
		index func() uint64
		write func()
	}{
		{
			name:  "job list",
			path:  func(idx uint64) string { return "/v1/jobs?wait=5s&index=" + strconv.FormatUint(idx, 10) },
			index: func() uint64 { return h.srv.store.LatestIndex() },
			write: func() { h.registerJob(t, mock.Job()) },
		},
		{
			name: "single alloc",
			path: func(idx uint64) string {
				return "/v1/allocation/" + allocs[0].ID + "?wait=5s&index=" + strconv.FormatUint(idx, 10)
			},
			index: func() uint64 { a, _ := h.srv.store.AllocByID(nil, allocs[0].ID); return a.ModifyIndex },
			write: func() {
				u := allocs[0].Copy()
				u.ClientStatus = structs.AllocClientStatusComplete
				must(t, h.srv.store.UpdateAllocsFromClient(h.srv.nextIndex(), []*structs.Allocation{u}, 1, nil))
			},
		},
		{
			name: "job evaluations",
			path: func(idx uint64) string {
				return "/v1/job/" + first.ID + "/evaluations?wait=5s&index=" + strconv.FormatUint(idx, 10)
			},
			index: func() uint64 { return h.srv.store.Index(state.TableEvals) },
			write: func() {
				if _, err := h.srv.EvaluateJob(context.Background(), first.Namespace, first.ID); err != nil {
					t.Error(err)
				}
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := tc.index()
			done := make(chan *http.Response, 1)
			go func() {
				resp, err := h.http.Client().Get(h.http.URL + tc.path(before))
				if err != nil {
					t.Error(err)
					close(done)
					return
				}
				resp.Body.Close()
				done <- resp
			}()
			select {
			case resp := <-done:
				t.Fatalf("answered before any write: %v", resp)
			case <-time.After(100 * time.Millisecond):
			}
			tc.write()
			select {
			case resp := <-done:
				if resp == nil || resp.StatusCode != http.StatusOK {
					t.Fatalf("response %v", resp)
				}
				if got := indexOf(t, resp); got <= before {
					t.Fatalf("index %d after write, was %d", got, before)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("blocking query did not wake on write")
			}
		})
	}
}

func TestBlocking_TimesOut(t *testing.T) {
	h := newHarness(t)
	h.registerJob(t, mock.Job())
	idx := h.srv.store.Index(state.TableJobs)
	start := time.Now()
	resp, body := h.do(t, http.MethodGet, "/v1/jobs?index="+strconv.FormatUint(idx, 10)+"&wait=150ms", nil)
	took := time.Since(start)
	if resp.StatusCode != http.StatusOK || indexOf(t, resp) != idx {
		t.Fatalf("%d index %s body %s", resp.StatusCode, resp.Header.Get("X-Nomad-Index"), body)
	}
	if took < 150*time.Millisecond || took > 3*time.Second {
		t.Fatalf("answered after %v, want about 150ms", took)
	}
}

func TestQueryParams(t *testing.T) {
	h := newHarness(t)
	cases := []struct {
		name, path string
		code       int
		check      func(t *testing.T, resp *http.Response, body string)
	}{
		{"index never zero", "/v1/jobs", 200, func(t *testing.T, resp *http.Response, body string) {
			if indexOf(t, resp) != 1 || strings.TrimSpace(body) != "[]" {
				t.Fatalf("index %s body %s", resp.Header.Get("X-Nomad-Index"), body)
			}
		}},
		{"bad index", "/v1/jobs?index=x", 400, nil},
		{"bad wait", "/v1/nodes?index=1&wait=soon", 400, nil},
		{"bad pretty", "/v1/nodes?pretty=perhaps", 400, nil},
		{"pretty", "/v1/agent/self?pretty", 200, func(t *testing.T, _ *http.Response, body string) {
			if !strings.Contains(body, "\n    \"config\"") {
				t.Fatalf("not indented: %s", body)
			}
		}},
		{"compact", "/v1/agent/self", 200, func(t *testing.T, _ *http.Response, body string) {
			if strings.Count(body, "\n") != 1 {
				t.Fatalf("indented without ?pretty: %s", body)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := h.do(t, http.MethodGet, tc.path, nil)
			if resp.StatusCode != tc.code {
				t.Fatalf("%d %s, want %d", resp.StatusCode, body, tc.code)
			}
			if tc.check != nil {
				tc.check(t, resp, string(body))
			}
		})
	}
}

func TestKnownLeaderHeader(t *testing.T) {
	h := newHarness(t)
	for _, leader := range []string{"10.0.0.1:4647", ""} {
		h.srv.setLeader(leader)
		resp, _ := h.do(t, http.MethodGet, "/v1/nodes", nil)
		if got, want := resp.Header.Get("X-Nomad-KnownLeader"), strconv.FormatBool(leader != ""); got != want {
			t.Fatalf("leader %q: KnownLeader %q, want %q", leader, got, want)
		}
	}
}

func TestPanicIsA500(t *testing.T) {
	h := newHarness(t)
	h.srv.stats = func() map[string]map[string]string { panic("boom") }
	resp, body := h.do(t, http.MethodGet, "/v1/agent/self", nil)
	if resp.StatusCode != http.StatusInternalServerError || strings.Contains(string(body), "boom") {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	if resp, _ := h.do(t, http.MethodGet, "/v1/nodes", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("agent unusable after a panic: %d", resp.StatusCode)
	}
}
