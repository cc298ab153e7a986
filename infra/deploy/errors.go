package deploy

import (
	"errors"
	"fmt"
	"os/exec"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"

	"github.com/jacscale/jac/infra/settings"
	"github.com/jacscale/jac/targets/kubernetes"
)

// Exit codes of `jac start --scale` and `jac destroy` (the first five are the
// same as `jac build`'s).
const (
	ExitOK       = 0
	ExitOther    = 1
	ExitConfig   = 2 // bad configuration: a setting, jac.toml, a missing image or secret variable
	ExitAuth     = 3 // authentication or permission: cloud credentials, kubeconfig, the API server said 401/403
	ExitNotFound = 4 // no such stack (destroy of an app never deployed)
	ExitNetwork  = 5 // the cluster or cloud API could not be reached
	ExitUpdate   = 6 // the update itself failed: an object was rejected or did not become ready
	ExitLocked   = 7 // another update of the same stack is running
	ExitNoCLI    = 8 // the Pulumi CLI (or a plugin it needs) is not installed
	ExitDeclined = 9 // answered no at the prompt
)

// Error is a failed deploy with its exit code.
type Error struct {
	Code    int
	Err     error  // the cause (the program's own error when it failed)
	Detail  error  // the engine's error, when Err is the program's
	Message string // a summary of Err ("" = Err's text)
}

func (e *Error) Error() string {
	if e.Message != "" {
		return e.Message
	}
	return e.Err.Error()
}

// Summarize shortens an Automation API error (which carries the CLI's whole
// stdout and stderr) to its first line and the distinct "error:" lines, with a
// hint for the exit code.
func Summarize(err error, code int) string {
	msg := err.Error()
	if strings.Contains(msg, "\nstdout:") || strings.Contains(msg, "\nstderr:") {
		head, _, _ := strings.Cut(msg, "\n")
		seen := map[string]bool{}
		var errs []string
		for _, l := range strings.Split(msg, "\n") {
			l = strings.TrimSpace(l)
			if i := strings.Index(l, "error: "); i >= 0 {
				l = strings.TrimSpace(l[i+len("error: "):])
				if l != "" && !seen[l] {
					seen[l] = true
					errs = append(errs, l)
				}
			}
		}
		if len(errs) > 0 {
			msg = head + ": " + strings.Join(errs, "; ")
		}
	}
	switch code {
	case ExitNoCLI:
		msg += " (install the Pulumi CLI, https://www.pulumi.com/docs/install/; it fetches the Kubernetes provider plugin on first use)"
	case ExitLocked:
		msg += " (another update of this stack is running; `pulumi cancel` if it died)"
	}
	return msg
}
func (e *Error) Unwrap() error { return e.Err }

// Kind names an exit code in JSON events.
func Kind(code int) string {
	switch code {
	case ExitOK:
		return "ok"
	case ExitConfig:
		return "config"
	case ExitAuth:
		return "auth"
	case ExitNotFound:
		return "not_found"
	case ExitNetwork:
		return "network"
	case ExitUpdate:
		return "update_failed"
	case ExitLocked:
		return "locked"
	case ExitNoCLI:
		return "no_pulumi"
	case ExitDeclined:
		return "declined"
	}
	return "other"
}

var (
	authText = []string{"Unauthorized", "the server has asked for the client to provide credentials",
		"forbidden:", "Forbidden", "x509: certificate signed by unknown authority", "ExpiredToken",
		"invalid_grant", "could not find default credentials"}
	networkText = []string{"connection refused", "no such host", "i/o timeout", "network is unreachable",
		"TLS handshake timeout", "context deadline exceeded", "unable to load schema information from the API server",
		"failed to connect to kubernetes cluster", "configured Kubernetes cluster is unreachable"}
	noCLIText = []string{"executable file not found", "could not find pulumi", "failed to run `pulumi version`",
		"no resource plugin 'pulumi-resource-kubernetes'", "could not find plugin", "no language plugin 'go'", "failed to locate compatible plugin"}
)

func containsAny(s string, subs []string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

// ExitCode maps an error to the process exit status.
func ExitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var de *Error
	if errors.As(err, &de) {
		return de.Code
	}
	switch {
	case errors.Is(err, ErrDeclined):
		return ExitDeclined
	case errors.Is(err, settings.ErrConfig):
		return ExitConfig
	case errors.Is(err, kubernetes.ErrAuth):
		return ExitAuth
	case errors.Is(err, ErrNoStack):
		return ExitNotFound
	case errors.Is(err, exec.ErrNotFound):
		return ExitNoCLI
	case auto.IsConcurrentUpdateError(err):
		return ExitLocked
	}
	msg := err.Error()
	switch {
	case containsAny(msg, noCLIText):
		return ExitNoCLI
	case containsAny(msg, authText):
		return ExitAuth
	case containsAny(msg, networkText):
		return ExitNetwork
	case auto.IsCompilationError(err), auto.IsRuntimeError(err):
		return ExitUpdate
	case strings.Contains(msg, "update failed") || strings.Contains(msg, "failed to run update") ||
		strings.Contains(msg, "failed to run preview") || strings.Contains(msg, "failed to destroy") ||
		strings.Contains(msg, "error: "):
		return ExitUpdate
	}
	return ExitOther
}

// ErrNoStack is a destroy of an app that has no stack.
var ErrNoStack = errors.New("no such stack")

func classifyWorkspace(stack string, err error) error {
	if auto.IsSelectStack404Error(err) || strings.Contains(err.Error(), "no stack named") {
		return fmt.Errorf("%w %s (nothing deployed for this app and namespace?): %w", ErrNoStack, stack, err)
	}
	return err
}
