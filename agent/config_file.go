package agent

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

// fileConfig is the on-disk agent configuration (Nomad's format). Pointers
// tell "not set" from zero so files and flags merge correctly. Unknown keys
// are errors with file:line, reported by gohcl.
type fileConfig struct {
	Name             *string        `hcl:"name,optional"`
	Region           *string        `hcl:"region,optional"`
	Datacenter       *string        `hcl:"datacenter,optional"`
	DataDir          *string        `hcl:"data_dir,optional"`
	BindAddr         *string        `hcl:"bind_addr,optional"`
	LogLevel         *string        `hcl:"log_level,optional"`
	EnableDebug      *bool          `hcl:"enable_debug,optional"`
	LeaveOnInterrupt *bool          `hcl:"leave_on_interrupt,optional"`
	LeaveOnTerminate *bool          `hcl:"leave_on_terminate,optional"`
	DisableUpdateChk *bool          `hcl:"disable_update_check,optional"`
	Ports            *filePorts     `hcl:"ports,block"`
	Server           *fileServer    `hcl:"server,block"`
	Client           *fileClient    `hcl:"client,block"`
	Plugins          []filePlugin   `hcl:"plugin,block"`
	Advertise        *fileAdvertise `hcl:"advertise,block"`
	Addresses        *fileAdvertise `hcl:"addresses,block"`
	ACL              *fileToggle    `hcl:"acl,block"`
	Vault            *fileToggle    `hcl:"vault,block"`
	Telemetry        *fileTelemetry `hcl:"telemetry,block"`
	Autopilot        *fileAutopilot `hcl:"autopilot,block"`
}

// fileTelemetry is Nomad's telemetry block. Drover always serves
// /v1/metrics in both JSON and Prometheus formats, so prometheus_metrics is
// accepted and needs no action either way.
type fileTelemetry struct {
	PrometheusMetrics *bool `hcl:"prometheus_metrics,optional"`
}

// fileToggle is a block with only an enabled flag, for integrations Drover
// does not have yet (acl, vault): accepted when disabled, so configs written
// for Nomad load, and rejected with a clear error when enabled.
type fileToggle struct {
	Enabled *bool `hcl:"enabled,optional"`
}

type filePorts struct {
	HTTP *int `hcl:"http,optional"`
	RPC  *int `hcl:"rpc,optional"`
	Serf *int `hcl:"serf,optional"`
}

type fileAdvertise struct {
	HTTP *string `hcl:"http,optional"`
	RPC  *string `hcl:"rpc,optional"`
	Serf *string `hcl:"serf,optional"`
}

type fileServer struct {
	Enabled         *bool `hcl:"enabled,optional"`
	BootstrapExpect *int  `hcl:"bootstrap_expect,optional"`
	NumSchedulers   *int  `hcl:"num_schedulers,optional"`
	RaftProtocol    *int  `hcl:"raft_protocol,optional"`
	// Encrypt is the base64 gossip encryption key (16, 24 or 32 bytes).
	Encrypt *string `hcl:"encrypt,optional"`
	// RetryJoin is the legacy spelling of server_join { retry_join }.
	RetryJoin  []string        `hcl:"retry_join,optional"`
	ServerJoin *fileServerJoin `hcl:"server_join,block"`
	// MinHeartbeatTTL and HeartbeatGrace are durations ("10s").
	MinHeartbeatTTL *string `hcl:"min_heartbeat_ttl,optional"`
	HeartbeatGrace  *string `hcl:"heartbeat_grace,optional"`
}

// fileServerJoin is server { server_join { ... } }.
type fileServerJoin struct {
	RetryJoin     []string `hcl:"retry_join,optional"`
	RetryMax      *int     `hcl:"retry_max,optional"`
	RetryInterval *string  `hcl:"retry_interval,optional"`
}

type fileClient struct {
	Enabled   *bool     `hcl:"enabled,optional"`
	NodeClass *string   `hcl:"node_class,optional"`
	NodePool  *string   `hcl:"node_pool,optional"`
	Meta      *fileMeta `hcl:"meta,block"`
	AllocDir  *string   `hcl:"alloc_dir,optional"`
	Servers   []string  `hcl:"servers,optional"`
	// Options are Nomad's free-form client options ("driver.allowlist",
	// "test.tighten_network_timeouts", ...): kept, none interpreted yet.
	Options map[string]string `hcl:"options,optional"`
}

// fileMeta is a block of free-form string attributes: meta { rack = "r1" }.
type fileMeta struct {
	Body hcl.Body `hcl:",remain"`
}

// decode returns the block's attributes as strings.
func (m *fileMeta) decode() (map[string]string, error) {
	attrs, diags := m.Body.JustAttributes()
	if diags.HasErrors() {
		return nil, fmt.Errorf("meta: %w", diags)
	}
	out := make(map[string]string, len(attrs))
	for name, attr := range attrs {
		v, diags := attr.Expr.Value(nil)
		if diags.HasErrors() {
			return nil, fmt.Errorf("meta: %w", diags)
		}
		if v.Type() != cty.String {
			return nil, fmt.Errorf("%s: meta %q must be a string", attr.Range, name)
		}
		out[name] = v.AsString()
	}
	return out, nil
}

