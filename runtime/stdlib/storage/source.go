package storage

import (
	"bytes"
	"errors"
	"io"
	"os"

	"github.com/jacscale/jac/runtime/interp"
)

// Uploads and downloads stream: a file is never held whole in memory, on
// any backend, unless download() is asked for its bytes.

// uploadChunk is the most upload() asks of a file-like object per read(n).
const uploadChunk = 1 << 20

// openSource opens what upload() stores, as a stream: a path of the local
// filesystem (confined by localPath), bytes, a Go reader (an HTTP upload's
// file), or a file-like object, read in chunks through read(n). The
// returned function closes what was opened.
func (s *localStorage) openSource(th *interp.Thread, src interp.Value) (io.Reader, func()) {
	switch x := src.(type) {
	case interp.Bytes:
		return bytes.NewReader([]byte(x)), func() {}
	case interp.Str:
		f, err := os.Open(s.localPath(th, string(x)))
		if err != nil {
			th.RaiseOSError(err, string(x))
		}
		return f, func() { f.Close() }
	case io.Reader:
		return x, func() {}
	}
	if read, ok := interp.LookupAttr(th, src, "read"); ok {
		return &fileLikeReader{th: th, read: read}, func() {}
	}
	th.TypeError("upload() needs a file path, bytes or a file-like object, not %s", interp.TypeName(src))
	return nil, nil
}

// fileLikeReader reads a Jac file-like object through its read(n). A Jac
// exception raised by read is returned as the error (an *interp.Exception),
// so that it unwinds no Go code between the reader and its caller (an SDK's
// uploader); raiseStreamErr raises it again.
type fileLikeReader struct {
	th      *interp.Thread
	read    interp.Value
	pending string // what read(n) returned beyond what was asked
	err     error
}

func (r *fileLikeReader) Read(p []byte) (int, error) {
	for len(r.pending) == 0 && r.err == nil {
		var v interp.Value
		n := int64(min(len(p), uploadChunk))
		if err := r.th.Protect(func() { v = r.th.Call(r.read, []interp.Value{interp.MakeInt(n)}, nil) }); err != nil {
			r.err = err
			break
		}
		switch b := v.(type) {
		case interp.Bytes:
			r.pending = string(b)
		case interp.Str:
			r.pending = string(b)
		default:
			r.err = r.th.Protect(func() {
				r.th.TypeError("read() returned %s, not bytes or str", interp.TypeName(v))
			})
		}
		if len(r.pending) == 0 && r.err == nil {
			r.err = io.EOF
		}
	}
	if len(r.pending) > 0 {
		n := copy(p, r.pending)
		r.pending = r.pending[n:]
		return n, nil
	}
	return 0, r.err
}

// raiseStreamErr raises err, a failed stream of name: as the Jac exception
// a file-like source raised, else as an OSError. nil raises nothing.
func raiseStreamErr(th *interp.Thread, err error, name string) {
	if err == nil {
		return
	}
	reraiseSource(th, err)
	th.RaiseOSError(err, name)
}

// reraiseSource raises again the Jac exception of a file-like source that
// err carries, if it does.
func reraiseSource(th *interp.Thread, err error) {
	var exc *interp.Exception
	if errors.As(err, &exc) {
		th.RaiseValue(exc.Value)
	}
}

// writeFile streams src into the file at path (created or truncated, as
// os.WriteFile does); a failure is raised by raiseStreamErr, naming name.
func writeFile(th *interp.Thread, path string, src io.Reader, name string) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		th.RaiseOSError(err, name)
	}
	_, err = io.Copy(f, src)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	raiseStreamErr(th, err, name)
}
