package exec

import (
	"context"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestRunExitCodeAndLogs(t *testing.T) {
	requireIsolation(t)
	cases := []struct {
		name     string
		command  string
		script   string
		wantCode int
		wantOut  string
	}{
		{"true", "/bin/true", "", 0, ""},
		{"echo to stdout", "", "echo $GREETING", 0, "hi\n"},
		{"exit code", "", "echo bye; exit 3", 3, "bye\n"},
		{"working dir is the task root", "", "pwd; ls -d /local /tmp /alloc /secrets", 0, "/\n/alloc\n/local\n/secrets\n/tmp\n"},
	}
	d := newTestDriver(t, nil)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testAlloc(t, t.TempDir(), "a1", tc.script)
			if tc.command != "" {
				cfg.Config = map[string]interface{}{"command": tc.command}
			}
			res := run(t, d, cfg, 10*time.Second)
			if res.ExitCode != tc.wantCode || res.Signal != 0 || res.Err != nil || res.OOMKilled {
				t.Fatalf("result = %+v, want exit code %d; stderr: %s", res, tc.wantCode, readFile(t, cfg.StderrPath))
			}
			if out := readFile(t, cfg.StdoutPath); out != tc.wantOut {
				t.Fatalf("stdout = %q, want %q", out, tc.wantOut)
			}
		})
	}
}

// The task sees only its own processes, not the host's.
func TestPidNamespace(t *testing.T) {
	requireIsolation(t)
	// A glob is a shell builtin: no other process exists while it runs.
	cfg := testAlloc(t, t.TempDir(), "a1", `for f in /proc/[0-9]*; do echo $f; done; echo pid=$$`)
	res := run(t, newTestDriver(t, nil), cfg, 10*time.Second)
	if !res.Successful() {
		t.Fatalf("result = %+v; stderr: %s", res, readFile(t, cfg.StderrPath))
	}
	if out := readFile(t, cfg.StdoutPath); out != "/proc/1\npid=1\n" {
		t.Fatalf("processes seen = %q, want only /proc/1", out)
	}
}

// The task cannot reach other allocations, the host's /root or the
// directory tree its own allocation lives in on the host.
func TestFilesystemIsolation(t *testing.T) {
	requireIsolation(t)
	root := t.TempDir()
	other := testAlloc(t, root, "a2", "")
	otherSecret := filepath.Join(other.AllocDir, "data", "secret.txt")
	if err := os.WriteFile(otherSecret, []byte("other alloc's data"), 0o644); err != nil {
		t.Fatal(err)
	}
	hostSecret, err := os.CreateTemp("/root", "exec-test-")
	if err != nil {
		t.Fatal(err)
	}
	hostSecret.Close()
	defer os.Remove(hostSecret.Name())
	script := strings.Join([]string{
		"cat " + otherSecret + " && echo LEAK other-alloc",
		"ls " + filepath.Dir(hostSecret.Name()) + " | grep -q " + filepath.Base(hostSecret.Name()) + " && echo LEAK root",
		"test -e " + root + " && echo LEAK data-dir",
		"echo mine > /alloc/tmp/mine && echo wrote-alloc",
		"touch /usr/evil 2>/dev/null && echo LEAK writable-usr",
		"exit 0",
	}, "\n")
	cfg := testAlloc(t, root, "a1", script)
	res := run(t, newTestDriver(t, nil), cfg, 10*time.Second)
	out := readFile(t, cfg.StdoutPath)
	if !res.Successful() || strings.Contains(out, "LEAK") || !strings.Contains(out, "wrote-alloc") {
		t.Fatalf("result %+v, stdout %q, stderr %q", res, out, readFile(t, cfg.StderrPath))
	}
	if got := readFile(t, filepath.Join(cfg.AllocDir, "tmp", "mine")); got != "mine\n" {
		t.Fatalf("/alloc write landed as %q", got)
	}
}

func TestDefaultUserIsNobody(t *testing.T) {
	requireIsolation(t)
	nobody, err := user.Lookup("nobody")
	if err != nil {
		t.Skip("no nobody user on this host")
	}
	script := `id -u; id -g; echo x > /local/f && echo local-ok; echo x > /tmp/f && echo tmp-ok; echo x > /secrets/f && echo secrets-ok; stat -c %a /secrets; grep CapEff /proc/self/status`
	cfg := testAlloc(t, t.TempDir(), "a1", script)
	res := run(t, newTestDriver(t, nil), cfg, 10*time.Second)
	if !res.Successful() {
		t.Fatalf("result = %+v; stderr: %s", res, readFile(t, cfg.StderrPath))
	}
	want := strings.Join([]string{nobody.Uid, nobody.Gid, "local-ok", "tmp-ok", "secrets-ok", "700", "CapEff:\t0000000000000000"}, "\n") + "\n"
	if out := readFile(t, cfg.StdoutPath); out != want {
		t.Fatalf("stdout = %q, want %q", out, want)
	}
}

