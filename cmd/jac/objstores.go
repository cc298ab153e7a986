//go:build !noobjstore

package main

// store()'s cloud backends (storage_type "s3" and "gcs"). They are linked into
// the slim runtime too: an app image needs them at run time. See
// docs/storage.md for what they cost in size and idle memory; -tags noobjstore
// leaves them out (store() then knows only storage_type "local").
import (
	_ "github.com/jacscale/jac/runtime/objstore/gcsstore"
	_ "github.com/jacscale/jac/runtime/objstore/s3store"
)
