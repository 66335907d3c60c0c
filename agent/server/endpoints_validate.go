package server

import "github.com/drover-project/drover/structs"

// ValidateJob checks a job as RegisterJob would, without storing anything,
// and returns every problem found (none when the job is valid). The job is
// not modified.
func (s *Server) ValidateJob(job *structs.Job) []string {
	if job == nil {
		return []string{"missing job"}
	}
	j := job.Copy()
	j.Canonicalize()
	var out []string
	for _, err := range jobProblems(j, s.config.Drivers) {
		out = append(out, err.Error())
	}
	return out
}
