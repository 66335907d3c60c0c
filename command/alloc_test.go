package command

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/drover-project/drover/structs"
)

// serveAlloc serves the fixture allocation and its prefix list.
func serveAlloc(f *fakeAgent, alloc *structs.Allocation) {
	f.json("GET /v1/allocations", []*structs.AllocListStub{alloc.Stub()})
	f.json("GET /v1/allocation/{id}", alloc)
}

func TestAllocStatus(t *testing.T) {
	restarted := fixtureAlloc(structs.AllocClientStatusRunning)
	st := restarted.TaskStates["hello"]
	st.Restarts, st.LastRestart = 2, now.Add(-30*time.Second)
	restarted.DesiredDescription = "alloc is being migrated"
	restarted.Metrics = &structs.AllocMetric{NodesEvaluated: 3, NodesFiltered: 1, AllocationTime: int64(1500 * time.Microsecond)}
	cases := []struct {
		name  string
		alloc *structs.Allocation
		args  []string
	}{
		{"alloc_status", fixtureAlloc(structs.AllocClientStatusRunning), []string{"5e6f"}},
		{"alloc_status_verbose", restarted, []string{"-verbose", allocID}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeAgent(t)
			serveAlloc(f, tc.alloc)
			r := f.run(append([]string{"alloc", "status"}, tc.args...)...)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.err)
			}
			golden(t, tc.name, r.out)
			if !f.requested("GET /v1/allocations?prefix=" + tc.args[len(tc.args)-1]) {
				t.Errorf("no prefix query: %v", f.requests)
			}
		})
	}
}

func TestAllocPrefixResolution(t *testing.T) {
	other := fixtureAlloc(structs.AllocClientStatusPending)
	other.ID = "5e6f0000-0000-4000-8000-000000000009"
	cases := []struct {
		name    string
		list    []*structs.AllocListStub
		code    int
		wantErr []string
	}{
		{"none", nil, 1, []string{`No allocation(s) with prefix or id "5e6f" found`}},
		{"ambiguous", []*structs.AllocListStub{fixtureAlloc("running").Stub(), other.Stub()}, 1, []string{
			"Prefix matched multiple allocations", "ID        Node ID   Task Group  Version  Desired  Status   Created  Modified",
			"5e6f0000  c0ffee00  app         0        run      pending  56s ago  12s ago"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeAgent(t)
			f.json("GET /v1/allocations", tc.list)
			for _, cmd := range [][]string{{"alloc", "status", "5e6f"}, {"alloc", "logs", "5e6f"}} {
				r := f.run(cmd...)
				if r.code != tc.code {
					t.Errorf("%v: exit %d", cmd, r.code)
				}
				for _, w := range tc.wantErr {
					if !strings.Contains(r.err, w) {
						t.Errorf("%v: stderr lacks %q:\n%s", cmd, w, r.err)
					}
				}
			}
		})
	}
}

// serveLogs serves content as the log of task "hello", honouring origin
// and offset as the agent does.
func serveLogs(f *fakeAgent, content string) {
	f.handle("GET /v1/client/fs/logs/{id}", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Get("task") != "hello" || q.Get("plain") != "true" {
			http.Error(w, "bad task or plain", 400)
			return
		}
		off, _ := strconv.Atoi(q.Get("offset"))
		start := min(off, len(content))
		if q.Get("origin") == "end" {
			start = max(len(content)-off, 0)
		}
		fmt.Fprint(w, content[start:])
	})
}

func TestAllocLogs(t *testing.T) {
	var content strings.Builder
	for i := 1; i <= 15; i++ {
		fmt.Fprintf(&content, "line %d\n", i)
	}
	cases := []struct {
		name      string
		args      []string
		want      string
		wantQuery string
	}{
		{"all", []string{allocID}, content.String(), "follow=false&offset=0&origin=start&plain=true&task=hello&type=stdout"},
		{"explicit task stderr", []string{"-stderr", "5e6f", "hello"}, content.String(), "type=stderr"},
		{"tail default 10", []string{"-tail", "5e6f"}, strings.Join(strings.SplitAfter(content.String(), "\n")[5:], ""), "origin=start"},
		{"n lines", []string{"-n", "2", "5e6f"}, "line 14\nline 15\n", "origin=start"},
		{"c bytes", []string{"-tail", "-c", "8", "5e6f"}, "line 15\n", "offset=8&origin=end"},
		{"follow", []string{"-f", "5e6f"}, content.String(), "follow=true"},
		{"tail then follow from offset", []string{"-f", "-n", "1", "5e6f"}, "line 15\n", "follow=true&offset=" + strconv.Itoa(content.Len())},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeAgent(t)
			serveAlloc(f, fixtureAlloc(structs.AllocClientStatusRunning))
			serveLogs(f, content.String())
			r := f.run(append([]string{"alloc", "logs"}, tc.args...)...)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.err)
			}
			if r.out != tc.want {
				t.Errorf("stdout = %q, want %q", r.out, tc.want)
			}
			found := false
			for _, req := range f.requests {
				found = found || (strings.HasPrefix(req, "GET /v1/client/fs/logs/"+allocID) && strings.Contains(req, tc.wantQuery))
			}
			if !found {
				t.Errorf("no log request with %q: %v", tc.wantQuery, f.requests)
			}
		})
	}
}

func TestAllocLogsTaskChoice(t *testing.T) {
	two := fixtureAlloc(structs.AllocClientStatusRunning)
	tg := two.Job.TaskGroups[0]
	tg.Tasks = append(tg.Tasks, &structs.Task{Name: "sidecar"})
	cases := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"several tasks", []string{"5e6f"}, "Allocation \"5e6f7a8b\" is running the following tasks:\n  * hello\n  * sidecar\n\nPlease specify the task."},
		{"unknown task", []string{"5e6f", "nope"}, "Could not find task named: nope"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeAgent(t)
			serveAlloc(f, two)
			r := f.run(append([]string{"alloc", "logs"}, tc.args...)...)
			if r.code != 1 || !strings.Contains(r.err, tc.wantErr) {
				t.Errorf("exit %d, stderr %q", r.code, r.err)
			}
		})
	}
}

// cancelOnWrite cancels a context once something is written.
type cancelOnWrite struct {
	strings.Builder
	cancel context.CancelFunc
}

func (c *cancelOnWrite) Write(p []byte) (int, error) {
	defer c.cancel()
	return c.Builder.Write(p)
}

func TestAllocLogsFollowInterrupted(t *testing.T) {
	f := newFakeAgent(t)
	serveAlloc(f, fixtureAlloc(structs.AllocClientStatusRunning))
	f.handle("GET /v1/client/fs/logs/{id}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "hello\n")
		w.(http.Flusher).Flush()
		<-r.Context().Done() // a followed stream stays open until the client leaves
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out := &cancelOnWrite{cancel: cancel}
	var errb strings.Builder
	m := &Meta{Ctx: ctx, UI: UI{Out: out, Err: &errb}, Getenv: func(string) string { return f.srv.URL }, Now: func() time.Time { return now }}
	code := RunWithMeta(m, []string{"alloc", "logs", "-f", "5e6f"})
	if code != 0 || out.String() != "hello\n" || errb.Len() != 0 {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out.String(), errb.String())
	}
	if ctx.Err() != context.Canceled {
		t.Errorf("stream ended by %v, want the interrupt", ctx.Err())
	}
}
