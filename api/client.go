package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// DefaultAddress is the agent address used when none is configured.
const DefaultAddress = "http://127.0.0.1:4646"

// Config configures a Client.
type Config struct {
	// Address is the agent's HTTP address, "http://host:port". A bare
	// "host:port" is taken as http.
	Address string
	// Token is sent as X-Nomad-Token when set.
	Token string
	// Namespace is sent as ?namespace= when set; QueryOptions.Params may
	// override it per request.
	Namespace string
	// HTTPClient makes the requests; nil means a client without a timeout
	// (blocking queries and log streams last long).
	HTTPClient *http.Client
}

// DefaultConfig returns a Config from the environment: DROVER_ADDR, else
// NOMAD_ADDR, else DefaultAddress; DROVER_TOKEN, else NOMAD_TOKEN;
// DROVER_NAMESPACE, else NOMAD_NAMESPACE.
func DefaultConfig() *Config {
	return ConfigFromEnv(os.Getenv)
}

// ConfigFromEnv is DefaultConfig reading variables through getenv, so
// callers (and tests) can supply their own environment.
func ConfigFromEnv(getenv func(string) string) *Config {
	first := func(names ...string) string {
		for _, n := range names {
			if v := getenv(n); v != "" {
				return v
			}
		}
		return ""
	}
	c := &Config{
		Address:   first("DROVER_ADDR", "NOMAD_ADDR"),
		Token:     first("DROVER_TOKEN", "NOMAD_TOKEN"),
		Namespace: first("DROVER_NAMESPACE", "NOMAD_NAMESPACE"),
	}
	if c.Address == "" {
		c.Address = DefaultAddress
	}
	return c
}

// Client talks to one agent.
type Client struct {
	base      *url.URL
	token     string
	namespace string
	http      *http.Client
}

// NewClient validates cfg and returns a Client.
func NewClient(cfg *Config) (*Client, error) {
	if cfg == nil {
		cfg = DefaultConfig()
	}
	addr := cfg.Address
	if addr == "" {
		addr = DefaultAddress
	}
	if !strings.Contains(addr, "://") {
		addr = "http://" + addr
	}
	u, err := url.Parse(addr)
	if err != nil {
		return nil, fmt.Errorf("invalid address %q: %w", cfg.Address, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("invalid address %q: scheme must be http or https", cfg.Address)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("invalid address %q: no host", cfg.Address)
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{}
	}
	return &Client{base: u, token: cfg.Token, namespace: cfg.Namespace, http: hc}, nil
}

// Address returns the agent address the client uses.
func (c *Client) Address() string { return c.base.String() }

// QueryOptions tune a read.
type QueryOptions struct {
	// WaitIndex makes the read a blocking query: the server answers once
	// its data is newer than this index, or WaitTime has passed.
	WaitIndex uint64
	// WaitTime bounds a blocking query; the server's default applies if 0.
	WaitTime time.Duration
	// Prefix filters lists by ID prefix.
	Prefix string
	// Params are extra query parameters.
	Params map[string]string

	ctx context.Context
}

// WithContext returns a copy of o (or of empty options) whose request is
// cancelled with ctx.
func (o *QueryOptions) WithContext(ctx context.Context) *QueryOptions {
	var c QueryOptions
	if o != nil {
		c = *o
	}
	c.ctx = ctx
	return &c
}

func (o *QueryOptions) context() context.Context {
	if o == nil || o.ctx == nil {
		return context.Background()
	}
	return o.ctx
}

// QueryMeta describes a read's answer.
type QueryMeta struct {
	// LastIndex is X-Nomad-Index: pass it as the next WaitIndex.
	LastIndex uint64
	// KnownLeader is X-Nomad-KnownLeader.
	KnownLeader bool
}

// WriteOptions tune a write.
type WriteOptions struct {
	ctx context.Context
}

// WithContext returns write options whose request is cancelled with ctx.
func (o *WriteOptions) WithContext(ctx context.Context) *WriteOptions {
	return &WriteOptions{ctx: ctx}
}

func (o *WriteOptions) context() context.Context {
	if o == nil || o.ctx == nil {
		return context.Background()
	}
	return o.ctx
}

// params builds the query string for a read.
func (c *Client) params(q *QueryOptions) url.Values {
	v := url.Values{}
	if c.namespace != "" {
		v.Set("namespace", c.namespace)
	}
	if q == nil {
		return v
	}
	if q.WaitIndex > 0 {
		v.Set("index", strconv.FormatUint(q.WaitIndex, 10))
	}
	if q.WaitTime > 0 {
		v.Set("wait", q.WaitTime.String())
	}
	if q.Prefix != "" {
		v.Set("prefix", q.Prefix)
	}
	for k, val := range q.Params {
		v.Set(k, val)
	}
	return v
}

// do sends one request and returns the response when its status is 2xx;
// otherwise it reads the body into a *StatusError. in is sent as JSON, or
// as is when it is an io.Reader. The caller closes the returned body.
func (c *Client) do(ctx context.Context, method, path string, params url.Values, in interface{}) (*http.Response, error) {
	u := *c.base
	u.Path = strings.TrimRight(u.Path, "/") + path
	u.RawQuery = params.Encode()
	var body io.Reader
	contentType := "application/json"
	if r, ok := in.(io.Reader); ok {
		body, contentType = r, "application/octet-stream"
	} else if in != nil {
		buf, err := json.Marshal(in)
		if err != nil {
			return nil, fmt.Errorf("encoding %s %s request: %w", method, path, err)
		}
		body = bytes.NewReader(buf)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return nil, fmt.Errorf("building %s %s request: %w", method, path, err)
	}
	if in != nil {
		req.Header.Set("Content-Type", contentType)
	}
	if c.token != "" {
		req.Header.Set("X-Nomad-Token", c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err // a *url.Error: it names the method and URL
	}
	if resp.StatusCode/100 != 2 {
		defer resp.Body.Close()
		return nil, newStatusError(resp)
	}
	return resp, nil
}

// query GETs path into out.
func (c *Client) query(path string, out interface{}, q *QueryOptions) (*QueryMeta, error) {
	resp, err := c.do(q.context(), http.MethodGet, path, c.params(q), nil)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if err := decode(resp, out); err != nil {
		return nil, fmt.Errorf("GET %s: %w", path, err)
	}
	return parseQueryMeta(resp), nil
}

// write sends in with method (PUT, POST or DELETE) and decodes the answer
// into out when out is not nil.
func (c *Client) write(method, path string, params url.Values, in, out interface{}, w *WriteOptions) error {
	if params == nil {
		params = url.Values{}
	}
	if c.namespace != "" && params.Get("namespace") == "" {
		params.Set("namespace", c.namespace)
	}
	resp, err := c.do(w.context(), method, path, params, in)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if out == nil {
		_, _ = io.Copy(io.Discard, resp.Body) // let the connection be reused
		return nil
	}
	if err := decode(resp, out); err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	return nil
}

func decode(resp *http.Response, out interface{}) error {
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("decoding response: %w", err)
	}
	return nil
}

func parseQueryMeta(resp *http.Response) *QueryMeta {
	m := &QueryMeta{}
	if v := resp.Header.Get("X-Nomad-Index"); v != "" {
		m.LastIndex, _ = strconv.ParseUint(v, 10, 64) // a malformed header just disables blocking
	}
	m.KnownLeader = resp.Header.Get("X-Nomad-KnownLeader") == "true"
	return m
}
