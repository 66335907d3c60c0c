package client

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"

	"github.com/hashicorp/go-hclog"

	"github.com/drover-project/drover/agent/client/allocdir"
	"github.com/drover-project/drover/driver"
	"github.com/drover-project/drover/driver/mock"
	"github.com/drover-project/drover/structs"
	smock "github.com/drover-project/drover/structs/mock"
)

// recordingHook implements every optional hook interface and records calls.
type recordingHook struct {
	mu          sync.Mutex
	calls       []string
	prestartErr error
}

func (h *recordingHook) Name() string { return "recorder" }

func (h *recordingHook) record(s string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.calls = append(h.calls, s)
}

func (h *recordingHook) Prestart(ctx context.Context, req *prestartRequest) error {
	h.record("prestart")
	if req.Config.TaskDir == "" || req.Config.StdoutPath == "" || req.Config.Env["NOMAD_TASK_NAME"] != req.Task.Name {
		return errors.New("earlier hooks did not fill the config in")
	}
	return h.prestartErr
}

func (h *recordingHook) Poststart(ctx context.Context, req *hookRequest) error {
	h.record("poststart")
	return nil
}

func (h *recordingHook) Exited(ctx context.Context, req *hookRequest) error {
	h.record("exited")
	return nil
}

func (h *recordingHook) Stop(ctx context.Context, req *hookRequest) error {
	h.record("stop")
	return nil
}

func TestTaskHooks(t *testing.T) {
	cases := []struct {
		name        string
		cfg         map[string]interface{}
		attempts    int
		prestartErr error
		wantCalls   []string
		wantFailed  bool
		wantLast    string
	}{
		{
			name: "full life with a restart", cfg: map[string]interface{}{"run_for": "1ms", "exit_code": 1}, attempts: 1,
			wantCalls:  []string{"prestart", "poststart", "exited", "prestart", "poststart", "exited", "stop"},
			wantFailed: true, wantLast: structs.TaskNotRestarting,
		},
		{
			name: "prestart failure", cfg: map[string]interface{}{"run_for": "1ms"}, attempts: 1,
			prestartErr: errors.New("no secrets today"),
			wantCalls:   []string{"prestart", "stop"},
			wantFailed:  true, wantLast: structs.TaskSetupFailure,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			hook := &recordingHook{prestartErr: tc.prestartErr}
			root := t.TempDir()
			node := smock.Node()
			deps := &runnerDeps{
				logger:   hclog.NewNullLogger(),
				clock:    SystemClock{},
				drivers:  map[string]driver.Driver{"mock": mock.New()},
				node:     func() *structs.Node { return node },
				region:   "global",
				allocDir: func(id string) *allocdir.AllocDir { return allocdir.New(root, id) },
				dirty:    func(string, statusSource) {},
				nodeID:   node.ID,
			}
			deps.hooks = func() []taskHook { return append(defaultTaskHooks(deps), hook) }
			job := testJob(structs.JobTypeBatch, mockTask("t", tc.cfg))
			job.TaskGroups[0].RestartPolicy.Attempts = tc.attempts
			alloc := smock.Alloc(job, node, 0)
			ar := newAllocRunner(deps, alloc)
			ar.Run(context.Background())

			if !reflect.DeepEqual(hook.calls, tc.wantCalls) {
				t.Fatalf("hook calls = %v, want %v", hook.calls, tc.wantCalls)
			}
			st := ar.clientAlloc().TaskStates["t"]
			if st.Failed != tc.wantFailed || st.Events[len(st.Events)-1].Type != tc.wantLast {
				t.Fatalf("state failed=%v events=%v", st.Failed, eventTypes(st))
			}
		})
	}
}
