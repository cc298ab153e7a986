//go:build !linux

package memory

import bolt "go.etcd.io/bbolt"

// releaseMapped does nothing where the map's pages are not dropped.
func releaseMapped(tx *bolt.Tx) {}
