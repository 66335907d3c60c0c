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
		if _, _, err := net.SplitHostPort(adv); err == nil {
			return adv, nil
		}
		return net.JoinHostPort(adv, strconv.Itoa(port)), nil
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