type filePlugin struct {
	Name   string   `hcl:"name,label"`
	Config hcl.Body `hcl:"config,remain"`
}

// LoadConfigPaths reads each path (a file, or a directory whose *.hcl and
// *.json files are read in name order) and merges them onto c in order.
func LoadConfigPaths(c *Config, paths []string) error {
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("reading config %s: %w", p, err)
		}
		files := []string{p}
		if info.IsDir() {
			files = nil
			entries, err := os.ReadDir(p)
			if err != nil {
				return fmt.Errorf("reading config dir %s: %w", p, err)
			}
			for _, e := range entries {
				if ext := filepath.Ext(e.Name()); !e.IsDir() && (ext == ".hcl" || ext == ".json") {
					files = append(files, filepath.Join(p, e.Name()))
				}
			}
			sort.Strings(files)
		}
		for _, f := range files {
			if err := loadConfigFile(c, f); err != nil {
				return err
			}
		}
	}
	return nil
}

func loadConfigFile(c *Config, path string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("reading config %s: %w", path, err)
	}
	parser := hclparse.NewParser()
	var file *hcl.File
	var diags hcl.Diagnostics
	if isJSONConfig(path, src) {
		file, diags = parser.ParseJSON(src, path)
	} else {
		file, diags = parser.ParseHCL(src, path)
	}
	if diags.HasErrors() {
		return fmt.Errorf("parsing config: %w", diags)
	}
	var fc fileConfig
	if diags := gohcl.DecodeBody(file.Body, nil, &fc); diags.HasErrors() {
		return fmt.Errorf("config: %w", diags)
	}
	return fc.mergeInto(c)
}

// isJSONConfig tells JSON from HCL: by a .json name, or, for a file named
// neither .json nor .hcl (Nomad's test agent writes its JSON config to a
// temporary file without extension), by a leading '{', which no HCL body
// can start with.
func isJSONConfig(path string, src []byte) bool {
	switch filepath.Ext(path) {
	case ".json":
		return true
	case ".hcl":
		return false
	}
	trimmed := bytes.TrimLeft(src, " \t\r\n")
	return len(trimmed) > 0 && trimmed[0] == '{'
}

