package agent

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadConfig_HCLAndJSON(t *testing.T) {
	dir := t.TempDir()
	hclPath := writeFile(t, dir, "a.hcl", `
name       = "dev2"
data_dir   = "/tmp/drover-dev2"
bind_addr  = "127.0.0.1"
datacenter = "dc9"
ports {
  http = 5646
  rpc  = 5647
}
client {
  enabled    = true
  node_class = "gpu"
  meta { rack = "r2" }
}
plugin "raw_exec" {
  config {
    enabled = true
  }
}
plugin "mock" {
  config {
    enabled = false
  }
}
`)
	jsonPath := writeFile(t, dir, "b.json", `{"ports": {"serf": 5648}, "log_level": "warn", "server": {"enabled": true, "bootstrap_expect": 1}}`)

	c := DefaultConfig()
	if err := LoadConfigPaths(c, []string{hclPath, jsonPath}); err != nil {
		t.Fatal(err)
	}
	if c.NodeName != "dev2" || c.DataDir != "/tmp/drover-dev2" || c.Datacenter != "dc9" || c.BindAddr != "127.0.0.1" {
		t.Fatalf("top-level fields: %+v", c)
	}
	if c.Ports != (Ports{HTTP: 5646, RPC: 5647, Serf: 5648}) {
		t.Fatalf("ports merged wrong: %+v", c.Ports)
	}
	if !c.Client.Enabled || c.Client.NodeClass != "gpu" || c.Client.Meta["rack"] != "r2" {
		t.Fatalf("client block: %+v", c.Client)
	}
	if !c.Server.Enabled || c.Server.BootstrapExpect != 1 || c.LogLevel != "warn" {
		t.Fatalf("json file not merged: %+v", c)
	}
	if got := c.EnabledDrivers(); len(got) != 2 || got[0] != "exec" || got[1] != "raw_exec" {
		t.Fatalf("enabled drivers %v", got)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestLoadConfig_Errors(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name, file, body string
		want             []string
	}{
		{"unknown key", "u.hcl", "name = \"x\"\nbogus_key = 1\n", []string{"u.hcl:2", "bogus_key"}},
		{"unknown block", "b.hcl", "ports {\n  htp = 1\n}\n", []string{"b.hcl:2", "htp"}},
		{"malformed", "m.hcl", "name = \n", []string{"m.hcl:1"}},
		{"wrong type", "w.hcl", "ports {\n  http = \"abc\"\n}\n", []string{"w.hcl:2"}},
		{"json unknown key", "j.json", `{"nmae": "x"}`, []string{"j.json:1", "nmae"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := writeFile(t, dir, tc.file, tc.body)
			err := LoadConfigPaths(DefaultConfig(), []string{p})
			if err == nil {
				t.Fatal("expected an error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
	if err := LoadConfigPaths(DefaultConfig(), []string{filepath.Join(dir, "missing.hcl")}); err == nil {
		t.Fatal("missing file must be an error")
	}
}

func TestConfigValidate(t *testing.T) {
	c := DefaultConfig()
	c.BindAddr = "not-an-ip"
	c.LogLevel = "loud"
	err := c.Validate()
	if err == nil {
		t.Fatal("expected errors")
	}
	for _, w := range []string{"enable the server", "data_dir", "bind_addr", "log_level"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error lacks %q: %v", w, err)
		}
	}
	if err := DevConfig().Validate(); err != nil {
		t.Fatalf("dev config invalid: %v", err)
	}
}

// TestLoadConfig_NomadTestAgent loads the JSON the official API client's test
// agent writes: to a file without extension, with acl and vault blocks
// disabled, client options, and roles that a file may turn on but not off.
func TestLoadConfig_NomadTestAgent(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "nomad123456", `{"name":"node-20001","data_dir":"/tmp/nomad99","disable_update_check":true,`+
		`"log_level":"ERROR","ports":{"http":20001,"rpc":20002,"serf":20003},`+
		`"server":{"enabled":true,"bootstrap_expect":1},`+
		`"client":{"enabled":false,"options":{"test.tighten_network_timeouts":"true"}},`+
		`"vault":{"enabled":false},"acl":{"enabled":false},"telemetry":{"prometheus_metrics":true}}`)

	c := DevConfig()
	if err := LoadConfigPaths(c, []string{p}); err != nil {
		t.Fatal(err)
	}
	if c.NodeName != "node-20001" || c.DataDir != "/tmp/nomad99" || c.Ports.HTTP != 20001 {
		t.Fatalf("fields not merged: %+v", c)
	}
	if !c.Client.Enabled || !c.Server.Enabled {
		t.Fatalf("-dev roles must survive enabled=false in a file: %+v %+v", c.Server, c.Client)
	}
	if c.Client.Options["test.tighten_network_timeouts"] != "true" {
		t.Fatalf("client options: %v", c.Client.Options)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}

	c = DefaultConfig()
	if err := LoadConfigPaths(c, []string{p}); err != nil {
		t.Fatal(err)
	}
	if c.Client.Enabled || !c.Server.Enabled || c.LogLevel != "ERROR" {
		t.Fatalf("server-only config: %+v", c)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestLoadConfig_UnsupportedIntegrations(t *testing.T) {
	dir := t.TempDir()
	cases := []struct{ name, body, want string }{
		{"acl", `{"acl":{"enabled":true}}`, "ACLs are not supported"},
		{"vault", "vault {\n  enabled = true\n}\n", "Vault integration is not supported"},
		{"raft protocol", `{"server":{"raft_protocol":2}}`, "raft_protocol = 2"},
		{"acl unknown key", "acl {\n  enabled = false\n  token_ttl = \"30s\"\n}\n", "token_ttl"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := writeFile(t, dir, strings.ReplaceAll(tc.name, " ", "_"), tc.body)
			err := LoadConfigPaths(DefaultConfig(), []string{p})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestExecPluginConfig(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "exec.hcl", `plugin "exec" {
  config {
    allow_host_pid_mode = true
  }
}
`)
	c := DefaultConfig()
	if err := LoadConfigPaths(c, []string{p}); err != nil {
		t.Fatal(err)
	}
	cfg, err := execConfig(dir, c.Plugins["exec"])
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.AllowHostPIDMode || cfg.AllowHostIPCMode {
		t.Fatalf("exec config %+v", cfg)
	}
	bad := writeFile(t, dir, "bad.hcl", `plugin "exec" {
  config {
    allow_host_pid = true
  }
}
`)
	c = DefaultConfig()
	if err := LoadConfigPaths(c, []string{bad}); err != nil {
		t.Fatal(err)
	}
	if _, err := execConfig(dir, c.Plugins["exec"]); err == nil || !strings.Contains(err.Error(), "allow_host_pid") {
		t.Fatalf("unknown exec plugin key: %v", err)
	}
}

func TestAdvertiseAddr(t *testing.T) {
	c := DefaultConfig()
	c.BindAddr = "10.1.2.3"
	if got, err := c.advertiseAddr("", 4647); err != nil || got != "10.1.2.3:4647" {
		t.Fatalf("bound address: %q %v", got, err)
	}
	if got, _ := c.advertiseAddr("192.0.2.7", 4647); got != "192.0.2.7:4647" {
		t.Fatalf("advertise host gets the port: %q", got)
	}
	if got, _ := c.advertiseAddr("192.0.2.7:9000", 4647); got != "192.0.2.7:9000" {
		t.Fatalf("advertise host:port kept: %q", got)
	}
	c.BindAddr = "0.0.0.0"
	got, err := c.advertiseAddr("", 4648)
	if err == nil {
		host, _, _ := net.SplitHostPort(got)
		if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() || ip.IsLoopback() {
			t.Fatalf("unspecified bind must advertise a real private IP, got %q", got)
		}
	} else if !strings.Contains(err.Error(), "advertise") {
		t.Fatalf("no private IP: error must point at the advertise block: %v", err)
	}
}

func TestServerEncryptKey(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "good.hcl", "server {\n  encrypt = \"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\"\n}\n")
	c := DefaultConfig()
	if err := LoadConfigPaths(c, []string{good}); err != nil {
		t.Fatal(err)
	}
	if len(c.Server.EncryptKey) != 32 || c.Server.EncryptKey[31] != 31 {
		t.Fatalf("key %v", c.Server.EncryptKey)
	}
	bad := writeFile(t, dir, "bad.hcl", "server {\n  encrypt = \"c2hvcnQ=\"\n}\n")
	if err := LoadConfigPaths(DefaultConfig(), []string{bad}); err == nil || !strings.Contains(err.Error(), "server.encrypt") {
		t.Fatalf("short key: %v", err)
	}
}

func TestWithPorts(t *testing.T) {
	got := withPorts([]string{"10.0.0.1", "10.0.0.2:9000", "::1", "[::1]:7"}, defaultSerfPort)
	want := []string{"10.0.0.1:4648", "10.0.0.2:9000", "[::1]:4648", "[::1]:7"}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("withPorts = %v, want %v", got, want)
		}
	}
}
