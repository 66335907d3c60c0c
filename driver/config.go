package driver

import (
	"fmt"
	"math"
	"reflect"
	"sort"
	"strings"
	"time"
)

// DecodeConfig decodes a task's free-form driver config into out, a pointer
// to a struct whose fields carry `config:"name"` or `config:"name,required"`
// tags. Supported field types are string, []string, int, int64, bool and
// time.Duration (written as "10s", or as integer nanoseconds).
//
// Decoding is strict: unknown keys, missing required keys and values of the
// wrong type are errors, prefixed with the driver's name, e.g.
//
//	raw_exec: config: missing required field "command"
func DecodeConfig(driverName string, raw map[string]interface{}, out interface{}) error {
	v := reflect.ValueOf(out)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("%s: config: decode target must be a pointer to a struct, got %T", driverName, out)
	}
	v = v.Elem()
	t := v.Type()
	known := make(map[string]bool, t.NumField())
	var errs []string
	for i := 0; i < t.NumField(); i++ {
		name, required, ok := parseTag(t.Field(i).Tag.Get("config"))
		if !ok {
			continue
		}
		known[name] = true
		val, present := raw[name]
		if !present || val == nil {
			if required {
				errs = append(errs, fmt.Sprintf("missing required field %q", name))
			}
			continue
		}
		if err := setField(v.Field(i), val); err != nil {
			errs = append(errs, fmt.Sprintf("field %q: %v", name, err))
		}
	}
	var unknown []string
	for k := range raw {
		if !known[k] {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	for _, k := range unknown {
		errs = append(errs, fmt.Sprintf("unknown field %q", k))
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s: config: %s", driverName, strings.Join(errs, "; "))
	}
	return nil
}

func parseTag(tag string) (name string, required, ok bool) {
	if tag == "" || tag == "-" {
		return "", false, false
	}
	parts := strings.Split(tag, ",")
	for _, p := range parts[1:] {
		if p == "required" {
			required = true
		}
	}
	return parts[0], required, true
}

var durationType = reflect.TypeOf(time.Duration(0))

func setField(f reflect.Value, val interface{}) error {
	if f.Type() == durationType {
		d, err := toDuration(val)
		if err != nil {
			return err
		}
		f.SetInt(int64(d))
		return nil
	}
	switch f.Kind() {
	case reflect.String:
		s, ok := val.(string)
		if !ok {
			return fmt.Errorf("expected a string, got %s", describe(val))
		}
		f.SetString(s)
	case reflect.Bool:
		b, ok := val.(bool)
		if !ok {
			return fmt.Errorf("expected a bool, got %s", describe(val))
		}
		f.SetBool(b)
	case reflect.Int, reflect.Int64:
		n, err := toInt(val)
		if err != nil {
			return err
		}
		f.SetInt(n)
	case reflect.Slice:
		if f.Type().Elem().Kind() != reflect.String {
			return fmt.Errorf("unsupported field type %s", f.Type())
		}
		list, err := toStrings(val)
		if err != nil {
			return err
		}
		f.Set(reflect.ValueOf(list))
	default:
		return fmt.Errorf("unsupported field type %s", f.Type())
	}
	return nil
}

// toInt accepts every integer type and integral floats (JSON numbers).
func toInt(val interface{}) (int64, error) {
	rv := reflect.ValueOf(val)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int(), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if rv.Uint() > math.MaxInt64 {
			return 0, fmt.Errorf("number %d is too large", rv.Uint())
		}
		return int64(rv.Uint()), nil
	case reflect.Float32, reflect.Float64:
		fl := rv.Float()
		if fl != math.Trunc(fl) || fl > math.MaxInt64 || fl < math.MinInt64 {
			return 0, fmt.Errorf("expected an integer, got %v", fl)
		}
		return int64(fl), nil
	}
	return 0, fmt.Errorf("expected an integer, got %s", describe(val))
}

func toDuration(val interface{}) (time.Duration, error) {
	if s, ok := val.(string); ok {
		d, err := time.ParseDuration(s)
		if err != nil {
			return 0, fmt.Errorf("invalid duration %q: %w", s, err)
		}
		return d, nil
	}
	n, err := toInt(val)
	if err != nil {
		return 0, fmt.Errorf("expected a duration such as \"10s\", got %s", describe(val))
	}
	return time.Duration(n), nil
}

func toStrings(val interface{}) ([]string, error) {
	switch l := val.(type) {
	case []string:
		return append([]string(nil), l...), nil
	case []interface{}:
		out := make([]string, len(l))
		for i, e := range l {
			s, ok := e.(string)
			if !ok {
				return nil, fmt.Errorf("element %d: expected a string, got %s", i, describe(e))
			}
			out[i] = s
		}
		return out, nil
	}
	return nil, fmt.Errorf("expected a list of strings, got %s", describe(val))
}

func describe(val interface{}) string {
	if val == nil {
		return "null"
	}
	return fmt.Sprintf("%T (%v)", val, val)
}
