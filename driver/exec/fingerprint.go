package exec

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/opencontainers/cgroups"

	"github.com/drover-project/drover/driver"
	"github.com/drover-project/drover/structs"
)

// selfCheckTimeout bounds the container the fingerprint starts.
const selfCheckTimeout = 10 * time.Second

// fingerprinter remembers a passed self-check: starting a container costs
// tens of milliseconds and Fingerprint is called periodically. A failed
// check is tried again next time.
type fingerprinter struct {
	configErr error // the driver's config was invalid

	mu     sync.Mutex
	passed bool
}

// Fingerprint implements driver.Driver. The driver is detected and healthy
// only when it can isolate tasks: it runs as root, the memory, cpu, pids
// and devices cgroup controllers are there, and a container running true
// starts and exits 0 (which also proves the binary's init hook is wired).
func (d *Driver) Fingerprint(ctx context.Context) *structs.DriverInfo {
	info := &structs.DriverInfo{Attributes: map[string]string{}, UpdateTime: time.Now().UnixNano()}
	unhealthy := func(format string, args ...interface{}) *structs.DriverInfo {
		info.HealthDescription = fmt.Sprintf(format, args...)
		return info
	}
	if d.fp.configErr != nil {
		return unhealthy("%v", d.fp.configErr)
	}
	if os.Geteuid() != 0 {
		return unhealthy("exec driver requires root")
	}
	missing, err := missingControllers()
	if err != nil {
		return unhealthy("cgroups not usable: %v", err)
	}
	if len(missing) > 0 {
		return unhealthy("cgroup controllers %s not available", strings.Join(missing, "/"))
	}
	if err := d.selfCheck(ctx); err != nil {
		return unhealthy("exec driver self-check failed: %v", err)
	}
	version := "v1"
	if cgroups.IsCgroup2UnifiedMode() {
		version = "v2"
	}
	info.Detected, info.Healthy, info.HealthDescription = true, true, "Healthy"
	info.Attributes["driver.exec"] = "1"
	info.Attributes["driver.exec.cgroups"] = version
	return info
}

// selfCheck runs true in a throwaway container under the state dir.
func (d *Driver) selfCheck(ctx context.Context) error {
	d.fp.mu.Lock()
	defer d.fp.mu.Unlock()
	if d.fp.passed {
		return nil
	}
	if err := os.MkdirAll(d.cfg.StateDir, 0o700); err != nil {
		return fmt.Errorf("creating state dir: %w", err)
	}
	dir, err := os.MkdirTemp(d.cfg.StateDir, "selfcheck-")
	if err != nil {
		return fmt.Errorf("creating self-check dir: %w", err)
	}
	defer os.RemoveAll(dir)
	cfg := &driver.TaskConfig{
		AllocID:  "selfcheck-" + filepath.Base(dir),
		TaskName: "true",
		Config:   map[string]interface{}{"command": "true"},
		AllocDir: filepath.Join(dir, "alloc"),
		TaskDir:  filepath.Join(dir, "task"),
	}
	for _, p := range []string{cfg.AllocDir, cfg.TaskDir, filepath.Join(cfg.TaskDir, "secrets")} {
		if err := os.MkdirAll(p, 0o755); err != nil {
			return fmt.Errorf("creating self-check dir: %w", err)
		}
	}
	h, err := d.StartTask(ctx, cfg)
	if err != nil {
		return fmt.Errorf("%w (the binary's main must call exec.RunInit when exec.IsInitProcess)", err)
	}
	select {
	case res := <-h.Wait():
		if !res.Successful() {
			return fmt.Errorf("true in a container exited with %+v", *res)
		}
	case <-time.After(selfCheckTimeout):
		_ = h.Kill("SIGKILL", time.Second)
		return fmt.Errorf("true in a container did not exit within %v", selfCheckTimeout)
	}
	d.fp.passed = true
	return nil
}
