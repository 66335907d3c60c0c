package exec

import (
	"fmt"
	"os/user"
	"strconv"
)

// taskUser is who a task runs as, resolved on the host: the task's root
// binds the host's /etc, so the names agree inside and out.
type taskUser struct {
	name     string
	uid, gid int
	groups   []int // supplementary groups
}

// lookupUser resolves name (a user name or a numeric uid) through the
// host's user database.
func lookupUser(name string) (*taskUser, error) {
	u, err := user.Lookup(name)
	if err != nil {
		if _, numErr := strconv.Atoi(name); numErr == nil {
			u, err = user.LookupId(name)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("looking up user %q: %w", name, err)
	}
	uid, err := strconv.Atoi(u.Uid)
	if err != nil {
		return nil, fmt.Errorf("user %q: uid %q: %w", name, u.Uid, err)
	}
	gid, err := strconv.Atoi(u.Gid)
	if err != nil {
		return nil, fmt.Errorf("user %q: gid %q: %w", name, u.Gid, err)
	}
	tu := &taskUser{name: name, uid: uid, gid: gid}
	gids, err := u.GroupIds()
	if err != nil {
		return nil, fmt.Errorf("user %q: listing groups: %w", name, err)
	}
	for _, g := range gids {
		n, err := strconv.Atoi(g)
		if err != nil || n == gid {
			continue
		}
		tu.groups = append(tu.groups, n)
	}
	return tu, nil
}
