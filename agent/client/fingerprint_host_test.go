package client

import (
	"github.com/drover-project/drover/driver"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for rel, content := range files {
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

const cpuinfo = `processor	: 0
model name	: Test CPU 9000
cpu MHz		: 2596.144

processor	: 1
model name	: Test CPU 9000
cpu MHz		: 1200.000
`

func TestReadHostFacts(t *testing.T) {
	cases := []struct {
		name    string
		files   map[string]string
		want    hostFacts
		wantErr string
	}{
		{
			name: "full",
			files: map[string]string{
				"proc/cpuinfo":               cpuinfo,
				"proc/meminfo":               "MemTotal:       2048 kB\nMemFree: 1 kB\n",
				"proc/sys/kernel/osrelease":  "6.1.0-test\n",
				"etc/os-release":             "NAME=\"Debian GNU/Linux\"\nID=debian\nVERSION_ID=\"12\"\n",
				"sys/devices/system/cpu/x/y": "",
			},
			want: hostFacts{cores: 2, mhz: 2596.144, cpuModel: "Test CPU 9000", memBytes: 2048 * 1024,
				kernelVersion: "6.1.0-test", osName: "debian", osVersion: "12"},
		},
		{
			name: "cpufreq max wins over cpuinfo",
			files: map[string]string{
				"proc/cpuinfo": cpuinfo,
				"proc/meminfo": "MemTotal: 1024 kB\n",
				"sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq": "3500000\n",
			},
			want:    hostFacts{cores: 2, mhz: 3500, cpuModel: "Test CPU 9000", memBytes: 1024 * 1024},
			wantErr: "osrelease",
		},
		{
			name:    "missing everything",
			files:   map[string]string{},
			wantErr: "cpuinfo",
		},
		{
			name:    "garbled meminfo",
			files:   map[string]string{"proc/cpuinfo": cpuinfo, "proc/meminfo": "MemTotal: lots kB\n"},
			want:    hostFacts{cores: 2, mhz: 2596.144, cpuModel: "Test CPU 9000"},
			wantErr: `MemTotal "lots"`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			writeFiles(t, root, tc.files)
			got, err := readHostFacts(root)
			if got != tc.want {
				t.Fatalf("facts = %+v, want %+v", got, tc.want)
			}
			if tc.wantErr == "" && err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("error = %v, want %q", err, tc.wantErr)
			}
		})
	}
}

func TestFingerprintUsesFacts(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"proc/cpuinfo": cpuinfo,
		"proc/meminfo": "MemTotal: 4194304 kB\n",
	})
	cases := []struct {
		name            string
		total, memMB    int64
		wantCPU, wantMB int64
	}{
		{"fingerprinted", 0, 0, 5192, 4096},
		{"overridden", 1000, 512, 1000, 512},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := New(&Config{DataDir: t.TempDir(), HostRoot: root, Drivers: map[string]driver.Driver{}, Servers: newFakeServer(),
				CPUTotalCompute: tc.total, MemoryTotalMB: tc.memMB})
			if err != nil {
				t.Fatal(err)
			}
			n := c.Node()
			if n.NodeResources.Cpu.CpuShares != tc.wantCPU || n.NodeResources.Memory.MemoryMB != tc.wantMB {
				t.Fatalf("resources = %+v", n.NodeResources)
			}
			if n.Attributes["cpu.numcores"] != "2" || n.Attributes["cpu.frequency"] != "2596" || n.Attributes["cpu.modelname"] != "Test CPU 9000" {
				t.Fatalf("attributes = %v", n.Attributes)
			}
		})
	}
}
