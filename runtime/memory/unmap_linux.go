package memory

import (
	"syscall"

	bolt "go.etcd.io/bbolt"
)

// releaseMapped drops the page-table entries of the file's map that earlier
// updates of a bulk commit faulted in (each read fault maps the pages around
// it too: ~150 KB per staged part, 2 MB over walk.jac's exit commit). The
// pages stay in the page cache; a later read maps them again. It must run
// inside tx, a writable transaction: the map moves only under the writer
// lock, so its address holds while tx runs.
func releaseMapped(tx *bolt.Tx) {
	size := uintptr(tx.Size())
	if size == 0 {
		return
	}
	syscall.Syscall(syscall.SYS_MADVISE, tx.DB().Info().Data, size, syscall.MADV_DONTNEED)
}
