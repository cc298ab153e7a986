// Package aws is the EKS target: a cluster by name, its endpoint and CA from
// DescribeCluster (aws-sdk-go-v2, the default credential chain), and a bearer
// token made the way `aws eks get-token` makes one (a presigned STS
// GetCallerIdentity URL bound to the cluster by the x-k8s-aws-id header).
// ECR is the default registry for --build with this target.
package aws

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/eks"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	k8s "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/jacscale/jac/infra/settings"
	"github.com/jacscale/jac/targets/kubernetes"
)

// TokenPrefix starts every EKS bearer token.
const TokenPrefix = "k8s-aws-v1."

// ClusterIDHeader binds a token to one cluster.
const ClusterIDHeader = "x-k8s-aws-id"

// tokenLifetime is how long EKS accepts a token (the presigned URL says 60 s;
// EKS honours it for 15 minutes, as aws eks get-token reports).
const tokenLifetime = 14 * time.Minute

// Cluster is what the provider needs to reach an EKS cluster.
type Cluster struct {
	Name     string
	Endpoint string
	CA       []byte // PEM
	Token    string
	Expires  time.Time
}

// Options configure Resolve.
type Options struct {
	Config     *awssdk.Config // default config.LoadDefaultConfig (AWS_ENDPOINT_URL_EKS / _STS honoured)
	Region     string
	EKSOptions []func(*eks.Options)
	STSOptions []func(*sts.Options)
}

func (o Options) config(ctx context.Context) (awssdk.Config, error) {
	if o.Config != nil {
		c := o.Config.Copy()
		if o.Region != "" {
			c.Region = o.Region
		}
		return c, nil
	}
	var opts []func(*config.LoadOptions) error
	if o.Region != "" {
		opts = append(opts, config.WithRegion(o.Region))
	}
	c, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return c, fmt.Errorf("%w: aws config: %w", settings.ErrConfig, err)
	}
	if c.Region == "" {
		return c, fmt.Errorf("%w: no AWS region: set AWS_REGION or JAC_CLUSTER_REGION", settings.ErrConfig)
	}
	return c, nil
}

// Resolve describes the cluster and makes a token for it.
func Resolve(ctx context.Context, name string, o Options) (*Cluster, error) {
	cfg, err := o.config(ctx)
	if err != nil {
		return nil, err
	}
	out, err := eks.NewFromConfig(cfg, o.EKSOptions...).DescribeCluster(ctx, &eks.DescribeClusterInput{Name: awssdk.String(name)})
	if err != nil {
		return nil, classify(fmt.Sprintf("eks DescribeCluster %s", name), err)
	}
	c := out.Cluster
	if c == nil || c.Endpoint == nil || c.CertificateAuthority == nil || c.CertificateAuthority.Data == nil {
		status := "unknown"
		if c != nil {
			status = string(c.Status)
		}
		return nil, fmt.Errorf("eks cluster %s has no endpoint or CA yet (status %s)", name, status)
	}
	ca, err := base64.StdEncoding.DecodeString(*c.CertificateAuthority.Data)
	if err != nil {
		return nil, fmt.Errorf("eks cluster %s: certificate authority: %w", name, err)
	}
	tok, exp, err := Token(ctx, cfg, name, o.STSOptions...)
	if err != nil {
		return nil, err
	}
	return &Cluster{Name: name, Endpoint: *c.Endpoint, CA: ca, Token: tok, Expires: exp}, nil
}

// Token makes an EKS bearer token: "k8s-aws-v1." + base64url(presigned STS
// GetCallerIdentity URL, signed with the x-k8s-aws-id header set to the cluster).
func Token(ctx context.Context, cfg awssdk.Config, cluster string, stsOpts ...func(*sts.Options)) (string, time.Time, error) {
	client := sts.NewFromConfig(cfg, stsOpts...)
	pre := sts.NewPresignClient(client)
	req, err := pre.PresignGetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}, func(po *sts.PresignOptions) {
		po.ClientOptions = append(po.ClientOptions, func(so *sts.Options) {
			so.APIOptions = append(so.APIOptions,
				smithyhttp.AddHeaderValue(ClusterIDHeader, cluster),
				smithyhttp.AddHeaderValue("X-Amz-Expires", "60"))
		})
	})
	if err != nil {
		return "", time.Time{}, classify("sts presign GetCallerIdentity", err)
	}
	return TokenPrefix + base64.RawURLEncoding.EncodeToString([]byte(req.URL)), time.Now().Add(tokenLifetime), nil
}

// classify marks credential and permission failures with kubernetes.ErrAuth and
// a missing cluster as a configuration error.
func classify(op string, err error) error {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		switch ae.ErrorCode() {
		case "ResourceNotFoundException", "NotFoundException":
			return fmt.Errorf("%w: %s: %w", settings.ErrConfig, op, err)
		case "AccessDeniedException", "AccessDenied", "UnrecognizedClientException", "InvalidClientTokenId",
			"ExpiredToken", "ExpiredTokenException", "SignatureDoesNotMatch", "InvalidSignatureException", "UnauthorizedOperation":
			return fmt.Errorf("%w: %s: %w", kubernetes.ErrAuth, op, err)
		}
	}
	msg := err.Error()
	if strings.Contains(msg, "failed to retrieve credentials") || strings.Contains(msg, "no EC2 IMDS role found") ||
		strings.Contains(msg, "failed to refresh cached credentials") {
		return fmt.Errorf("%w: %s: %w", kubernetes.ErrAuth, op, err)
	}
	return fmt.Errorf("%s: %w", op, err)
}

// Provider is the aws target's provider: the EKS cluster JAC_CLUSTER in
// JAC_CLUSTER_REGION (or the default chain's region).
func Provider(ctx *pulumi.Context, s settings.Settings) (*k8s.Provider, error) {
	c, err := Resolve(ctx.Context(), s.Cluster, Options{Region: s.Region})
	if err != nil {
		return nil, err
	}
	name := "eks-" + c.Name
	return kubernetes.NewProvider(ctx, "aws", kubernetes.TokenKubeconfig(name, c.Endpoint, c.CA, c.Token), name)
}