func TestRootUserHasOnlyDefaultCapabilities(t *testing.T) {
	requireIsolation(t)
	cfg := testAlloc(t, t.TempDir(), "a1", `id -u; grep CapBnd /proc/self/status`)
	cfg.User = "root"
	res := run(t, newTestDriver(t, nil), cfg, 10*time.Second)
	if !res.Successful() {
		t.Fatalf("result = %+v; stderr: %s", res, readFile(t, cfg.StderrPath))
	}
	// AUDIT_WRITE 29, CHOWN 0, DAC_OVERRIDE 1, FOWNER 3, FSETID 4, KILL 5,
	// MKNOD 27, NET_BIND_SERVICE 10, SETFCAP 31, SETGID 6, SETPCAP 8,
	// SETUID 7, SYS_CHROOT 18.
	var mask uint64
	for _, bit := range []uint{29, 0, 1, 3, 4, 5, 27, 10, 31, 6, 8, 7, 18} {
		mask |= 1 << bit
	}
	want := "0\nCapBnd:\t" + leftPad(strconv.FormatUint(mask, 16), 16) + "\n"
	if out := readFile(t, cfg.StdoutPath); out != want {
		t.Fatalf("stdout = %q, want %q", out, want)
	}
}

func leftPad(s string, n int) string {
	for len(s) < n {
		s = "0" + s
	}
	return s
}

func TestStartErrors(t *testing.T) {
	requireIsolation(t)
	cases := []struct {
		name    string
		config  map[string]interface{}
		user    string
		wantErr string
	}{
		{"invalid config", map[string]interface{}{}, "", `missing required field "command"`},
		{"command not found", map[string]interface{}{"command": "no-such-binary-xyz"}, "", "no-such-binary-xyz"},
		{"unknown user", map[string]interface{}{"command": "/bin/true"}, "no-such-user-xyz", `looking up user "no-such-user-xyz"`},
	}
	d := newTestDriver(t, nil)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testAlloc(t, t.TempDir(), "a1", "")
			cfg.Config, cfg.User = tc.config, tc.user
			h, err := d.StartTask(context.Background(), cfg)
			if err == nil {
				res := waitResult(t, h, 10*time.Second)
				t.Fatalf("started; result %+v, want error %q", res, tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error = %v, want %q", err, tc.wantErr)
			}
		})
	}
	// A failed start leaves no container behind: the same task starts.
	cfg := testAlloc(t, t.TempDir(), "a1", "exit 0")
	if res := run(t, d, cfg, 10*time.Second); !res.Successful() {
		t.Fatalf("start after failures: %+v", res)
	}
}

// Restarting a task reuses its directory and container id.
func TestRestartReusesTaskDir(t *testing.T) {
	requireIsolation(t)
	d := newTestDriver(t, nil)
	cfg := testAlloc(t, t.TempDir(), "a1", "echo run >> /local/runs")
	for i := 0; i < 3; i++ {
		if res := run(t, d, cfg, 10*time.Second); !res.Successful() {
			t.Fatalf("run %d: %+v; stderr %s", i, res, readFile(t, cfg.StderrPath))
		}
	}
	if got := readFile(t, filepath.Join(cfg.TaskDir, "local", "runs")); got != "run\nrun\nrun\n" {
		t.Fatalf("runs = %q", got)
	}
}

func TestFingerprint(t *testing.T) {
	if os.Geteuid() != 0 {
		info := newTestDriver(t, nil).Fingerprint(context.Background())
		if info.Detected || info.Healthy || info.HealthDescription != "exec driver requires root" {
			t.Fatalf("fingerprint as non-root = %+v", info)
		}
		return
	}
	requireIsolation(t)
	info := newTestDriver(t, nil).Fingerprint(context.Background())
	if !info.Detected || !info.Healthy || info.Attributes["driver.exec"] != "1" {
		t.Fatalf("fingerprint = %+v, want detected and healthy", info)
	}
}

// BenchmarkExecTrue measures a task's whole life: create the container,
// run /bin/true, wait for it and destroy the container.
func BenchmarkExecTrue(b *testing.B) {
	requireIsolation(b)
	d := newTestDriver(b, nil)
	cfg := testAlloc(b, b.TempDir(), "bench", "")
	cfg.Config = map[string]interface{}{"command": "/bin/true"}
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		h, err := d.StartTask(context.Background(), cfg)
		if err != nil {
			b.Fatal(err)
		}
		if res := <-h.Wait(); !res.Successful() {
			b.Fatalf("result %+v", res)
		}
	}
	b.ReportMetric(float64(time.Since(start).Microseconds())/1000/float64(b.N), "ms/op")
}

// A binary whose main does not call RunInit makes starts fail quickly with
// an error, rather than hang; Fingerprint's self-check relies on this.
func TestMissingInitHookFailsStart(t *testing.T) {
	requireIsolation(t)
	cfg := testAlloc(t, t.TempDir(), "a1", "exit 0")
	if err := os.WriteFile(filepath.Join(cfg.TaskDir, noInitHookMarker), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	d := newTestDriver(t, nil)
	start := time.Now()
	h, err := d.StartTask(context.Background(), cfg)
	if err == nil {
		t.Fatalf("started without an init hook: %+v", waitResult(t, h, 10*time.Second))
	}
	if time.Since(start) > 5*time.Second {
		t.Fatalf("failing start took %v", time.Since(start))
	}
	t.Logf("error without the hook: %v", err)
	// Nothing is left behind: the next start succeeds.
	os.Remove(filepath.Join(cfg.TaskDir, noInitHookMarker))
	if res := run(t, d, cfg, 10*time.Second); !res.Successful() {
		t.Fatalf("start after the failure: %+v", res)
	}
}
