//go:build !noobjstore

package main

// store()'s S3 backend (storage_type "s3"), linked into the slim runtime too:
// an app image needs it at run time. See docs/storage.md for what it costs in
// size and idle memory; -tags noobjstore leaves it out.
import _ "github.com/jacscale/jac/runtime/objstore/s3store"
