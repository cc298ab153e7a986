package server

import (
	"net"
	"os"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// Connection limits: the listener accepts at most MaxConns connections at a
// time, and at most MaxConnsPerClient from one IP address. A connection over
// a limit is answered at once with a 503 (over the total) or 429 (over the
// client's share) and closed, so a flood of idle or half-sent requests from
// one client (21,000 of them exhausted the descriptors before) cannot starve
// the others: descriptors stay free for /healthz probes, new clients and the
// store's files.

// connReserve is how many descriptors the default MaxConns leaves to the
// store, the log and everything else the process opens.
const connReserve = 256

// defaultMaxConns is the descriptor limit less connReserve (at least 64).
func defaultMaxConns() int {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil || lim.Cur > 1<<20 {
		return 10000
	}
	return max(64, int(lim.Cur)-connReserve)
}

// limitListener bounds the open connections, in total and per client IP.
type limitListener struct {
	net.Listener
	max, perClient int

	mu       sync.Mutex
	open     int
	byClient map[string]int
}

func newLimitListener(ln net.Listener, maxConns, perClient int) *limitListener {
	return &limitListener{Listener: ln, max: maxConns, perClient: perClient, byClient: map[string]int{}}
}

// Accept returns the next connection within the limits; the others are
// refused here with a short HTTP answer.
func (l *limitListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		client := clientIP(c.RemoteAddr())
		if status := l.admit(client); status != 0 {
			refuse(c, status)
			continue
		}
		return &limitedConn{Conn: c, l: l, client: client}, nil
	}
}

// admit counts a new connection from client, or returns the status that
// refuses it.
func (l *limitListener) admit(client string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case l.max > 0 && l.open >= l.max:
		return 503
	case l.perClient > 0 && l.byClient[client] >= l.perClient:
		return 429
	}
	l.open++
	l.byClient[client]++
	return 0
}

func (l *limitListener) release(client string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.open--
	if l.byClient[client]--; l.byClient[client] <= 0 {
		delete(l.byClient, client)
	}
}

// refuse answers a connection over a limit and closes it. The answer fits any
// socket's send buffer; the deadline only guards against a broken one.
func refuse(c net.Conn, status int) {
	text := "Service Unavailable"
	if status == 429 {
		text = "Too Many Requests"
	}
	body := `{"ok":false,"type":"error","error":{"code":"TOO_MANY_CONNECTIONS","message":"connection limit reached"}}`
	c.SetWriteDeadline(time.Now().Add(100 * time.Millisecond))
	c.Write([]byte("HTTP/1.1 " + strconv.Itoa(status) + " " + text + "\r\nContent-Type: application/json\r\nConnection: close\r\nRetry-After: 1\r\nContent-Length: " +
		strconv.Itoa(len(body)) + "\r\n\r\n" + body))
	c.Close()
}

func clientIP(a net.Addr) string {
	if tcp, ok := a.(*net.TCPAddr); ok {
		return tcp.IP.String()
	}
	return a.String()
}

// limitedConn gives its place back when closed (once).
type limitedConn struct {
	net.Conn
	l      *limitListener
	client string
	once   sync.Once
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() { c.l.release(c.client) })
	return err
}

// envInt reads a non-negative integer from the environment (ok false when unset or invalid).
func envInt(name string) (int, bool) {
	n, err := strconv.Atoi(os.Getenv(name))
	return n, err == nil && n >= 0
}
