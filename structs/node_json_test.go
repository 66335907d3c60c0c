package structs

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestNodeTimesJSON(t *testing.T) {
	ns := int64(1795602845418502115)
	node := &Node{
		ID:      "n1",
		Drivers: map[string]*DriverInfo{"raw_exec": {Detected: true, Healthy: true, UpdateTime: ns}},
		Events:  []*NodeEvent{{Message: "registered", Timestamp: ns}, {Message: "zero"}},
	}
	b, err := json.Marshal(node)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"UpdateTime":"2026-11-25T`, `"Timestamp":"2026-11-25T`, `"Timestamp":"0001-01-01T00:00:00Z"`, `"Healthy":true`, `"Message":"registered"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON lacks %s: %s", want, b)
		}
	}
	var back Node
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if d := back.Drivers["raw_exec"]; d == nil || d.UpdateTime != ns || !d.Healthy {
		t.Errorf("driver round trip: %+v", d)
	}
	if back.Events[0].Timestamp != ns || back.Events[0].Message != "registered" || back.Events[1].Timestamp != 0 {
		t.Errorf("events round trip: %+v %+v", back.Events[0], back.Events[1])
	}
}
