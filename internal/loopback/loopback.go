// Package loopback finds free TCP ports on 127.0.0.1 and waits for a server
// to listen on one: the setup that the tests starting real servers (jac
// itself, redis-server, FerretDB, kube-apiserver, registries) share.
package loopback

import (
	"fmt"
	"net"
	"testing"
	"time"
)

// Port returns a TCP port on 127.0.0.1 that was free a moment ago.
func Port() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// FreePort is Port for a test: it fails the test when no port is free.
func FreePort(t testing.TB) int {
	t.Helper()
	p, err := Port()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Poll calls ready every 10 milliseconds until it returns true, for up to
// 15 seconds (a server's start on a loaded machine), and reports whether it
// did.
func Poll(ready func() bool) bool {
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if ready() {
			return true
		}
	}
	return false
}

// WaitTCP waits up to 15 seconds for something to accept connections on
// 127.0.0.1:port, and fails the test otherwise.
func WaitTCP(t testing.TB, port int) {
	t.Helper()
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	open := Poll(func() bool {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
		}
		return err == nil
	})
	if !open {
		t.Fatalf("port %d did not open", port)
	}
}
