package exec

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/opencontainers/cgroups"

	"github.com/drover-project/drover/structs"
)

func TestNamespaceModes(t *testing.T) {
	requireIsolation(t)
	hostIPC, err := os.Readlink("/proc/self/ns/ipc")
	if err != nil {
		t.Fatal(err)
	}
	me := strconv.Itoa(os.Getpid())
	// The script lists the pids it sees (a glob is a builtin) and its ipc
	// namespace.
	const script = `for f in /proc/[0-9]*; do echo ${f#/proc/}; done > /local/pids; readlink /proc/self/ns/ipc > /local/ipc`
	cases := []struct {
		name             string
		pidMode, ipcMode string
		allow            bool
		wantErr          string
		seesHostPIDs     bool
		hostIPC          bool
	}{
		{name: "private by default"},
		{name: "private explicitly", pidMode: "private", ipcMode: "private"},
		{name: "host pid allowed", pidMode: "host", allow: true, seesHostPIDs: true},
		{name: "host ipc allowed", ipcMode: "host", allow: true, hostIPC: true},
		{name: "host pid refused", pidMode: "host", wantErr: `pid_mode "host" is not allowed on this node`},
		{name: "host ipc refused", ipcMode: "host", wantErr: `ipc_mode "host" is not allowed on this node`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := newTestDriver(t, func(c *Config) { c.AllowHostPIDMode, c.AllowHostIPCMode = tc.allow, tc.allow })
			cfg := testAlloc(t, t.TempDir(), "a1", script)
			cfg.Config["pid_mode"], cfg.Config["ipc_mode"] = tc.pidMode, tc.ipcMode
			if tc.pidMode == "" {
				delete(cfg.Config, "pid_mode")
			}
			if tc.ipcMode == "" {
				delete(cfg.Config, "ipc_mode")
			}
			h, err := d.StartTask(context.Background(), cfg)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("start error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res := waitResult(t, h, 10*time.Second); !res.Successful() {
				t.Fatalf("result %+v; stderr %s", res, readFile(t, cfg.StderrPath))
			}
			pids := strings.Fields(readFile(t, filepath.Join(cfg.TaskDir, "local", "pids")))
			seesMe := false
			for _, p := range pids {
				seesMe = seesMe || p == me
			}
			if seesMe != tc.seesHostPIDs || (!tc.seesHostPIDs && len(pids) != 1) {
				t.Fatalf("task saw pids %v; host pids visible = %v, want %v", pids, seesMe, tc.seesHostPIDs)
			}
			ipc := strings.TrimSpace(readFile(t, filepath.Join(cfg.TaskDir, "local", "ipc")))
			if (ipc == hostIPC) != tc.hostIPC {
				t.Fatalf("task's ipc namespace %s, host's %s; want shared = %v", ipc, hostIPC, tc.hostIPC)
			}
		})
	}
}

func TestValidateModes(t *testing.T) {
	d := New(nil, t.TempDir())
	for _, mode := range []string{"private", "host"} {
		if err := d.ValidateConfig(map[string]interface{}{"command": "x", "pid_mode": mode, "ipc_mode": mode}); err != nil {
			t.Errorf("mode %q: %v", mode, err)
		}
	}
	err := d.ValidateConfig(map[string]interface{}{"command": "x", "pid_mode": "container", "ipc_mode": "shareable"})
	if err == nil || !strings.Contains(err.Error(), `pid_mode "container" must be "private" or "host"`) || !strings.Contains(err.Error(), `ipc_mode "shareable"`) {
		t.Fatalf("bad modes: %v", err)
	}
}

func TestCPUQuota(t *testing.T) {
	cases := []struct {
		name    string
		res     *structs.Resources
		hard    bool
		mhz     float64
		want    int64
		wantErr string
	}{
		{name: "shares only", res: &structs.Resources{CPU: 500}, mhz: 2000},
		{name: "cores", res: &structs.Resources{Cores: 2}, want: 200000},
		{name: "cores win over hard limit", res: &structs.Resources{CPU: 100, Cores: 1}, hard: true, mhz: 1000, want: 100000},
		{name: "hard limit", res: &structs.Resources{CPU: 500}, hard: true, mhz: 2000, want: 25000},
		{name: "hard limit over several cores", res: &structs.Resources{CPU: 3000}, hard: true, mhz: 2000, want: 150000},
		{name: "kernel minimum", res: &structs.Resources{CPU: 1}, hard: true, mhz: 3000, want: minCPUQuota},
		{name: "unknown MHz", res: &structs.Resources{CPU: 500}, hard: true, wantErr: "MHz per core is unknown"},
		{name: "no resources", hard: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := cpuQuota(tc.res, tc.hard, tc.mhz)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("quota %d (%v), want %d", got, err, tc.want)
			}
		})
	}
}

// The quota reaches the task's cgroup, on v1 or v2.
func TestCPUQuotaInCgroup(t *testing.T) {
	requireIsolation(t)
	cases := []struct {
		name      string
		res       structs.Resources
		hardLimit bool
		want      int64 // -1: no quota
	}{
		{"no quota", structs.Resources{CPU: 500, MemoryMB: 64}, false, -1},
		{"cores", structs.Resources{Cores: 1, MemoryMB: 64}, false, 100000},
		{"hard limit", structs.Resources{CPU: 500, MemoryMB: 64}, true, 25000},
	}
	d := newTestDriver(t, nil)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testAlloc(t, t.TempDir(), "a1", "echo ready > /local/ready; exec sleep 60")
			cfg.Resources = &tc.res
			cfg.CPUMHzPerCore = 2000
			if tc.hardLimit {
				cfg.Config["cpu_hard_limit"] = true
			}
			h, err := d.StartTask(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer h.Kill("SIGKILL", time.Second)
			waitFile(t, filepath.Join(cfg.TaskDir, "local", "ready"), 10*time.Second)
			quota, period := readCFS(t, h.(*handle).cgroupPaths)
			if quota != tc.want || (tc.want > 0 && period != cpuPeriod) {
				t.Fatalf("cgroup quota %d period %d, want quota %d period %d", quota, period, tc.want, cpuPeriod)
			}
		})
	}
	cfg := testAlloc(t, t.TempDir(), "a2", "true")
	cfg.Config["cpu_hard_limit"] = true
	if _, err := d.StartTask(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "MHz per core is unknown") {
		t.Fatalf("hard limit without the node's MHz: %v", err)
	}
}

// readCFS reads the CFS quota (-1 for none) and period of a cgroup.
func readCFS(t *testing.T, paths map[string]string) (quota, period int64) {
	t.Helper()
	if cgroups.IsCgroup2UnifiedMode() {
		f := strings.Fields(readFile(t, filepath.Join(paths[""], "cpu.max")))
		if len(f) != 2 {
			t.Fatalf("cpu.max = %v", f)
		}
		period, _ = strconv.ParseInt(f[1], 10, 64)
		if f[0] == "max" {
			return -1, period
		}
		quota, _ = strconv.ParseInt(f[0], 10, 64)
		return quota, period
	}
	quota, err := strconv.ParseInt(strings.TrimSpace(readFile(t, filepath.Join(paths["cpu"], "cpu.cfs_quota_us"))), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	period, err = strconv.ParseInt(strings.TrimSpace(readFile(t, filepath.Join(paths["cpu"], "cpu.cfs_period_us"))), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return quota, period
}
