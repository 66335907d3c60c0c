package client

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// hostFacts is what fingerprinting learns about the machine. Zero values
// mean unknown.
type hostFacts struct {
	cores         int
	mhz           float64
	cpuModel      string
	memBytes      uint64
	kernelVersion string
	osName        string
	osVersion     string
}

// readHostFacts reads the machine's facts from the files under root. A fact
// that cannot be read is left zero and its error is returned alongside, so
// the caller may log it and carry on.
func readHostFacts(root string) (hostFacts, error) {
	var f hostFacts
	var errs []error
	if err := withFile(root, "proc/cpuinfo", func(r io.Reader) error {
		var err error
		f.cores, f.mhz, f.cpuModel, err = parseCPUInfo(r)
		return err
	}); err != nil {
		errs = append(errs, err)
	}
	// The nominal maximum is steadier than cpuinfo's current frequency.
	if khz, err := readInt(filepath.Join(root, "sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq")); err == nil && khz > 0 {
		f.mhz = float64(khz) / 1000
	}
	if err := withFile(root, "proc/meminfo", func(r io.Reader) error {
		var err error
		f.memBytes, err = parseMeminfo(r)
		return err
	}); err != nil {
		errs = append(errs, err)
	}
	if b, err := os.ReadFile(filepath.Join(root, "proc/sys/kernel/osrelease")); err == nil {
		f.kernelVersion = strings.TrimSpace(string(b))
	} else {
		errs = append(errs, err)
	}
	if err := withFile(root, "etc/os-release", func(r io.Reader) error {
		f.osName, f.osVersion = parseOSRelease(r)
		return nil
	}); err != nil {
		errs = append(errs, err)
	}
	return f, errors.Join(errs...)
}

func withFile(root, rel string, fn func(io.Reader) error) error {
	path := filepath.Join(root, rel)
	fh, err := os.Open(path)
	if err != nil {
		return err
	}
	defer fh.Close()
	if err := fn(fh); err != nil {
		return fmt.Errorf("parsing %s: %w", path, err)
	}
	return nil
}

func readInt(path string) (int64, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	return strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
}

// parseCPUInfo counts logical CPUs in /proc/cpuinfo and takes the first
// model name and "cpu MHz" it finds.
func parseCPUInfo(r io.Reader) (cores int, mhz float64, model string, err error) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		key, val, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		switch key {
		case "processor":
			cores++
		case "model name":
			if model == "" {
				model = val
			}
		case "cpu MHz":
			if mhz == 0 {
				if v, perr := strconv.ParseFloat(val, 64); perr == nil {
					mhz = v
				}
			}
		}
	}
	if err := sc.Err(); err != nil {
		return 0, 0, "", err
	}
	if cores == 0 {
		return 0, 0, "", errors.New("no processor entries")
	}
	return cores, mhz, model, nil
}

// parseMeminfo returns MemTotal from /proc/meminfo in bytes.
func parseMeminfo(r io.Reader) (uint64, error) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 || fields[0] != "MemTotal:" {
			continue
		}
		n, err := strconv.ParseUint(fields[1], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("MemTotal %q: %w", fields[1], err)
		}
		if len(fields) > 2 && fields[2] == "kB" {
			n *= 1024
		}
		return n, nil
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, errors.New("no MemTotal line")
}

// parseOSRelease returns ID and VERSION_ID from /etc/os-release.
func parseOSRelease(r io.Reader) (name, version string) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		key, val, ok := strings.Cut(strings.TrimSpace(sc.Text()), "=")
		if !ok {
			continue
		}
		val = strings.Trim(val, `"'`)
		switch key {
		case "ID":
			name = val
		case "VERSION_ID":
			version = val
		}
	}
	return name, version
}
