package server

import (
	"github.com/drover-project/drover/structs"
)

func (f *FSM) applyJobRegister(buf []byte, index uint64) interface{} {
	var req structs.JobRegisterRequest
	decode(buf, &req, index)
	job := req.Job
	job.SubmitTime = req.SubmitTime
	evals := evalSlice(req.Eval)
	if err := f.State().UpsertJob(index, job, evals); err != nil {
		f.logger.Error("job register failed", "job", job.ID, "error", err)
		return err
	}
	f.sink.EvalsCommitted(f.storedEvals(evals))
	return nil
}

func (f *FSM) applyJobDeregister(buf []byte, index uint64) interface{} {
	var req structs.JobDeregisterRequest
	decode(buf, &req, index)
	s := f.State()
	evals := evalSlice(req.Eval)
	var err error
	if req.Purge {
		err = s.DeleteJob(index, req.Namespace, req.JobID, evals)
	} else {
		var job *structs.Job
		job, err = s.JobByID(nil, req.Namespace, req.JobID)
		if err == nil && job == nil {
			err = structs.NewCodedError(404, "job %q not found", req.JobID)
		}
		if err == nil {
			stopped := job.Copy()
			stopped.Stop = true
			err = s.UpsertJob(index, stopped, evals)
		}
	}
	if err != nil {
		f.logger.Error("job deregister failed", "job", req.JobID, "error", err)
		return err
	}
	f.sink.EvalsCommitted(f.storedEvals(evals))
	return nil
}

func (f *FSM) applyEvalUpdate(buf []byte, index uint64) interface{} {
	var req structs.EvalUpdateRequest
	decode(buf, &req, index)
	if err := f.State().UpsertEvals(index, req.Evals); err != nil {
		f.logger.Error("eval update failed", "error", err)
		return err
	}
	f.sink.EvalsCommitted(f.storedEvals(req.Evals))
	return nil
}

// storedEvals returns the evals as stored (with their indexes), so that the
// broker hands workers the same objects a reader would see.
func (f *FSM) storedEvals(evals []*structs.Evaluation) []*structs.Evaluation {
	out := make([]*structs.Evaluation, 0, len(evals))
	s := f.State()
	for _, e := range evals {
		if stored, err := s.EvalByID(nil, e.ID); err == nil && stored != nil {
			out = append(out, stored)
		}
	}
	return out
}

func evalSlice(e *structs.Evaluation) []*structs.Evaluation {
	if e == nil {
		return nil
	}
	return []*structs.Evaluation{e}
}
