package command

import (
	"fmt"
	"strings"
	"time"
)

// timeFormat is how absolute times print, as in Nomad.
const timeFormat = "2006-01-02T15:04:05Z07:00"

// columnize aligns "|"-separated rows into columns two spaces apart. The
// last column is not padded.
func columnize(rows []string) string {
	var cells [][]string
	var widths []int
	for _, r := range rows {
		c := strings.Split(r, "|")
		for i, v := range c {
			c[i] = strings.TrimSpace(v)
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			if i < len(c)-1 {
				widths[i] = max(widths[i], len(c[i]))
			}
		}
		cells = append(cells, c)
	}
	var b strings.Builder
	for _, c := range cells {
		for i, v := range c {
			if i == len(c)-1 {
				b.WriteString(v)
				break
			}
			fmt.Fprintf(&b, "%-*s  ", widths[i], v)
		}
		b.WriteByte('\n')
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// formatKV aligns "key|value" rows as "key = value".
func formatKV(rows []string) string {
	width := 0
	for _, r := range rows {
		k, _, _ := strings.Cut(r, "|")
		width = max(width, len(strings.TrimSpace(k)))
	}
	var b strings.Builder
	for i, r := range rows {
		k, v, _ := strings.Cut(r, "|")
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "%-*s = %s", width, strings.TrimSpace(k), strings.TrimSpace(v))
	}
	return b.String()
}

// formatTime prints t in local time, or "N/A" for the zero time.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return "N/A"
	}
	return t.Local().Format(timeFormat)
}

// formatUnixNano prints a Unix nanosecond timestamp, "N/A" for 0.
func formatUnixNano(ns int64) string {
	if ns == 0 {
		return "N/A"
	}
	return formatTime(time.Unix(0, ns))
}

// prettyTimeDiff prints how long before now t was, with at most two units:
// "12s ago", "5m3s ago", "2h15m ago", "3d4h ago". Future times print as
// "0s ago" since clocks of different machines disagree slightly.
func prettyTimeDiff(t, now time.Time) string {
	if t.IsZero() {
		return "N/A"
	}
	d := now.Sub(t).Round(time.Second)
	if d < 0 {
		d = 0
	}
	units := []struct {
		suffix string
		size   time.Duration
	}{{"d", 24 * time.Hour}, {"h", time.Hour}, {"m", time.Minute}, {"s", time.Second}}
	var parts []string
	for _, u := range units {
		n := d / u.size
		d -= n * u.size
		if n > 0 || len(parts) > 0 {
			parts = append(parts, fmt.Sprintf("%d%s", n, u.suffix))
		}
		if len(parts) == 2 {
			break
		}
	}
	if len(parts) == 0 {
		parts = []string{"0s"}
	}
	// "1h0m" reads better as "1h".
	if len(parts) == 2 && strings.HasPrefix(parts[1], "0") {
		parts = parts[:1]
	}
	return strings.Join(parts, "") + " ago"
}

// relOrAbs prints a nanosecond timestamp as a relative time, or absolute
// when verbose.
func (m *Meta) relOrAbs(ns int64, verbose bool) string {
	if verbose || ns == 0 {
		return formatUnixNano(ns)
	}
	return prettyTimeDiff(time.Unix(0, ns), m.Now())
}

// shortID shortens an ID to 8 characters unless verbose.
func shortID(id string, verbose bool) string {
	if verbose || len(id) <= 8 {
		return id
	}
	return id[:8]
}

// orNone prints "<none>" for an empty string, as Nomad does.
func orNone(s string) string {
	if s == "" {
		return "<none>"
	}
	return s
}

// formatMiB prints a size in MiB the way Nomad's humanize.IBytes does:
// "64 MiB", "7.7 GiB", "16 GiB".
func formatMiB(mib int64) string {
	v := float64(mib)
	units := []string{"MiB", "GiB", "TiB", "PiB"}
	i := 0
	for v >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	if v < 10 && v != float64(int64(v)) {
		return fmt.Sprintf("%.1f %s", v, units[i])
	}
	return fmt.Sprintf("%.0f %s", v, units[i])
}

// plural returns "s" unless n is 1.
func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
