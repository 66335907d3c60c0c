package httpapi

import (
	"strconv"
)

// logParams are the query parameters of /v1/client/fs/logs/<alloc>.
type logParams struct {
	task    string
	logType string
	follow  bool
	plain   bool
	// fromEnd is origin=end: offset counts back from the end of the file.
	fromEnd bool
	offset  int64
}

func parseLogParams(req *request) (*logParams, error) {
	q := req.URL.Query()
	p := &logParams{task: q.Get("task"), logType: q.Get("type")}
	if p.task == "" {
		return nil, badRequest("must include task name")
	}
	if p.logType != "stdout" && p.logType != "stderr" {
		return nil, badRequest("type must be \"stdout\" or \"stderr\", not %q", p.logType)
	}
	switch origin := q.Get("origin"); origin {
	case "", "start":
	case "end":
		p.fromEnd = true
	default:
		return nil, badRequest("origin must be \"start\" or \"end\", not %q", origin)
	}
	if v := q.Get("offset"); v != "" {
		off, err := strconv.ParseInt(v, 10, 64)
		if err != nil || off < 0 {
			return nil, badRequest("invalid offset %q", v)
		}
		p.offset = off
	}
	var err error
	if p.follow, err = req.boolParam("follow", false); err != nil {
		return nil, err
	}
	if p.plain, err = req.boolParam("plain", false); err != nil {
		return nil, err
	}
	return p, nil
}

// allocLogs answers GET /v1/client/fs/logs/<alloc>: a task's stdout or
// stderr, raw (plain=true) or as Nomad's stream of JSON frames, optionally
// following the file until the allocation is terminal.
func (a *api) allocLogs(req *request) (interface{}, error) {
	p, err := parseLogParams(req)
	if err != nil {
		return nil, err
	}
	allocID := req.PathValue("id")
	if a.cfg.Client == nil {
		return nil, notFound("this agent runs no client, so it has no logs for allocation " + allocID)
	}
	path, err := a.cfg.Client.LogFile(allocID, p.task, p.logType)
	if err != nil {
		return nil, err
	}
	return &logStream{api: a, allocID: allocID, path: path, params: *p}, nil
}
