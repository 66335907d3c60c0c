package exec

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/drover-project/drover/driver"
	"github.com/drover-project/drover/structs"
)

func TestMemoryLimitOOMKills(t *testing.T) {
	requireIsolation(t)
	// The shell keeps 200 MB of output in a variable; its limit is 32 MB.
	cfg := testAlloc(t, t.TempDir(), "a1", `x=$(head -c 200M /dev/zero | tr '\0' a); echo survived`)
	cfg.Resources = &structs.Resources{CPU: 100, MemoryMB: 32}
	res := run(t, newTestDriver(t, nil), cfg, 60*time.Second)
	if !res.OOMKilled || res.Successful() {
		t.Fatalf("result = %+v, want OOM killed; stdout %q", res, readFile(t, cfg.StdoutPath))
	}
	t.Logf("result %+v", res)
}

func TestNoOOMUnderLimit(t *testing.T) {
	requireIsolation(t)
	cfg := testAlloc(t, t.TempDir(), "a1", `x=$(head -c 4M /dev/zero | tr '\0' a); echo ${#x}`)
	cfg.Resources = &structs.Resources{CPU: 100, MemoryMB: 32, MemoryMaxMB: 64}
	res := run(t, newTestDriver(t, nil), cfg, 30*time.Second)
	if !res.Successful() || res.OOMKilled {
		t.Fatalf("result = %+v; stderr %s", res, readFile(t, cfg.StderrPath))
	}
}

// A fork bomb is held at the pids limit.
func TestPidsLimitHoldsForkBomb(t *testing.T) {
	requireIsolation(t)
	const limit = 32
	d := newTestDriver(t, func(c *Config) { c.PidsLimit = limit })
	// Each successful fork is counted with builtins only; dash gives up
	// (exits 2, "Cannot fork") at the first fork the cgroup refuses.
	script := `i=0; while [ $i -lt 200 ]; do sleep 30 & i=$((i+1)); echo $i > /local/count; done; echo all-forked`
	cfg := testAlloc(t, t.TempDir(), "a1", script)
	res := run(t, d, cfg, 20*time.Second)
	count, _ := strconv.Atoi(strings.TrimSpace(readFile(t, filepath.Join(cfg.TaskDir, "local", "count"))))
	stderr := readFile(t, cfg.StderrPath)
	if res.Successful() || count >= limit || count < limit/2 || !strings.Contains(strings.ToLower(stderr), "fork") {
		t.Fatalf("result %+v, %d forks succeeded (limit %d), stderr %q", res, count, limit, stderr)
	}
	t.Logf("result %+v, %d forks succeeded (limit %d), stderr %q", res, count, limit, stderr)
}

func TestKill(t *testing.T) {
	requireIsolation(t)
	cases := []struct {
		name       string
		script     string
		timeout    time.Duration
		wantSignal int
		wantCode   int
		minTime    time.Duration
	}{
		// The task traps SIGTERM and carries on: SIGKILL after the timeout.
		{"escalates to SIGKILL", `trap 'echo got-term' TERM; echo ready > /local/ready; while :; do sleep 0.1; done`, 500 * time.Millisecond, 9, 137, 500 * time.Millisecond},
		// A task handling SIGTERM stops gracefully, well within the timeout.
		{"graceful", `trap 'exit 0' TERM; echo ready > /local/ready; while :; do sleep 0.1; done`, 10 * time.Second, 0, 0, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := newTestDriver(t, nil)
			cfg := testAlloc(t, t.TempDir(), "a1", tc.script)
			h, err := d.StartTask(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			waitFile(t, filepath.Join(cfg.TaskDir, "local", "ready"), 5*time.Second)
			cgroupDir := h.(*handle).cgroupPaths["memory"] + h.(*handle).cgroupPaths[""]
			start := time.Now()
			if err := h.Kill("SIGTERM", tc.timeout); err != nil {
				t.Fatal(err)
			}
			took := time.Since(start)
			res := waitResult(t, h, 5*time.Second)
			if res.Signal != tc.wantSignal || res.ExitCode != tc.wantCode || took < tc.minTime || took > tc.timeout+3*time.Second {
				t.Fatalf("result %+v after %v, want signal %d code %d", res, took, tc.wantSignal, tc.wantCode)
			}
			// The container is gone: its state and cgroup are removed.
			if _, err := os.Stat(filepath.Join(d.cfg.StateDir, containerID(cfg.AllocID, cfg.TaskName))); !os.IsNotExist(err) {
				t.Fatalf("container state left behind: %v", err)
			}
			if _, err := os.Stat(cgroupDir); cgroupDir == "" || !os.IsNotExist(err) {
				t.Fatalf("cgroup %q left behind: %v", cgroupDir, err)
			}
			if err := h.Kill("SIGTERM", time.Second); err != nil {
				t.Fatalf("second kill: %v", err)
			}
		})
	}
}

