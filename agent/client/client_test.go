package client

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/drover-project/drover/driver"
	"github.com/drover-project/drover/driver/mock"
	"github.com/drover-project/drover/structs"
)

func TestNodeRegisteredWithFingerprint(t *testing.T) {
	srv := newFakeServer()
	c := testClient(t, srv, func(cfg *Config) {
		cfg.Meta = map[string]string{"rack": "r9"}
		cfg.NodeClass = "big"
		cfg.Reserved = &structs.NodeReservedResources{Memory: structs.NodeReservedMemoryResources{MemoryMB: 128}}
	})
	waitFor(t, "registration", func() bool {
		srv.mu.Lock()
		defer srv.mu.Unlock()
		return srv.nodes[c.NodeID()] != nil
	})
	srv.mu.Lock()
	n := srv.nodes[c.NodeID()]
	srv.mu.Unlock()

	attrs := map[string]string{
		"cpu.arch":                  runtime.GOARCH,
		"kernel.name":               runtime.GOOS,
		"unique.network.ip-address": "10.1.2.3",
		"nomad.version":             "0.1.0",
		"driver.mock":               "1",
		"driver.raw_exec":           "1",
	}
	for k, want := range attrs {
		if got := n.Attributes[k]; got != want {
			t.Errorf("attribute %s = %q, want %q", k, got, want)
		}
	}
	for _, k := range []string{"cpu.numcores", "cpu.frequency", "cpu.totalcompute", "memory.totalbytes", "unique.hostname"} {
		if n.Attributes[k] == "" {
			t.Errorf("attribute %s missing", k)
		}
	}
	if n.NodeResources.Cpu.CpuShares <= 0 || n.NodeResources.Memory.MemoryMB <= 0 {
		t.Errorf("resources = %+v", n.NodeResources)
	}
	if n.ReservedResources.Memory.MemoryMB != 128 {
		t.Errorf("reserved = %+v", n.ReservedResources)
	}
	if d := n.Drivers["mock"]; d == nil || !d.Healthy || !d.Detected || d.UpdateTime == 0 {
		t.Errorf("mock driver info = %+v", d)
	}
	if n.Status != structs.NodeStatusReady || n.Datacenter != "dc1" || n.NodePool != "default" ||
		n.NodeClass != "big" || n.Meta["rack"] != "r9" || n.SecretID == "" {
		t.Errorf("node = %+v", n)
	}
}

func TestNodeIDPersists(t *testing.T) {
	dir := t.TempDir()
	ids := make([]string, 2)
	for i := range ids {
		c, err := New(&Config{DataDir: dir, Drivers: map[string]driver.Driver{}, Servers: newFakeServer()})
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = c.NodeID()
		c.Shutdown() // releases the state DB for the next client
	}
	if ids[0] == "" || ids[0] != ids[1] {
		t.Fatalf("node IDs %v differ across restarts", ids)
	}
	b, err := os.ReadFile(filepath.Join(dir, "client", "node-id"))
	if err != nil || string(b) != ids[0] {
		t.Fatalf("node-id file = %q, %v", b, err)
	}
}

func TestReregisterOnUnknownNode(t *testing.T) {
	srv := newFakeServer()
	srv.ttl = 40 * time.Millisecond
	srv.forgetNodeAfter = 2
	testClient(t, srv, nil)
	waitFor(t, "re-registration", func() bool {
		r, hb, _ := srv.counts()
		return r >= 3 && hb >= 4
	})
}

func TestLogFileErrors(t *testing.T) {
	srv := newFakeServer()
	c := testClient(t, srv, nil)
	a := placeAlloc(srv, c, testJob(structs.JobTypeService, mockTask("web", map[string]interface{}{})))
	waitStatus(t, srv, a.ID, structs.AllocClientStatusRunning)
	cases := []struct {
		name, alloc, task, logType string
		notFound                   bool
		code                       int
	}{
		{"unknown alloc", "nope", "web", "stdout", true, 0},
		{"unknown task", a.ID, "db", "stderr", true, 0},
		{"bad type", a.ID, "web", "stdin", false, http.StatusBadRequest},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.LogFile(tc.alloc, tc.task, tc.logType)
			if err == nil {
				t.Fatal("expected an error")
			}
			if errors.Is(err, structs.ErrNotFound) != tc.notFound {
				t.Fatalf("error %v: not found = %v, want %v", err, !tc.notFound, tc.notFound)
			}
			if code, _ := structs.ErrorCode(err); code != tc.code {
				t.Fatalf("code = %d, want %d", code, tc.code)
			}
		})
	}
}

