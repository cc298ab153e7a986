package auth

import (
	"errors"
	"net/http"
	"strings"

	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/googleapis/gax-go/v2/apierror"
	"golang.org/x/oauth2"
	"google.golang.org/api/googleapi"
	"google.golang.org/grpc/codes"

	"github.com/jacscale/jac/registry"
)

func init() {
	registry.RegisterClassifier(func(err error) registry.Kind { return classifyAWS(err, registry.KindOther) })
	registry.RegisterClassifier(func(err error) registry.Kind { return classifyGoogle(err, registry.KindOther) })
}

var awsAuthCodes = map[string]bool{
	"AccessDenied": true, "AccessDeniedException": true, "UnrecognizedClientException": true,
	"InvalidClientTokenId": true, "ExpiredToken": true, "ExpiredTokenException": true,
	"SignatureDoesNotMatch": true, "InvalidSignatureException": true, "MissingAuthenticationToken": true,
	"IncompleteSignature": true, "UnauthorizedOperation": true,
}

// classifyAWS gives the Kind of an AWS SDK error, or def when it cannot tell.
func classifyAWS(err error, def registry.Kind) registry.Kind {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		code := ae.ErrorCode()
		switch {
		case awsAuthCodes[code]:
			return registry.KindAuth
		case strings.HasSuffix(code, "NotFoundException") || code == "NotFound":
			return registry.KindNotFound
		case code == "ThrottlingException" || code == "ServiceUnavailable" || code == "ServerException":
			return registry.KindNetwork
		}
	}
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) && re.Response != nil {
		if k := kindOfHTTP(re.Response.StatusCode); k != registry.KindOther {
			return k
		}
	}
	msg := err.Error()
	if strings.Contains(msg, "failed to retrieve credentials") || strings.Contains(msg, "no EC2 IMDS role found") ||
		strings.Contains(msg, "failed to refresh cached credentials") {
		return registry.KindAuth
	}
	var oe *smithy.OperationError
	if errors.As(err, &oe) && (strings.Contains(msg, "dial tcp") || strings.Contains(msg, "connection refused") ||
		strings.Contains(msg, "no such host") || strings.Contains(msg, "i/o timeout")) {
		return registry.KindNetwork
	}
	return def
}

// classifyGoogle gives the Kind of a Google API error, or def when it cannot tell.
func classifyGoogle(err error, def registry.Kind) registry.Kind {
	var ae *apierror.APIError
	if errors.As(err, &ae) {
		if k := kindOfCode(ae.GRPCStatus().Code()); k != registry.KindOther {
			return k
		}
		if k := kindOfHTTP(ae.HTTPCode()); k != registry.KindOther {
			return k
		}
	}
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		if k := kindOfHTTP(ge.Code); k != registry.KindOther {
			return k
		}
	}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		return registry.KindAuth
	}
	msg := err.Error()
	if strings.Contains(msg, "could not find default credentials") || strings.Contains(msg, "oauth2: cannot fetch token") {
		return registry.KindAuth
	}
	return def
}

func kindOfCode(c codes.Code) registry.Kind {
	switch c {
	case codes.Unauthenticated, codes.PermissionDenied:
		return registry.KindAuth
	case codes.NotFound:
		return registry.KindNotFound
	case codes.Unavailable, codes.DeadlineExceeded:
		return registry.KindNetwork
	}
	return registry.KindOther
}

func kindOfHTTP(s int) registry.Kind {
	switch {
	case s == http.StatusUnauthorized || s == http.StatusForbidden:
		return registry.KindAuth
	case s == http.StatusNotFound:
		return registry.KindNotFound
	case s >= 500:
		return registry.KindNetwork
	}
	return registry.KindOther
}
