package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/drover-project/drover/structs"
)

// recorder is a test server that answers every request with the handler's
// output and remembers the last request.
type recorder struct {
	srv  *httptest.Server
	last *http.Request
	body string
}

func newRecorder(t *testing.T, h func(w http.ResponseWriter, r *http.Request)) (*recorder, *Client) {
	t.Helper()
	rec := &recorder{}
	rec.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		buf, _ := io.ReadAll(r.Body)
		rec.last, rec.body = r, string(buf)
		h(w, r)
	}))
	t.Cleanup(rec.srv.Close)
	c, err := NewClient(&Config{Address: rec.srv.URL, Token: "secret"})
	if err != nil {
		t.Fatal(err)
	}
	return rec, c
}

func TestStatusErrors(t *testing.T) {
	cases := []struct {
		name     string
		code     int
		body     string
		wantMsg  string
		notFound bool
	}{
		{"not found", 404, "job not found", "Unexpected response code: 404 (job not found)", true},
		{"bad request trims", 400, "Job must be specified\n", "Unexpected response code: 400 (Job must be specified)", false},
		{"server error", 500, "no cluster leader", "Unexpected response code: 500 (no cluster leader)", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, c := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tc.code)
				fmt.Fprint(w, tc.body)
			})
			_, _, err := c.Jobs().Info("example", nil)
			if err == nil {
				t.Fatal("want error")
			}
			if err.Error() != tc.wantMsg {
				t.Errorf("message = %q, want %q", err.Error(), tc.wantMsg)
			}
			var se *StatusError
			if !errors.As(fmt.Errorf("wrapped: %w", err), &se) || se.Code != tc.code {
				t.Errorf("errors.As = %v, code %v; want %d", se != nil, se, tc.code)
			}
			if IsNotFound(err) != tc.notFound {
				t.Errorf("IsNotFound = %v", !tc.notFound)
			}
		})
	}
}

func TestQueryParamsAndMeta(t *testing.T) {
	cases := []struct {
		name string
		q    *QueryOptions
		want url.Values
	}{
		{"none", nil, url.Values{}},
		{"blocking", &QueryOptions{WaitIndex: 42, WaitTime: 5 * time.Second},
			url.Values{"index": {"42"}, "wait": {"5s"}}},
		{"prefix and params", &QueryOptions{Prefix: "ab", Params: map[string]string{"all": "true"}},
			url.Values{"prefix": {"ab"}, "all": {"true"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec, c := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("X-Nomad-Index", "43")
				w.Header().Set("X-Nomad-KnownLeader", "true")
				fmt.Fprint(w, `[{"ID":"a1"}]`)
			})
			out, qm, err := c.Allocations().List(tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if len(out) != 1 || out[0].ID != "a1" {
				t.Errorf("decoded %+v", out)
			}
			if qm.LastIndex != 43 || !qm.KnownLeader {
				t.Errorf("meta = %+v", qm)
			}
			if got := rec.last.URL.Query(); got.Encode() != tc.want.Encode() {
				t.Errorf("query = %q, want %q", got.Encode(), tc.want.Encode())
			}
			if rec.last.Header.Get("X-Nomad-Token") != "secret" {
				t.Errorf("token header missing")
			}
		})
	}
}

func TestWrites(t *testing.T) {
	cases := []struct {
		name       string
		call       func(c *Client) error
		wantMethod string
		wantPath   string
		wantQuery  string
		wantBody   string
	}{
		{"register", func(c *Client) error {
			_, err := c.Jobs().Register(&structs.Job{ID: "web"}, nil)
			return err
		}, "PUT", "/v1/jobs", "", `"EnforceIndex":false`},
		{"enforce register", func(c *Client) error {
			_, err := c.Jobs().EnforceRegister(&structs.Job{ID: "web"}, 7, nil)
			return err
		}, "PUT", "/v1/jobs", "", `"EnforceIndex":true,"JobModifyIndex":7`},
		{"deregister purge", func(c *Client) error {
			_, err := c.Jobs().Deregister("web", true, nil)
			return err
		}, "DELETE", "/v1/job/web", "purge=true", ""},
		{"eligibility", func(c *Client) error {
			_, err := c.Nodes().ToggleEligibility("n1", false, nil)
			return err
		}, "PUT", "/v1/node/n1/eligibility", "", `"Eligibility":"ineligible"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec, c := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprint(w, `{"EvalID":"e1","Index":3}`)
			})
			if err := tc.call(c); err != nil {
				t.Fatal(err)
			}
			if rec.last.Method != tc.wantMethod || rec.last.URL.Path != tc.wantPath || rec.last.URL.RawQuery != tc.wantQuery {
				t.Errorf("request = %s %s?%s", rec.last.Method, rec.last.URL.Path, rec.last.URL.RawQuery)
			}
			if tc.wantBody != "" && !contains(rec.body, tc.wantBody) {
				t.Errorf("body %s lacks %s", rec.body, tc.wantBody)
			}
		})
	}
}

func TestLogsPlainStream(t *testing.T) {
	rec, c := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "hello\nworld\n")
	})
	rc, err := c.AllocFS().Logs("a1", "web", "stderr", true, OriginEnd, 100, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	buf, err := io.ReadAll(rc)
	if err != nil || string(buf) != "hello\nworld\n" {
		t.Fatalf("read %q, %v", buf, err)
	}
	want := url.Values{"task": {"web"}, "type": {"stderr"}, "follow": {"true"}, "origin": {"end"},
		"offset": {"100"}, "plain": {"true"}}
	if rec.last.URL.Path != "/v1/client/fs/logs/a1" || rec.last.URL.Query().Encode() != want.Encode() {
		t.Errorf("request %s?%s", rec.last.URL.Path, rec.last.URL.RawQuery)
	}
}

func TestContextCancelsBlockingQuery(t *testing.T) {
	release := make(chan struct{})
	_, c := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	defer close(release)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, _, err := c.Evaluations().Info("e1", (&QueryOptions{WaitIndex: 9}).WithContext(ctx))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want deadline exceeded", err)
	}
}

func TestConfigFromEnv(t *testing.T) {
	cases := []struct {
		name     string
		env      map[string]string
		wantAddr string
		wantTok  string
	}{
		{"default", nil, DefaultAddress, ""},
		{"nomad vars", map[string]string{"NOMAD_ADDR": "http://n:1", "NOMAD_TOKEN": "t1"}, "http://n:1", "t1"},
		{"drover wins", map[string]string{"NOMAD_ADDR": "http://n:1", "DROVER_ADDR": "http://d:2",
			"NOMAD_TOKEN": "t1", "DROVER_TOKEN": "t2"}, "http://d:2", "t2"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := ConfigFromEnv(func(k string) string { return tc.env[k] })
			if cfg.Address != tc.wantAddr || cfg.Token != tc.wantTok {
				t.Errorf("got %q %q", cfg.Address, cfg.Token)
			}
		})
	}
}

func TestNewClientAddress(t *testing.T) {
	cases := []struct {
		addr    string
		want    string
		wantErr bool
	}{
		{"127.0.0.1:4646", "http://127.0.0.1:4646", false},
		{"https://x:1", "https://x:1", false},
		{"ftp://x:1", "", true},
		{"http://", "", true},
	}
	for _, tc := range cases {
		t.Run(tc.addr, func(t *testing.T) {
			c, err := NewClient(&Config{Address: tc.addr})
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v", err)
			}
			if err == nil && c.Address() != tc.want {
				t.Errorf("address = %q", c.Address())
			}
		})
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
