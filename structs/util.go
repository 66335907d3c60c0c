package structs

import (
	"fmt"

	uuid "github.com/hashicorp/go-uuid"
)

// GenerateUUID returns a random UUID. It panics only if the OS has no entropy.
func GenerateUUID() string {
	id, err := uuid.GenerateUUID()
	if err != nil {
		panic(fmt.Sprintf("generating uuid: %v", err))
	}
	return id
}

// ShortID is the 8-character prefix the CLI prints.
func ShortID(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}

func copyStringMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	c := make(map[string]string, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

func copyInterfaceMap(m map[string]interface{}) map[string]interface{} {
	if m == nil {
		return nil
	}
	c := make(map[string]interface{}, len(m))
	for k, v := range m {
		c[k] = copyValue(v)
	}
	return c
}

func copyValue(v interface{}) interface{} {
	switch t := v.(type) {
	case map[string]interface{}:
		return copyInterfaceMap(t)
	case []interface{}:
		out := make([]interface{}, len(t))
		for i, e := range t {
			out[i] = copyValue(e)
		}
		return out
	case []string:
		return append([]string(nil), t...)
	default:
		return v
	}
}
