package httpapi

import (
	memdb "github.com/hashicorp/go-memdb"

	"github.com/drover-project/drover/state"
	"github.com/drover-project/drover/structs"
)

// jobVersionsResponse is Nomad's api.JobVersionsResponse.
type jobVersionsResponse struct {
	Versions []*structs.Job
	// Diffs compare consecutive versions; with one version there are none.
	Diffs []interface{}
}

// jobVersions answers GET /v1/job/<id>/versions. Drover does not keep job
// history yet, so the only version it knows is the current one: the answer
// is that job alone and no diffs. It blocks like any read.
func (a *api) jobVersions(req *request) (interface{}, error) {
	if _, err := req.boolParam("diffs", false); err != nil {
		return nil, err
	}
	ns, id := readNamespace(req), req.PathValue("id")
	var job *structs.Job
	err := a.blocking(req, func(ws memdb.WatchSet, s *state.StateStore) (uint64, error) {
		var err error
		job, err = s.JobByID(ws, ns, id)
		if err != nil || job == nil {
			return s.Index(state.TableJobs), err
		}
		return job.ModifyIndex, nil
	})
	if err != nil {
		return nil, err
	}
	if job == nil {
		return nil, notFound("job versions not found")
	}
	return &jobVersionsResponse{Versions: []*structs.Job{job}, Diffs: []interface{}{}}, nil
}
