package agent

import (
	"fmt"
	"net"
	"strconv"

	sockaddr "github.com/hashicorp/go-sockaddr"
)

// Advertise are the addresses other agents reach this one at, from the
// advertise block; empty fields are derived from bind_addr.
type Advertise struct {
	HTTP string
	RPC  string
	Serf string
}

// advertiseAddr returns host:port for a listener of port: the advertise
// value when set (its port defaulting to port), else bind_addr, else, when
// bind_addr is unspecified (0.0.0.0), the machine's private IP.
func (c *Config) advertiseAddr(adv string, port int) (string, error) {
	if adv != "" {
		return withPort(adv, port), nil
	}
	ip := net.ParseIP(c.BindAddr)
	if ip != nil && !ip.IsUnspecified() {
		return net.JoinHostPort(c.BindAddr, strconv.Itoa(port)), nil
	}
	private, err := sockaddr.GetPrivateIP()
	if err != nil || private == "" {
		return "", fmt.Errorf("bind_addr is %s and no private IP was found to advertise; set the advertise block", c.BindAddr)
	}
	return net.JoinHostPort(private, strconv.Itoa(port)), nil
}

// withPort returns addr as host:port, adding port when addr has none.
func withPort(addr string, port int) string {
	if _, _, err := net.SplitHostPort(addr); err == nil {
		return addr
	}
	return net.JoinHostPort(addr, strconv.Itoa(port))
}

// withPorts applies withPort to each address, in a new slice.
func withPorts(addrs []string, port int) []string {
	out := make([]string, len(addrs))
	for i, a := range addrs {
		out[i] = withPort(a, port)
	}
	return out
}
