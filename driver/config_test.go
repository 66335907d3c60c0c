package driver

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

type testConfig struct {
	Command string        `config:"command,required"`
	Args    []string      `config:"args"`
	Count   int           `config:"count"`
	Verbose bool          `config:"verbose"`
	Wait    time.Duration `config:"wait"`
	ignored string
}

func TestDecodeConfig(t *testing.T) {
	cases := []struct {
		name    string
		raw     map[string]interface{}
		want    testConfig
		wantErr string
	}{
		{
			name: "all types",
			raw: map[string]interface{}{
				"command": "/bin/echo", "args": []interface{}{"a", "b"}, "count": float64(3),
				"verbose": true, "wait": "1m30s",
			},
			want: testConfig{Command: "/bin/echo", Args: []string{"a", "b"}, Count: 3, Verbose: true, Wait: 90 * time.Second},
		},
		{
			name: "string slice and int64 and nanosecond duration",
			raw:  map[string]interface{}{"command": "x", "args": []string{"c"}, "count": int64(7), "wait": uint64(5)},
			want: testConfig{Command: "x", Args: []string{"c"}, Count: 7, Wait: 5},
		},
		{name: "missing required", raw: map[string]interface{}{"args": []string{}}, wantErr: `drv: config: missing required field "command"`},
		{name: "nil counts as missing", raw: map[string]interface{}{"command": nil}, wantErr: `missing required field "command"`},
		{name: "unknown key", raw: map[string]interface{}{"command": "x", "comand": "y"}, wantErr: `drv: config: unknown field "comand"`},
		{name: "wrong string type", raw: map[string]interface{}{"command": 3}, wantErr: `field "command": expected a string, got int (3)`},
		{name: "wrong list element", raw: map[string]interface{}{"command": "x", "args": []interface{}{"a", 1}}, wantErr: `field "args": element 1: expected a string`},
		{name: "list not a list", raw: map[string]interface{}{"command": "x", "args": "a b"}, wantErr: `field "args": expected a list of strings`},
		{name: "fractional int", raw: map[string]interface{}{"command": "x", "count": 1.5}, wantErr: `field "count": expected an integer, got 1.5`},
		{name: "bad duration", raw: map[string]interface{}{"command": "x", "wait": "soon"}, wantErr: `field "wait": invalid duration "soon"`},
		{name: "bool type", raw: map[string]interface{}{"command": "x", "verbose": "yes"}, wantErr: `field "verbose": expected a bool`},
		{name: "several errors", raw: map[string]interface{}{"z": 1, "a": 2}, wantErr: `missing required field "command"; unknown field "a"; unknown field "z"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got testConfig
			err := DecodeConfig("drv", tc.raw, &got)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want it to contain %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestDecodeConfigBadTarget(t *testing.T) {
	var s string
	if err := DecodeConfig("drv", nil, &s); err == nil {
		t.Fatal("expected an error for a non-struct target")
	}
}

func FuzzDecodeConfig(f *testing.F) {
	f.Add("command", "/bin/true", "wait", "10s")
	f.Add("args", "x", "count", "3")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string) {
		var c testConfig
		// Must never panic, whatever the keys and values.
		_ = DecodeConfig("drv", map[string]interface{}{k1: v1, k2: []interface{}{v2}}, &c)
	})
}
