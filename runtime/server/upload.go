package server

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"strings"

	"github.com/jacscale/jac/runtime/interp"
)

// uploadFile is an UploadFile bound from a multipart request: filename,
// content_type, size and file (whose read() gives the bytes).
type uploadFile struct {
	filename, contentType string
	data                  []byte
	r                     *bytes.Reader
}

func (*uploadFile) Class() *interp.Class { return interp.UploadFileClass }

func newUpload(h *multipart.FileHeader) (*uploadFile, error) {
	f, err := h.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, err
	}
	return &uploadFile{filename: h.Filename, contentType: h.Header.Get("Content-Type"), data: data, r: bytes.NewReader(data)}, nil
}

// AttrJac exposes the UploadFile fields and the file-like methods.
func (u *uploadFile) AttrJac(th *interp.Thread, name string) (interp.Value, bool) {
	switch name {
	case "filename":
		return interp.Str(u.filename), true
	case "content_type":
		return interp.Str(u.contentType), true
	case "size":
		return interp.MakeInt(int64(len(u.data))), true
	case "file":
		return u, true
	case "read":
		return interp.NewBuiltin(name, func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			n := -1
			if len(a) > 0 {
				n = int(interp.ToInt64(th, a[0]))
			}
			if n < 0 {
				rest, _ := io.ReadAll(u.r)
				return interp.Bytes(rest)
			}
			buf := make([]byte, n)
			k, _ := u.r.Read(buf)
			return interp.Bytes(buf[:k])
		}), true
	case "seek":
		return interp.NewBuiltin(name, func(th *interp.Thread, a []interp.Value, kw []interp.KV) interp.Value {
			off := interp.ToInt64(th, a[0])
			u.r.Seek(off, io.SeekStart)
			return interp.MakeInt(off)
		}), true
	case "close":
		return interp.NewBuiltin(name, func(*interp.Thread, []interp.Value, []interp.KV) interp.Value { return interp.None }), true
	}
	return nil, false
}

// ReprJac renders the upload.
func (u *uploadFile) ReprJac(th *interp.Thread) string {
	return "UploadFile(filename=" + interp.QuoteStr(u.filename) + ", size=" + interp.Repr(th, interp.MakeInt(int64(len(u.data)))) + ")"
}

func isMultipart(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data")
}

// multipartBody reads a multipart request into form values and files.
func (s *Server) multipartBody(r *http.Request) (map[string]string, map[string]*uploadFile, error) {
	if err := r.ParseMultipartForm(32 << 20); err != nil {
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
			return nil, nil, err
		}
		files[k] = u
	}
	return fields, files, nil
}

func isUploadType(t interp.Value) bool { return t == interp.UploadFileClass }
