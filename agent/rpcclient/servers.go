// Package rpcclient is a client agent's connection to the servers over RPC:
// it implements client.ServerAPI on the network, keeping one yamux session
// per server and moving to the next server when one fails or is not the
// leader.
package rpcclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/rpc"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/yamux"

	"github.com/drover-project/drover/agent/rpcproto"
	"github.com/drover-project/drover/structs"
)

// dialTimeout bounds connecting to one server.
const dialTimeout = 5 * time.Second

// DefaultAttemptTimeout bounds one call to one server, so that a server cut
// off from the network (whose TCP connection just goes quiet) is given up
// on and the next one tried. Blocking queries get their wait on top.
// A loaded server may take a while to answer a write, so this is generous;
// callers that need an answer sooner (heartbeats) bound ctx instead.
const DefaultAttemptTimeout = 10 * time.Second

// blockingGrace is added to a blocking query's own wait for its attempt.
const blockingGrace = 30 * time.Second

// Servers calls the servers at a fixed list of addresses.
type Servers struct {
	addrs  []string
	logger hclog.Logger
	// AttemptTimeout bounds one call to one server (DefaultAttemptTimeout;
	// callers that forward writes raise it). Set it before the first call.
	AttemptTimeout time.Duration

	mu       sync.Mutex
	current  int
	sessions map[string]*yamux.Session
}

// New returns a caller of the servers at addrs (host:port of their RPC port).
func New(addrs []string, logger hclog.Logger) (*Servers, error) {
	if len(addrs) == 0 {
		return nil, errors.New("no server addresses")
	}
	for _, a := range addrs {
		if _, _, err := net.SplitHostPort(a); err != nil {
			return nil, fmt.Errorf("server address %q: %w", a, err)
		}
	}
	return &Servers{addrs: append([]string(nil), addrs...), logger: logger.Named("rpc"),
		AttemptTimeout: DefaultAttemptTimeout, sessions: make(map[string]*yamux.Session)}, nil
}

// Close drops every connection.
func (s *Servers) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for a, sess := range s.sessions {
		sess.Close()
		delete(s.sessions, a)
	}
	return nil
}

// Call invokes method on a server, trying each server once in turn when
// one cannot be reached or is not the leader.
//
// Each attempt is bounded: by AttemptTimeout (plus the query's wait for a
// blocking query), and, when ctx has a deadline, by an equal share of the
// time left for the servers not yet tried (a blocking query by all of it).
func (s *Servers) Call(ctx context.Context, method string, args, reply interface{}) error {
	var lastErr error
	for i := range s.addrs {
		addr := s.pick()
		err := s.attempt(ctx, addr, method, args, reply, len(s.addrs)-i)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		lastErr = err
		if !retryable(err) {
			return err
		}
		s.logger.Debug("rpc failed; trying the next server", "server", addr, "method", method, "error", err)
		s.rotate(addr)
	}
	return fmt.Errorf("rpc %s: no server answered: %w", method, lastErr)
}

func (s *Servers) pick() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addrs[s.current%len(s.addrs)]
}

// rotate moves past addr and drops its session.
func (s *Servers) rotate(addr string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.addrs[s.current%len(s.addrs)] == addr {
		s.current++
	}
	if sess, ok := s.sessions[addr]; ok {
		sess.Close()
		delete(s.sessions, addr)
	}
}

func (s *Servers) session(addr string) (*yamux.Session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sess, ok := s.sessions[addr]; ok && !sess.IsClosed() {
		return sess, nil
	}
	conn, err := net.DialTimeout("tcp", addr, dialTimeout)
	if err != nil {
		return nil, &connError{err}
	}
	if _, err := conn.Write([]byte{rpcproto.TypeRPC}); err != nil {
		conn.Close()
		return nil, &connError{err}
	}
	cfg := yamux.DefaultConfig()
	cfg.LogOutput = io.Discard
	sess, err := yamux.Client(conn, cfg)
	if err != nil {
		conn.Close()
		return nil, &connError{err}
	}
	s.sessions[addr] = sess
	return sess, nil
}

// attempt is one bounded call to one server; running out of its own time
// is a connection failure (try the next server), unlike ctx ending.
func (s *Servers) attempt(ctx context.Context, addr, method string, args, reply interface{}, left int) error {
	if len(s.addrs) == 1 {
		// No other server to move on to: waiting longer is all there is.
		return s.callOne(ctx, addr, method, args, reply)
	}
	timeout, share := s.AttemptTimeout, left
	if w, ok := args.(interface{ BlockingWait() time.Duration }); ok {
		// A blocking query waits by design: it gets the caller's whole
		// remaining time, not a share.
		timeout += w.BlockingWait() + blockingGrace
		share = 1
	}
	if dl, ok := ctx.Deadline(); ok {
		timeout = min(timeout, time.Until(dl)/time.Duration(share))
	}
	actx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	err := s.callOne(actx, addr, method, args, reply)
	if err != nil && ctx.Err() == nil && actx.Err() != nil {
		return &connError{fmt.Errorf("no answer from %s within %s", addr, timeout)}
	}
	return err
}

// callOne runs one call on its own stream; cancelling ctx closes the stream.
func (s *Servers) callOne(ctx context.Context, addr, method string, args, reply interface{}) error {
	sess, err := s.session(addr)
	if err != nil {
		return err
	}
	stream, err := sess.Open()
	if err != nil {
		return &connError{err}
	}
	c := rpc.NewClientWithCodec(rpcproto.ClientCodec(stream))
	defer c.Close()
	call := c.Go(method, args, reply, make(chan *rpc.Call, 1))
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-call.Done:
	}
	return mapError(call.Error)
}

// connError marks failures to reach a server.
type connError struct{ err error }

func (e *connError) Error() string { return "connecting: " + e.err.Error() }
func (e *connError) Unwrap() error { return e.err }

// mapError turns error strings that crossed the wire back into the
// sentinel errors callers act on.
func mapError(err error) error {
	if err == nil {
		return nil
	}
	var se rpc.ServerError
	if !errors.As(err, &se) {
		if errors.Is(err, rpc.ErrShutdown) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return &connError{err}
		}
		return err
	}
	msg := string(se)
	if coded, ok := rpcproto.DecodeError(msg); ok {
		return coded
	}
	for _, sentinel := range []error{structs.ErrUnknownNode, structs.ErrNotLeader, structs.ErrNoLeader, structs.ErrNotFound} {
		if strings.Contains(msg, sentinel.Error()) {
			return fmt.Errorf("%w (server said: %s)", sentinel, msg)
		}
	}
	return errors.New(msg)
}

func retryable(err error) bool {
	var ce *connError
	return errors.As(err, &ce) || errors.Is(err, structs.ErrNotLeader) || errors.Is(err, structs.ErrNoLeader)
}