func TestStats(t *testing.T) {
	requireIsolation(t)
	cfg := testAlloc(t, t.TempDir(), "a1", `x=$(head -c 2M /dev/zero | tr '\0' a); echo ready > /local/ready; sleep 30`)
	h, err := newTestDriver(t, nil).StartTask(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Kill("SIGKILL", time.Second)
	waitFile(t, filepath.Join(cfg.TaskDir, "local", "ready"), 10*time.Second)
	sr, ok := h.(driver.StatsReporter)
	if !ok {
		t.Fatal("handle is not a StatsReporter")
	}
	u, err := sr.Stats()
	if err != nil {
		t.Fatal(err)
	}
	m, c := u.ResourceUsage.MemoryStats, u.ResourceUsage.CpuStats
	if m.Usage == 0 || m.MaxUsage < m.Usage || m.RSS == 0 || c.Percent <= 0 {
		t.Fatalf("stats = %+v %+v", *m, *c)
	}
	if err := h.Kill("SIGKILL", time.Second); err != nil {
		t.Fatal(err)
	}
	if _, err := sr.Stats(); err == nil {
		t.Fatal("stats of an exited task succeeded")
	}
}

func TestValidateConfig(t *testing.T) {
	cases := []struct {
		name    string
		cfg     map[string]interface{}
		wantErr string
	}{
		{"ok", map[string]interface{}{"command": "/bin/true"}, ""},
		{"ok with args", map[string]interface{}{"command": "echo", "args": []interface{}{"a"}}, ""},
		{"missing command", map[string]interface{}{"args": []interface{}{"a"}}, `exec: config: missing required field "command"`},
		{"unknown key", map[string]interface{}{"command": "x", "image": "y"}, `exec: config: unknown field "image"`},
		{"bad args", map[string]interface{}{"command": "x", "args": "a"}, `exec: config: field "args": expected a list of strings`},
		{"bad command", map[string]interface{}{"command": 3}, `exec: config: field "command": expected a string`},
	}
	d := New(nil, t.TempDir())
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := d.ValidateConfig(tc.cfg)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error = %v, want %q", err, tc.wantErr)
			}
		})
	}
}

func TestDriverConfigValidate(t *testing.T) {
	cases := []struct {
		name    string
		edit    func(*Config)
		wantErr string
	}{
		{"defaults", func(*Config) {}, ""},
		{"relative state dir", func(c *Config) { c.StateDir = "state" }, `state dir "state" must be an absolute path`},
		{"no pids limit", func(c *Config) { c.PidsLimit = 0 }, "pids limit 0 must be positive"},
		{"chroot onto root", func(c *Config) { c.ChrootEnv = map[string]string{"/usr": "/"} }, `chroot_env "/usr" = "/"`},
		{"chroot onto alloc", func(c *Config) { c.ChrootEnv = map[string]string{"/srv": "/alloc"} }, "/alloc is the task's own"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultConfig("/var/lib/drover/exec")
			tc.edit(&cfg)
			err := cfg.Validate()
			if (tc.wantErr == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("error = %v, want %q", err, tc.wantErr)
			}
		})
	}
	if info := New(nil, "relative").Fingerprint(context.Background()); info.Healthy || !strings.Contains(info.HealthDescription, "state dir") {
		t.Fatalf("fingerprint with a bad config = %+v", info)
	}
}

func TestResourceLimits(t *testing.T) {
	const mb = 1 << 20
	cases := []struct {
		res         structs.Resources
		limit, soft int64
		shares      uint64
	}{
		{structs.Resources{CPU: 500, MemoryMB: 256}, 256 * mb, 0, 500},
		{structs.Resources{CPU: 1, MemoryMB: 256, MemoryMaxMB: 512}, 512 * mb, 256 * mb, 2},
		{structs.Resources{CPU: 1 << 20, MemoryMB: 10}, 10 * mb, 0, 262144},
	}
	for _, tc := range cases {
		cg := cgroupConfig("/drover", "a.t", &tc.res, 7)
		r := cg.Resources
		if r.Memory != tc.limit || r.MemorySwap != tc.limit || r.MemoryReservation != tc.soft || r.CpuShares != tc.shares || *r.PidsLimit != 7 || cg.Path != "/drover/a.t" {
			t.Errorf("%+v: got memory %d swap %d soft %d shares %d pids %d path %s", tc.res, r.Memory, r.MemorySwap, r.MemoryReservation, r.CpuShares, *r.PidsLimit, cg.Path)
		}
	}
}

func TestIsInitProcess(t *testing.T) {
	t.Setenv(initTypeEnv, "")
	os.Unsetenv(initTypeEnv)
	if IsInitProcess([]string{"drover", "init"}) {
		t.Fatal(`"drover init" from a user taken for a container init`)
	}
	t.Setenv(initTypeEnv, "standard")
	if !IsInitProcess([]string{"drover", "init"}) || IsInitProcess([]string{"drover", "agent"}) || IsInitProcess([]string{"drover"}) {
		t.Fatal("init detection wrong with libcontainer's environment")
	}
}

func TestContainerID(t *testing.T) {
	if got := containerID("5f1c-aa", "web server/1"); got != "5f1c-aa.web_server_1" {
		t.Fatalf("id = %q", got)
	}
}
