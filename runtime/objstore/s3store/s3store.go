// Package s3store is store()'s storage_type "s3": Amazon S3 or any
// S3-compatible endpoint through aws-sdk-go-v2. Credentials and region come
// from the SDK's default chain (environment, shared config, IRSA, instance
// role); an explicit endpoint switches to path-style addressing. Each HTTP
// request under a traced request is a client span (internal/httpspans).
package s3store

//lint:file-ignore SA1019 manager.Uploader is deprecated in favour of feature/s3/transfermanager, a separate module not yet adopted here; the Uploader still streams multipart uploads, and the store's S3 tests drive it against gofakes3.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/feature/s3/manager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/jacscale/jac/internal/httpspans"
	"github.com/jacscale/jac/runtime/objstore"
)

func init() { objstore.Register("s3", Open) }

// partSize bounds an upload's memory: the uploader holds at most
// concurrency parts of this size.
const (
	partSize    = 8 << 20
	concurrency = 2
)

type bucket struct {
	name     string
	client   *s3.Client
	uploader *manager.Uploader
}

// Open connects to the bucket of cfg.
func Open(ctx context.Context, cfg objstore.Config) (objstore.Bucket, error) {
	var opts []func(*config.LoadOptions) error
	if cfg.Region != "" {
		opts = append(opts, config.WithRegion(cfg.Region))
	}
	awsCfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("s3: %w", err)
	}
	if awsCfg.Region == "" {
		awsCfg.Region = "us-east-1"
	}
	awsCfg.HTTPClient = httpspans.WrapDoer(awsCfg.HTTPClient) // a span per request of a traced run
	client := s3.NewFromConfig(awsCfg, func(o *s3.Options) {
		// S3-compatible stores often send no checksum; validate when asked
		o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
		if cfg.Endpoint != "" {
			o.BaseEndpoint = aws.String(cfg.Endpoint)
			o.UsePathStyle = true
		}
	})
	up := manager.NewUploader(client, func(u *manager.Uploader) {
		u.PartSize, u.Concurrency = partSize, concurrency
	})
	return &bucket{name: cfg.Bucket, client: client, uploader: up}, nil
}

func (b *bucket) Put(ctx context.Context, key string, r io.Reader) error {
	_, err := b.uploader.Upload(ctx, &s3.PutObjectInput{Bucket: &b.name, Key: &key, Body: r})
	return wrap(err, key)
}

func (b *bucket) Get(ctx context.Context, key string) (io.ReadCloser, error) {
	out, err := b.client.GetObject(ctx, &s3.GetObjectInput{Bucket: &b.name, Key: &key})
	if err != nil {
		return nil, wrap(err, key)
	}
	return out.Body, nil
}

func (b *bucket) Stat(ctx context.Context, key string) (objstore.Object, error) {
	out, err := b.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: &b.name, Key: &key})
	if err != nil {
		return objstore.Object{}, wrap(err, key)
	}
	return objstore.Object{Key: key, Size: aws.ToInt64(out.ContentLength), Modified: aws.ToTime(out.LastModified)}, nil
}

func (b *bucket) List(ctx context.Context, prefix string) ([]objstore.Object, error) {
	var out []objstore.Object
	p := s3.NewListObjectsV2Paginator(b.client, &s3.ListObjectsV2Input{Bucket: &b.name, Prefix: &prefix})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, wrap(err, prefix)
		}
		for _, o := range page.Contents {
			out = append(out, objstore.Object{Key: aws.ToString(o.Key), Size: aws.ToInt64(o.Size), Modified: aws.ToTime(o.LastModified)})
		}
	}
	return out, nil // S3 lists in UTF-8 binary key order
}

func (b *bucket) Copy(ctx context.Context, src, dst string) error {
	source := b.name + "/" + url.PathEscape(src)
	source = strings.ReplaceAll(source, "%2F", "/")
	_, err := b.client.CopyObject(ctx, &s3.CopyObjectInput{Bucket: &b.name, Key: &dst, CopySource: &source})
	return wrap(err, src)
}

func (b *bucket) Delete(ctx context.Context, key string) error {
	_, err := b.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &b.name, Key: &key})
	return wrap(err, key)
}

// wrap turns S3's "no such key" answers into fs.ErrNotExist.
func wrap(err error, key string) error {
	if err == nil {
		return nil
	}
	var nsk *types.NoSuchKey
	var nf *types.NotFound
	if errors.As(err, &nsk) || errors.As(err, &nf) {
		return &fs.PathError{Op: "open", Path: key, Err: fs.ErrNotExist}
	}
	return fmt.Errorf("s3: %w", err)
}
