package jobspec

import (
	"strings"
	"testing"
)

// parseConfig parses body as the content of a task's config block.
func parseConfig(body string) (map[string]interface{}, error) {
	src := "job \"j\" {\n  group \"g\" {\n    task \"t\" {\n      config {\n" + body + "\n      }\n    }\n  }\n}\n"
	job, err := Parse("config.hcl", []byte(src))
	if err != nil {
		return nil, err
	}
	return job.TaskGroups[0].Tasks[0].Config, nil
}

func TestConfigGoTypes(t *testing.T) {
	tests := []struct {
		name string
		body string
		want map[string]interface{}
	}{
		{"empty", ``, map[string]interface{}{}},
		{"string", `a = "x"`, map[string]interface{}{"a": "x"}},
		{"int", `a = 42`, map[string]interface{}{"a": 42}},
		{"negative int", `a = -7`, map[string]interface{}{"a": -7}},
		{"float", `a = 1.25`, map[string]interface{}{"a": 1.25}},
		{"whole float is int", `a = 2.0`, map[string]interface{}{"a": 2}},
		{"too big for int is float", `a = 1e30`, map[string]interface{}{"a": 1e30}},
		{"bool", `a = true`, map[string]interface{}{"a": true}},
		{"null", `a = null`, map[string]interface{}{"a": nil}},
		{"mixed list", `a = ["x", 1, false]`, map[string]interface{}{"a": []interface{}{"x", 1, false}}},
		{"empty list", `a = []`, map[string]interface{}{"a": []interface{}{}}},
		{"nested object", `a = { b = { c = [1] } }`, map[string]interface{}{
			"a": map[string]interface{}{"b": map[string]interface{}{"c": []interface{}{1}}},
		}},
		{"single block is a map", "b {\n x = 1\n}", map[string]interface{}{
			"b": map[string]interface{}{"x": 1},
		}},
		{"repeated blocks are a list in order", "b {\n x = 1\n}\nc {}\nb {\n x = 2\n}", map[string]interface{}{
			"b": []interface{}{map[string]interface{}{"x": 1}, map[string]interface{}{"x": 2}},
			"c": map[string]interface{}{},
		}},
		{"nested blocks", "b {\n c {\n d = \"e\"\n }\n}", map[string]interface{}{
			"b": map[string]interface{}{"c": map[string]interface{}{"d": "e"}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseConfig(tt.body)
			if err != nil {
				t.Fatal(err)
			}
			assertEqual(t, got, tt.want)
		})
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		body string
		want string
	}{
		{"attribute and block share a name", "b = 1\nb {}", `config.hcl:6,1-2: Duplicate config key; "b" is defined both as an attribute (at config.hcl:5,1-2)`},
		{"labelled block", `b "x" {}`, "config.hcl:5,3-6: Unsupported block labels"},
		{"error in nested block", "b {\n x = y\n}", "config.hcl:6,6-7: Variables not allowed"},
		{"ambiguous object key", `a = { b.c = 1 }`, "config.hcl:5,7-10: Ambiguous attribute key"},
		{"duplicate attribute", "a = 1\na = 2", "config.hcl:6,1-2: Attribute redefined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseConfig(tt.body)
			if err == nil {
				t.Fatalf("got %#v, want an error", got)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}

func TestConfigRepeated(t *testing.T) {
	src := `job "j" {
  group "g" {
    task "t" {
      config {}
      config {}
    }
  }
}`
	_, err := Parse("c.hcl", []byte(src))
	if err == nil || !strings.Contains(err.Error(), "c.hcl:5,7-13: Duplicate config block") {
		t.Fatalf("got %v, want a duplicate config block error at c.hcl:5,7", err)
	}
}
