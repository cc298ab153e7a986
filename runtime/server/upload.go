package server

import (
	"io"
	"mime/multipart"
	"net/http"
	"strings"

	"github.com/jacscale/jac/runtime/interp"
)

// uploadFile is an UploadFile bound from a multipart request: filename,
// content_type, size and file (whose read() gives the bytes). It reads the
// part where net/http keeps it (memory for a small one, a temporary file
// past multipartMemory) and is an io.Reader, so store().upload streams it.
type uploadFile struct {
	filename, contentType string
	size                  int64
	f                     multipart.File
}

func (*uploadFile) Class() *interp.Class { return interp.UploadFileClass }

func newUpload(h *multipart.FileHeader) (*uploadFile, error) {
	f, err := h.Open()
	if err != nil {
		return nil, err
	}
	return &uploadFile{filename: h.Filename, contentType: h.Header.Get("Content-Type"), size: h.Size, f: f}, nil
}

// Read reads the upload's bytes from the current position.
func (u *uploadFile) Read(p []byte) (int, error) { return u.f.Read(p) }

// AttrJac exposes the UploadFile fields and the file-like methods.
func (u *uploadFile) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	switch name {
	case "filename":
		return interp.Str(u.filename), true
	case "content_type":
		return interp.Str(u.contentType), true
	case "size":
		return interp.MakeInt(u.size), true
	case "file":
		return u, true
	case "read":
		return interp.NewBuiltin(name, func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			n := int64(-1)
			if len(a) > 0 {
				n = interp.ToInt64(th, a[0])
			}
			if n < 0 {
				rest, _ := io.ReadAll(u.f)
				return interp.Bytes(rest)
			}
			th.Reserve(min(n, u.size), 1)
			buf := make([]byte, min(n, u.size))
			k, _ := io.ReadFull(u.f, buf) // fewer only at the end, as a file's read(n)
			return interp.Bytes(buf[:k])
		}), true
	case "seek":
		return interp.NewBuiltin(name, func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			off := interp.ToInt64(th, a[0])
			u.f.Seek(off, io.SeekStart)
			return interp.MakeInt(off)
		}), true
	case "close":
		// the part is closed when the request ends (form.close)
		return interp.NewBuiltin(name, func(*interp.Thread, []interp.Value, []interp.KV) interp.Value { return interp.None }), true
	}
	return nil, false
}

// ReprJac renders the upload.
func (u *uploadFile) ReprJac(th *interp.Thread) string {
	return "UploadFile(filename=" + interp.QuoteStr(u.filename) + ", size=" + interp.Repr(th, interp.MakeInt(u.size)) + ")"
}

func isMultipart(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data")
}

// multipartBody reads a multipart request into form values and files.
func (s *Server) multipartBody(r *http.Request) (map[string]string, map[string]*uploadFile, error) {
	if err := r.ParseMultipartForm(multipartMemory); err != nil {
		if strings.Contains(err.Error(), "too large") {
			return nil, nil, envelopeErr(http.StatusRequestEntityTooLarge, "PAYLOAD_TOO_LARGE", err.Error())
		}
		return nil, nil, errValidation(validationItem{Type: "multipart_invalid", Loc: []any{"body"}, Msg: err.Error()})
	}
	fields := map[string]string{}
	for k, v := range r.MultipartForm.Value {
		if len(v) > 0 {
			fields[k] = v[0]
		}
	}
	files := map[string]*uploadFile{}
	for k, hs := range r.MultipartForm.File {
		if len(hs) == 0 {
			continue
		}
		u, err := newUpload(hs[0])
		if err != nil {
			(&form{files: files}).close()
			return nil, nil, err
		}
		files[k] = u
	}
	return fields, files, nil
}

// multipartMemory is how much of a multipart request's files net/http keeps
// in memory; the rest goes to temporary files, removed when the request ends
// (Starlette, under the reference's FastAPI, spools past 1 MB too).
const multipartMemory = 1 << 20

// close closes the form's files.
func (f *form) close() {
	if f == nil {
		return
	}
	for _, u := range f.files {
		u.f.Close()
	}
}

func isUploadType(t interp.Value) bool { return t == interp.UploadFileClass }
