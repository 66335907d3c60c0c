package server

import (
	"context"

	"github.com/drover-project/drover/agent/rpcproto"

	"github.com/drover-project/drover/structs"
)

// JobEndpoint serves job writes forwarded by followers ("Job.*").
type JobEndpoint struct {
	srv *Server
}

// JobDeregisterRPCRequest is a forwarded deregistration.
type JobDeregisterRPCRequest struct {
	Namespace string
	JobID     string
	Purge     bool
}

// JobEvaluateRPCRequest is a forwarded force-evaluate.
type JobEvaluateRPCRequest struct {
	Namespace string
	JobID     string
}

// NodeEligibilityRPCRequest is a forwarded eligibility change.
type NodeEligibilityRPCRequest struct {
	NodeID      string
	Eligibility string
}

// Register registers a job on the leader.
func (j *JobEndpoint) Register(args *structs.JobRegisterHTTPRequest, reply *structs.JobRegisterResponse) error {
	ctx, cancel := context.WithTimeout(context.Background(), rpcTimeout)
	defer cancel()
	resp, err := j.srv.RegisterJob(ctx, args)
	if err != nil {
		return rpcproto.EncodeError(err)
	}
	*reply = *resp
	return nil
}

// Deregister stops or purges a job on the leader.
func (j *JobEndpoint) Deregister(args *JobDeregisterRPCRequest, reply *structs.JobDeregisterResponse) error {
	ctx, cancel := context.WithTimeout(context.Background(), rpcTimeout)
	defer cancel()
	resp, err := j.srv.DeregisterJob(ctx, args.Namespace, args.JobID, args.Purge)
	if err != nil {
		return rpcproto.EncodeError(err)
	}
	*reply = *resp
	return nil
}

// Evaluate creates a new evaluation for a job on the leader.
func (j *JobEndpoint) Evaluate(args *JobEvaluateRPCRequest, reply *structs.JobRegisterResponse) error {
	ctx, cancel := context.WithTimeout(context.Background(), rpcTimeout)
	defer cancel()
	resp, err := j.srv.EvaluateJob(ctx, args.Namespace, args.JobID)
	if err != nil {
		return rpcproto.EncodeError(err)
	}
	*reply = *resp
	return nil
}

// UpdateEligibility changes a node's eligibility on the leader.
func (n *NodeEndpoint) UpdateEligibility(args *NodeEligibilityRPCRequest, reply *structs.GenericResponse) error {
	ctx, cancel := context.WithTimeout(context.Background(), rpcTimeout)
	defer cancel()
	idx, err := n.srv.UpdateNodeEligibility(ctx, args.NodeID, args.Eligibility)
	reply.Index = idx
	return rpcproto.EncodeError(err)
}
