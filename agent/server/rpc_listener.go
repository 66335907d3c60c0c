package server

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/rpc"
	"sync"
	"time"

	"github.com/hashicorp/raft"
	"github.com/hashicorp/yamux"

	"github.com/drover-project/drover/agent/rpcproto"
)

// rpcListener accepts connections on the RPC port and routes them by their
// first byte: RPC sessions to the net/rpc server, Raft to the raft layer.
type rpcListener struct {
	srv *Server
	// ready is closed once Raft is set up; RPC sessions wait for it (Raft
	// connections, which Raft's own setup needs, do not).
	ready chan struct{}
	ln    net.Listener
	rpc   *rpc.Server
	raft  *raftLayer
	once  sync.Once
	conns sync.WaitGroup
}

func (s *Server) listenRPC() error {
	ln, err := net.Listen("tcp", s.config.RaftAddr)
	if err != nil {
		return fmt.Errorf("rpc listener on %s: %w", s.config.RaftAddr, err)
	}
	rs := rpc.NewServer()
	for name, ep := range map[string]interface{}{"Node": &NodeEndpoint{srv: s}, "Job": &JobEndpoint{srv: s}, "Status": &StatusEndpoint{srv: s},
		"Operator": &OperatorEndpoint{srv: s}} {
		if err := rs.RegisterName(name, ep); err != nil {
			ln.Close()
			return fmt.Errorf("registering rpc endpoints: %w", err)
		}
	}
	adv := ln.Addr()
	if s.config.RPCAdvertise != "" {
		a, err := net.ResolveTCPAddr("tcp", s.config.RPCAdvertise)
		if err != nil {
			ln.Close()
			return fmt.Errorf("rpc advertise address %q: %w", s.config.RPCAdvertise, err)
		}
		adv = a
	}
	// Raft records the advertised address as this server's, so peers must
	// be able to dial it.
	l := &rpcListener{srv: s, ln: ln, rpc: rs, raft: newRaftLayer(adv), ready: make(chan struct{})}
	s.rpcListener = l
	s.closers = append(s.closers, l.close)
	go l.serve()
	return nil
}

func (l *rpcListener) serve() {
	for {
		conn, err := l.ln.Accept()
		if err != nil {
			if !errors.Is(err, net.ErrClosed) {
				l.srv.logger.Error("rpc accept failed", "error", err)
			}
			return
		}
		l.conns.Add(1)
		go func() {
			defer l.conns.Done()
			l.handle(conn)
		}()
	}
}

func (l *rpcListener) handle(conn net.Conn) {
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	var kind [1]byte
	if _, err := io.ReadFull(conn, kind[:]); err != nil {
		conn.Close()
		return
	}
	_ = conn.SetReadDeadline(time.Time{})
	switch kind[0] {
	case rpcproto.TypeRaft:
		l.raft.handoff(conn)
	case rpcproto.TypeRPC:
		select {
		case <-l.ready:
		case <-l.srv.shutdownCtx.Done():
			conn.Close()
			return
		}
		l.serveSession(conn)
	default:
		l.srv.logger.Warn("unknown connection type on rpc port", "type", kind[0], "remote", conn.RemoteAddr())
		conn.Close()
	}
}

// serveSession serves each yamux stream as its own net/rpc connection, so
// a blocking query never holds up other calls.
func (l *rpcListener) serveSession(conn net.Conn) {
	cfg := yamux.DefaultConfig()
	cfg.LogOutput = io.Discard
	sess, err := yamux.Server(conn, cfg)
	if err != nil {
		conn.Close()
		return
	}
	defer sess.Close()
	for {
		stream, err := sess.Accept()
		if err != nil {
			return
		}
		go l.rpc.ServeCodec(rpcproto.ServerCodec(stream))
	}
}

func (l *rpcListener) close() error {
	var err error
	l.once.Do(func() {
		err = l.ln.Close()
		l.raft.Close()
	})
	return err
}

// raftLayer is a raft.StreamLayer over the shared RPC port: accepted Raft
// connections are handed to it; dialled ones announce themselves with
// rpcproto.TypeRaft.
type raftLayer struct {
	addr    net.Addr
	connCh  chan net.Conn
	closeCh chan struct{}
	once    sync.Once
}

var _ raft.StreamLayer = (*raftLayer)(nil)

func newRaftLayer(addr net.Addr) *raftLayer {
	return &raftLayer{addr: addr, connCh: make(chan net.Conn), closeCh: make(chan struct{})}
}

func (r *raftLayer) handoff(c net.Conn) {
	select {
	case r.connCh <- c:
	case <-r.closeCh:
		c.Close()
	}
}

// Accept implements net.Listener.
func (r *raftLayer) Accept() (net.Conn, error) {
	select {
	case c := <-r.connCh:
		return c, nil
	case <-r.closeCh:
		return nil, net.ErrClosed
	}
}

// Close implements net.Listener.
func (r *raftLayer) Close() error {
	r.once.Do(func() { close(r.closeCh) })
	return nil
}

// Addr implements net.Listener.
func (r *raftLayer) Addr() net.Addr { return r.addr }

// Dial implements raft.StreamLayer.
func (r *raftLayer) Dial(address raft.ServerAddress, timeout time.Duration) (net.Conn, error) {
	conn, err := net.DialTimeout("tcp", string(address), timeout)
	if err != nil {
		return nil, err
	}
	if _, err := conn.Write([]byte{rpcproto.TypeRaft}); err != nil {
		conn.Close()
		return nil, err
	}
	return conn, nil
}