func TestShutdownLeavesTasksRunning(t *testing.T) {
	srv := newFakeServer()
	c := testClient(t, srv, func(cfg *Config) { cfg.StopTasksOnShutdown = false })
	a := placeAlloc(srv, c, testJob(structs.JobTypeService, mockTask("web", map[string]interface{}{})))
	waitStatus(t, srv, a.ID, structs.AllocClientStatusRunning)
	if err := c.Shutdown(); err != nil {
		t.Fatal(err)
	}
	got := srv.alloc(a.ID)
	if got.ClientStatus != structs.AllocClientStatusRunning || slices.Contains(eventTypes(got.TaskStates["web"]), structs.TaskKilling) {
		t.Fatalf("after shutdown: %s, events %v", got.ClientStatus, eventTypes(got.TaskStates["web"]))
	}
}

func TestShutdownStopsTasksInDevMode(t *testing.T) {
	srv := newFakeServer()
	c := testClient(t, srv, nil)
	a := placeAlloc(srv, c, testJob(structs.JobTypeService, mockTask("web", map[string]interface{}{})))
	waitStatus(t, srv, a.ID, structs.AllocClientStatusRunning)
	if err := c.Shutdown(); err != nil {
		t.Fatal(err)
	}
	// The final status must have been flushed before Shutdown returned.
	if got := srv.alloc(a.ID); got.ClientStatus != structs.AllocClientStatusComplete {
		t.Fatalf("after shutdown: %s", got.ClientStatus)
	}
}

func TestRawExecEnvAndInterpolation(t *testing.T) {
	srv := newFakeServer()
	c := testClient(t, srv, nil)
	task := &structs.Task{
		Name: "sh", Driver: "raw_exec", Env: map[string]string{"FOO": "foo-${NOMAD_GROUP_NAME}"},
		Config: map[string]interface{}{
			"command": "/bin/sh",
			"args": []interface{}{"-c",
				`echo "$NOMAD_ALLOC_ID|$NOMAD_TASK_NAME|$FOO|$1|$(pwd)|$NOMAD_TASK_DIR"; exit 4`,
				"sh", "${attr.unique.network.ip-address}"},
		},
	}
	job := testJob(structs.JobTypeBatch, task)
	job.TaskGroups[0].RestartPolicy.Attempts = 0
	a := placeAlloc(srv, c, job)
	got := waitStatus(t, srv, a.ID, structs.AllocClientStatusFailed)
	if term := got.TaskStates["sh"].Events; !slices.ContainsFunc(term, func(ev *structs.TaskEvent) bool {
		return ev.Type == structs.TaskTerminated && ev.DisplayMessage == "Exit Code: 4"
	}) {
		t.Fatalf("events = %v", eventTypes(got.TaskStates["sh"]))
	}
	path, err := c.LogFile(a.ID, "sh", "stdout")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	taskDir := filepath.Join(c.cfg.AllocDir, a.ID, "sh")
	want := strings.Join([]string{a.ID, "sh", "foo-web", "10.1.2.3", taskDir, filepath.Join(taskDir, "local")}, "|") + "\n"
	if string(b) != want {
		t.Fatalf("stdout = %q, want %q", b, want)
	}
	fi, err := os.Stat(filepath.Join(taskDir, "secrets"))
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("secrets dir: %v %v", fi, err)
	}
}

func TestConfigValidate(t *testing.T) {
	ok := func(c *Config) {}
	cases := []struct {
		name    string
		mutate  func(*Config)
		wantErr string
	}{
		{"valid", ok, ""},
		{"no data dir", func(c *Config) { c.DataDir = "" }, "data dir is required"},
		{"no servers", func(c *Config) { c.Servers = nil }, "servers are required"},
		{"no drivers", func(c *Config) { c.Drivers = nil }, "drivers are required"},
		{"misnamed driver", func(c *Config) { c.Drivers = map[string]driver.Driver{"exec": mock.New()} }, `registered as "exec" calls itself "mock"`},
		{"bad intervals", func(c *Config) { c.MaxRetryInterval = time.Millisecond }, "MaxRetryInterval"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.DataDir = t.TempDir()
			cfg.Servers = newFakeServer()
			cfg.Drivers = map[string]driver.Driver{"mock": mock.New()}
			tc.mutate(cfg)
			err := cfg.Validate()
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error = %v, want %q", err, tc.wantErr)
			}
		})
	}
}