// mergeInto applies the file onto c. As in Nomad, a role's enabled flag
// can only be turned on by a file: `agent -dev -config f` keeps dev's server
// and client even when f says "client": {"enabled": false}.
func (fc *fileConfig) mergeInto(c *Config) error {
	setStr(&c.NodeName, fc.Name)
	setStr(&c.Region, fc.Region)
	setStr(&c.Datacenter, fc.Datacenter)
	setStr(&c.DataDir, fc.DataDir)
	setStr(&c.BindAddr, fc.BindAddr)
	setStr(&c.LogLevel, fc.LogLevel)
	if a := fc.Advertise; a != nil {
		setStr(&c.Advertise.HTTP, a.HTTP)
		setStr(&c.Advertise.RPC, a.RPC)
		setStr(&c.Advertise.Serf, a.Serf)
	}
	if fc.EnableDebug != nil {
		c.EnableDebug = *fc.EnableDebug
	}
	if fc.LeaveOnInterrupt != nil {
		c.LeaveOnInterrupt = *fc.LeaveOnInterrupt
	}
	if fc.LeaveOnTerminate != nil {
		c.LeaveOnTerminate = *fc.LeaveOnTerminate
	}
	if p := fc.Ports; p != nil {
		setInt(&c.Ports.HTTP, p.HTTP)
		setInt(&c.Ports.RPC, p.RPC)
		setInt(&c.Ports.Serf, p.Serf)
	}
	if fc.ACL != nil && fc.ACL.Enabled != nil && *fc.ACL.Enabled {
		return errors.New("acl.enabled = true: ACLs are not supported yet; remove the acl block or set enabled = false")
	}
	if fc.Vault != nil && fc.Vault.Enabled != nil && *fc.Vault.Enabled {
		return errors.New("vault.enabled = true: the Vault integration is not supported yet; remove the vault block or set enabled = false")
	}
	if s := fc.Server; s != nil {
		orBool(&c.Server.Enabled, s.Enabled)
		if s.RaftProtocol != nil && *s.RaftProtocol != 3 {
			return fmt.Errorf("server.raft_protocol = %d: only Raft protocol 3 is supported", *s.RaftProtocol)
		}
		setInt(&c.Server.BootstrapExpect, s.BootstrapExpect)
		setInt(&c.Server.NumSchedulers, s.NumSchedulers)
		if s.Encrypt != nil {
			key, err := base64.StdEncoding.DecodeString(*s.Encrypt)
			if err != nil || (len(key) != 16 && len(key) != 24 && len(key) != 32) {
				return errors.New("server.encrypt: want a base64 key of 16, 24 or 32 bytes (e.g. from `openssl rand -base64 32`)")
			}
			c.Server.EncryptKey = key
		}
		c.Server.RetryJoin = append(c.Server.RetryJoin, s.RetryJoin...)
		if j := s.ServerJoin; j != nil {
			c.Server.RetryJoin = append(c.Server.RetryJoin, j.RetryJoin...)
			setInt(&c.Server.RetryMax, j.RetryMax)
			if j.RetryInterval != nil {
				d, err := time.ParseDuration(*j.RetryInterval)
				if err != nil || d <= 0 {
					return fmt.Errorf("server.server_join.retry_interval %q: want a positive duration like \"30s\"", *j.RetryInterval)
				}
				c.Server.RetryInterval = d
			}
		}
		if err := setDuration(&c.Server.MinHeartbeatTTL, s.MinHeartbeatTTL, "server.min_heartbeat_ttl"); err != nil {
			return err
		}
		if err := setDuration(&c.Server.HeartbeatGrace, s.HeartbeatGrace, "server.heartbeat_grace"); err != nil {
			return err
		}
	}
	if cl := fc.Client; cl != nil {
		orBool(&c.Client.Enabled, cl.Enabled)
		setStr(&c.Client.NodeClass, cl.NodeClass)
		setStr(&c.Client.NodePool, cl.NodePool)
		setStr(&c.Client.AllocDir, cl.AllocDir)
		if cl.Meta != nil {
			meta, err := cl.Meta.decode()
			if err != nil {
				return err
			}
			if c.Client.Meta == nil {
				c.Client.Meta = map[string]string{}
			}
			for k, v := range meta {
				c.Client.Meta[k] = v
			}
		}
		for k, v := range cl.Options {
			if c.Client.Options == nil {
				c.Client.Options = map[string]string{}
			}
			c.Client.Options[k] = v
		}
		if len(cl.Servers) > 0 {
			c.Client.Servers = append([]string(nil), cl.Servers...)
		}
	}
	if err := fc.Autopilot.mergeInto(&c.Autopilot); err != nil {
		return err
	}
	for _, p := range fc.Plugins {
		pc, err := decodePlugin(p)
		if err != nil {
			return err
		}
		c.Plugins[p.Name] = pc
	}
	return nil
}

// decodePlugin reads `plugin "<driver>" { config { enabled = true ... } }`.
// The driver's own keys are kept as a map; "enabled" turns it on.
func decodePlugin(p filePlugin) (PluginConfig, error) {
	var wrapper struct {
		Config *struct {
			Rest hcl.Body `hcl:",remain"`
		} `hcl:"config,block"`
	}
	if diags := gohcl.DecodeBody(p.Config, nil, &wrapper); diags.HasErrors() {
		return PluginConfig{}, fmt.Errorf("plugin %q: %w", p.Name, diags)
	}
	pc := PluginConfig{Enabled: true, Config: map[string]interface{}{}}
	if wrapper.Config == nil {
		return pc, nil
	}
	attrs, diags := wrapper.Config.Rest.JustAttributes()
	if diags.HasErrors() {
		return PluginConfig{}, fmt.Errorf("plugin %q config: %w", p.Name, diags)
	}
	for name, attr := range attrs {
		v, diags := attr.Expr.Value(nil)
		if diags.HasErrors() {
			return PluginConfig{}, fmt.Errorf("plugin %q config: %w", p.Name, diags)
		}
		if name == "enabled" {
			if v.Type() != cty.Bool {
				return PluginConfig{}, fmt.Errorf("%s: plugin %q: enabled must be a bool", attr.Range, p.Name)
			}
			pc.Enabled = v.True()
			continue
		}
		raw, err := ctyjson.Marshal(v, v.Type())
		if err != nil {
			return PluginConfig{}, fmt.Errorf("%s: plugin %q: %w", attr.Range, p.Name, err)
		}
		pc.Config[name] = string(raw)
	}
	return pc, nil
}

func setStr(dst *string, v *string) {
	if v != nil {
		*dst = *v
	}
}

// setDuration parses v, when set, into *dst; key names it in the error.
func setDuration(dst *time.Duration, v *string, key string) error {
	if v == nil {
		return nil
	}
	d, err := time.ParseDuration(*v)
	if err != nil || d <= 0 {
		return fmt.Errorf("%s %q: want a positive duration like \"10s\"", key, *v)
	}
	*dst = d
	return nil
}

func setInt(dst *int, v *int) {
	if v != nil {
		*dst = *v
	}
}

// orBool turns *dst on when v is set and true; it never turns it off.
func orBool(dst *bool, v *bool) {
	if v != nil && *v {
		*dst = true
	}
}
