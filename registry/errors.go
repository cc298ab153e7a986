package registry

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"

	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
)

// Kind says what went wrong in a way a CI job can branch on (see ExitCode).
type Kind int

const (
	KindOther    Kind = iota // anything else: exit 1
	KindInput                // bad flags, bad reference, missing app file: exit 2
	KindAuth                 // missing or rejected credentials, access denied: exit 3
	KindNotFound             // image, repository or base image does not exist: exit 4
	KindNetwork              // cannot reach the registry or API, timeouts, 5xx: exit 5
)

// Exit codes of `jac build` (and of the build step of `jac start --scale --build`).
const (
	ExitOK       = 0
	ExitFailure  = 1
	ExitInput    = 2
	ExitAuth     = 3
	ExitNotFound = 4
	ExitNetwork  = 5
)

func (k Kind) String() string {
	switch k {
	case KindInput:
		return "input"
	case KindAuth:
		return "auth"
	case KindNotFound:
		return "not_found"
	case KindNetwork:
		return "network"
	}
	return "error"
}

// Error is an error with a Kind. Op names the step that failed ("push", "ecr
// auth", "read app", ...).
type Error struct {
	Kind Kind
	Op   string
	Err  error
}

func (e *Error) Error() string {
	if e.Op == "" {
		return e.Err.Error()
	}
	return e.Op + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error of the given kind.
func Errorf(kind Kind, op, format string, args ...any) error {
	return &Error{Kind: kind, Op: op, Err: fmt.Errorf(format, args...)}
}

// Wrap gives err a Kind (classified from err itself when kind is KindOther) and an
// Op. Wrap(nil) is nil.
func Wrap(kind Kind, op string, err error) error {
	if err == nil {
		return nil
	}
	if kind == KindOther {
		kind = Classify(err)
	}
	return &Error{Kind: kind, Op: op, Err: err}
}

// Classifier recognises the errors of one API family (the AWS and Google SDKs
// register theirs from registry/auth). It returns KindOther when it does not know err.
type Classifier func(err error) Kind

var classifiers []Classifier

// RegisterClassifier adds c to the classifiers Classify consults.
func RegisterClassifier(c Classifier) { classifiers = append(classifiers, c) }

// Classify says which Kind err is: an explicit *Error wins, then registry (OCI
// distribution) errors, then network errors, then registered classifiers.
func Classify(err error) Kind {
	if err == nil {
		return KindOther
	}
	var e *Error
	if errors.As(err, &e) && e.Kind != KindOther {
		return e.Kind
	}
	var te *transport.Error
	if errors.As(err, &te) {
		if k := classifyTransport(te); k != KindOther {
			return k
		}
	}
	for _, c := range classifiers {
		if k := c(err); k != KindOther {
			return k
		}
	}
	if isNetwork(err) {
		return KindNetwork
	}
	return KindOther
}

func classifyTransport(te *transport.Error) Kind {
	for _, d := range te.Errors {
		switch d.Code {
		case transport.UnauthorizedErrorCode, transport.DeniedErrorCode:
			return KindAuth
		case transport.NameUnknownErrorCode, transport.ManifestUnknownErrorCode, transport.BlobUnknownErrorCode:
			return KindNotFound
		case transport.UnavailableErrorCode, transport.TooManyRequestsErrorCode:
			return KindNetwork
		}
	}
	switch {
	case te.StatusCode == http.StatusUnauthorized || te.StatusCode == http.StatusForbidden:
		return KindAuth
	case te.StatusCode == http.StatusNotFound:
		return KindNotFound
	case te.StatusCode == http.StatusTooManyRequests || te.StatusCode >= 500:
		return KindNetwork
	}
	return KindOther
}

func isNetwork(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EHOSTUNREACH) ||
		errors.Is(err, syscall.ENETUNREACH) {
		return true
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return true
	}
	var op *net.OpError
	if errors.As(err, &op) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return true
	}
	return strings.Contains(err.Error(), "connection refused")
}

// ExitCode maps err to the process exit status of `jac build`:
// 0 success, 1 other failure, 2 bad input, 3 authentication/authorisation,
// 4 not found, 5 network.
func ExitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	switch Classify(err) {
	case KindInput:
		return ExitInput
	case KindAuth:
		return ExitAuth
	case KindNotFound:
		return ExitNotFound
	case KindNetwork:
		return ExitNetwork
	}
	return ExitFailure
}
