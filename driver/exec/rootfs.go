package exec

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"github.com/opencontainers/runc/libcontainer/configs"
	"golang.org/x/sys/unix"
)

// Paths of the allocation inside a task's root. The task directory itself
// is the root, so /local and /tmp are the task's own local/ and tmp/.
const (
	allocMount   = "/alloc"
	secretsMount = "/secrets"
	// secretsSize is the size of the in-memory /secrets, as in Nomad.
	secretsSize = "1m"
)

// rootfsPlan is what a task's root is made of: links created in the task
// directory before the container starts, and mounts libcontainer makes
// inside the container's mount namespace. Nothing is mounted on the host,
// so there is nothing to unmount when the task ends.
type rootfsPlan struct {
	links  map[string]string // path in root -> link target
	mounts []*configs.Mount
}

// planRootfs decides how the host paths of chrootEnv appear in the root.
// A host path that is a symlink (merged /usr: /bin -> usr/bin) becomes the
// same symlink when its target is bound too, and otherwise a bind of what
// it points to. Host paths that do not exist are skipped.
func planRootfs(chrootEnv map[string]string) (*rootfsPlan, error) {
	p := &rootfsPlan{links: map[string]string{}}
	dsts := make([]string, 0, len(chrootEnv))
	bySrc := map[string]string{}
	for src, dst := range chrootEnv {
		dsts = append(dsts, dst)
		bySrc[filepath.Clean(src)] = filepath.Clean(dst)
	}
	// Parents before children, so /usr is mounted before /usr/local.
	sort.Strings(dsts)
	srcOf := map[string]string{}
	for src, dst := range chrootEnv {
		srcOf[dst] = src
	}
	for _, dst := range dsts {
		src := filepath.Clean(srcOf[dst])
		fi, err := os.Lstat(src)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("chroot_env %s: %w", src, err)
		}
		if fi.Mode()&os.ModeSymlink != 0 {
			target, err := os.Readlink(src)
			if err != nil {
				return nil, fmt.Errorf("chroot_env %s: %w", src, err)
			}
			resolved, err := filepath.EvalSymlinks(src)
			if errors.Is(err, os.ErrNotExist) {
				continue // dangling on the host: nothing to bind
			}
			if err != nil {
				return nil, fmt.Errorf("chroot_env %s: %w", src, err)
			}
			if src == filepath.Clean(dst) && coveredIdentically(resolved, bySrc) {
				p.links[filepath.Clean(dst)] = target
				continue
			}
			src = resolved
		}
		p.mounts = append(p.mounts, &configs.Mount{
			Source:      src,
			Destination: filepath.Clean(dst),
			Device:      "bind",
			Flags:       unix.MS_BIND | unix.MS_REC | unix.MS_RDONLY | unix.MS_NOSUID | unix.MS_NODEV,
		})
	}
	return p, nil
}

// coveredIdentically reports whether host path p lies under a chroot_env
// entry bound at its own path, so a link to p still resolves in the root.
func coveredIdentically(p string, bySrc map[string]string) bool {
	for src, dst := range bySrc {
		if src == dst && (p == src || strings.HasPrefix(p, src+"/")) {
			return true
		}
	}
	return false
}

// taskMounts are the mounts every task gets besides chroot_env: a fresh
// /proc (its own pid namespace), a minimal /dev, a read-only /sys, the
// shared allocation directory read-write at /alloc, and /secrets.
// secretsHost is the task's secrets directory on the host: when it is a
// mount of its own (the client put a tmpfs there) it is bound, so files the
// client wrote before the start are visible; otherwise /secrets is a new
// tmpfs owned by the task's user, mode 0700.
func taskMounts(allocDir, secretsHost, rootfs string, uid, gid int) []*configs.Mount {
	const noexec = unix.MS_NOEXEC | unix.MS_NOSUID | unix.MS_NODEV
	ms := []*configs.Mount{
		{Source: "proc", Destination: "/proc", Device: "proc", Flags: noexec},
		{Source: "tmpfs", Destination: "/dev", Device: "tmpfs", Flags: unix.MS_NOSUID | unix.MS_STRICTATIME, Data: "mode=755,size=65536k"},
		{Source: "devpts", Destination: "/dev/pts", Device: "devpts", Flags: unix.MS_NOSUID | unix.MS_NOEXEC, Data: "newinstance,ptmxmode=0666,mode=0620,gid=5"},
		{Source: "shm", Destination: "/dev/shm", Device: "tmpfs", Flags: noexec, Data: "mode=1777,size=65536k"},
		{Source: "mqueue", Destination: "/dev/mqueue", Device: "mqueue", Flags: noexec},
		{Source: "sysfs", Destination: "/sys", Device: "sysfs", Flags: noexec | unix.MS_RDONLY},
		{Source: allocDir, Destination: allocMount, Device: "bind", Flags: unix.MS_BIND | unix.MS_REC | unix.MS_NOSUID | unix.MS_NODEV},
	}
	if isMountPoint(secretsHost, rootfs) {
		ms = append(ms, &configs.Mount{Source: secretsHost, Destination: secretsMount, Device: "bind", Flags: unix.MS_BIND | unix.MS_NOSUID | unix.MS_NODEV})
	} else {
		ms = append(ms, &configs.Mount{
			Source: "tmpfs", Destination: secretsMount, Device: "tmpfs", Flags: noexec,
			Data: fmt.Sprintf("mode=0700,size=%s,uid=%d,gid=%d", secretsSize, uid, gid),
		})
	}
	return ms
}

// isMountPoint reports whether dir is on another filesystem than parent.
func isMountPoint(dir, parent string) bool {
	var a, b syscall.Stat_t
	if syscall.Stat(dir, &a) != nil || syscall.Stat(parent, &b) != nil {
		return false
	}
	return a.Dev != b.Dev
}

// prepareRootfs makes rootfs ready for plan: it creates the planned links
// (replacing empty mount-point directories a previous run left) and gives
// the task's user its local/ directory. It is idempotent, so a restarted
// task reuses its directory.
func prepareRootfs(rootfs string, plan *rootfsPlan, uid, gid int) error {
	for dst, target := range plan.links {
		path := filepath.Join(rootfs, dst)
		if cur, err := os.Readlink(path); err == nil && cur == target {
			continue
		}
		if fi, err := os.Lstat(path); err == nil {
			if !fi.IsDir() {
				return fmt.Errorf("preparing root: %s exists and is not the link to %s", path, target)
			}
			// An empty directory is a mount point from an earlier run.
			if err := os.Remove(path); err != nil {
				return fmt.Errorf("preparing root: replacing %s with a link: %w", path, err)
			}
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("preparing root: %w", err)
		}
		if err := os.Symlink(target, path); err != nil {
			return fmt.Errorf("preparing root: %w", err)
		}
	}
	local := filepath.Join(rootfs, "local")
	if err := os.MkdirAll(local, 0o755); err != nil {
		return fmt.Errorf("preparing root: %w", err)
	}
	if err := os.Lchown(local, uid, gid); err != nil {
		return fmt.Errorf("preparing root: giving %s to uid %d: %w", local, uid, err)
	}
	return nil
}
