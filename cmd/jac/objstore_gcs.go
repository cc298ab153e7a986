//go:build (!slim || gcs) && !noobjstore

package main

// store()'s GCS backend (storage_type "gcs"). The full CLI always has it; the
// slim runtime only with -tags gcs, because cloud.google.com/go/storage's
// package initialisation (gRPC, protobuf registries, its metrics exporter)
// nearly doubles the idle memory of every app (docs/storage.md has the figures).
import _ "github.com/jacscale/jac/runtime/objstore/gcsstore"
