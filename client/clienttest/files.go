package clienttest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/iexkit/exchanger-go/signer"
)

// uploadIntent is a one-time permission to upload one file.
type uploadIntent struct {
	id                       int64
	uuid                     string
	clientID                 int64
	purpose                  string
	resourceType, resourceID string
	fieldKey                 string
	status                   string // pending, committed, consumed, expired
	allowedExt               []string
	maxBytes                 int64
	file                     map[string]any
	expiresAt                time.Time
	committedAt, consumedAt  time.Time
}

const (
	defaultMaxUpload = 10 << 20
	intentTTL        = time.Hour
)

var uploadPurposes = map[string]bool{"identity_verification": true, "card_verification": true,
	"order_attachment": true, "sandbox": true}

func (u *uploadIntent) json(now time.Time) map[string]any {
	status := u.status
	if status == "pending" && now.After(u.expiresAt) {
		status = "expired"
	}
	file := u.file
	if file == nil {
		file = map[string]any{}
	}
	return map[string]any{
		"id": u.id, "uuid": u.uuid, "purpose": u.purpose, "resource_type": nullable(u.resourceType),
		"resource_id": nullable(u.resourceID), "field_key": nullable(u.fieldKey), "status": status,
		"allowed_extensions": u.allowedExt, "max_bytes": u.maxBytes, "file": file,
		"expires_at": ts(u.expiresAt), "committed_at": tsPtr(u.committedAt), "consumed_at": tsPtr(u.consumedAt),
	}
}

func (s *Server) hIntentCreate(rq *request) (reply, *apiError) {
	o, e := decodeObject(rq, true)
	if e != nil {
		return reply{}, e
	}
	fe := fieldErrors{}
	purpose, has := o.str(fe, "purpose")
	if !has && len(fe) == 0 {
		fe.add("purpose", "The purpose field is required.")
	} else if has && !uploadPurposes[purpose] {
		fe.add("purpose", "The selected purpose is invalid.")
	}
	exts, hasExts := o.strings(fe, "allowed_extensions")
	if !hasExts {
		exts = []string{"jpg", "jpeg", "png", "pdf"}
	}
	for i, x := range exts {
		exts[i] = strings.ToLower(strings.TrimPrefix(x, "."))
	}
	maxBytes := int64(defaultMaxUpload)
	if n, has := o.int(fe, "max_bytes"); has {
		if n < 1 || n > maxMultipartBody-64<<10 {
			fe.add("max_bytes", "The max_bytes must be between 1 and "+strconv.Itoa(maxMultipartBody-64<<10)+".")
		}
		maxBytes = n
	}
	rt, _ := o.str(fe, "resource_type")
	rid, _ := o.str(fe, "resource_id")
	fk, _ := o.str(fe, "field_key")
	if e := fe.err(); e != nil {
		return reply{}, e
	}
	s.nextIntentID++
	u := &uploadIntent{id: s.nextIntentID, uuid: uuid.NewString(), clientID: rq.key.ClientID, purpose: purpose,
		resourceType: rt, resourceID: rid, fieldKey: fk, status: "pending", allowedExt: exts, maxBytes: maxBytes,
		expiresAt: rq.now.Add(intentTTL)}
	s.intents[u.uuid] = u
	return reply{status: http.StatusCreated, result: map[string]any{"upload_intent": u.json(rq.now)}}, nil
}

func (s *Server) ownIntent(rq *request) (*uploadIntent, *apiError) {
	u, ok := s.intents[rq.params["intent"]]
	if !ok || u.clientID != rq.key.ClientID {
		return nil, notFound("Upload intent")
	}
	return u, nil
}

func (s *Server) hIntentShow(rq *request) (reply, *apiError) {
	u, e := s.ownIntent(rq)
	if e != nil {
		return reply{}, e
	}
	return reply{result: map[string]any{"upload_intent": u.json(rq.now)}}, nil
}

// hIntentCommit takes the multipart field "file". X-Api-File-Sha256 must be
// the SHA-256 of that file: it is what the signature covered.
func (s *Server) hIntentCommit(rq *request) (reply, *apiError) {
	u, e := s.ownIntent(rq)
	if e != nil {
		return reply{}, e
	}
	if u.status != "pending" {
		return reply{}, validation("intent", "The upload intent is already "+u.status+".")
	}
	if rq.now.After(u.expiresAt) {
		return reply{}, validation("intent", "The upload intent has expired.")
	}
	if !rq.multipart {
		return reply{}, validation("file", "The file must be sent as multipart/form-data field \"file\".")
	}
	want := rq.r.Header.Get(signer.HeaderFileSHA256)
	if !hex64.MatchString(want) {
		return reply{}, validation(signer.HeaderFileSHA256, "The X-Api-File-Sha256 header must be the lowercase hex SHA-256 of the file.")
	}
	name, size, sum, mt, e := readFilePart(rq, u.maxBytes)
	if e != nil {
		return reply{}, e
	}
	if sum != want {
		return reply{}, validation("file", "The file's SHA-256 does not match X-Api-File-Sha256.")
	}
	ext := strings.ToLower(strings.TrimPrefix(path.Ext(name), "."))
	okExt := false
	for _, x := range u.allowedExt {
		okExt = okExt || x == ext
	}
	if !okExt {
		return reply{}, validation("file", "The file must be one of: "+strings.Join(u.allowedExt, ", ")+".")
	}
	u.status, u.committedAt = "committed", rq.now
	u.file = map[string]any{"name": name, "size": size, "sha256": sum, "mime_type": mt}
	s.emit(rq, "file.uploaded", "upload_intent", u.uuid, u.clientID,
		map[string]any{"upload_intent": map[string]any{"uuid": u.uuid, "purpose": u.purpose, "sha256": sum, "size": size}})
	return reply{result: map[string]any{"upload_intent": u.json(rq.now)}}, nil
}

// readFilePart finds the "file" part and hashes it within maxBytes.
func readFilePart(rq *request, maxBytes int64) (name string, size int64, sum, mediaType string, e *apiError) {
	_, params, err := mime.ParseMediaType(rq.r.Header.Get("Content-Type"))
	if err != nil || params["boundary"] == "" {
		return "", 0, "", "", errf(http.StatusBadRequest, "bad_request", "The multipart body has no boundary.", nil)
	}
	mr := multipart.NewReader(bytes.NewReader(rq.body), params["boundary"])
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return "", 0, "", "", validation("file", "The file field is required.")
		}
		if err != nil {
			return "", 0, "", "", errf(http.StatusBadRequest, "bad_request", "The multipart body is malformed.", nil)
		}
		if p.FormName() != "file" {
			continue
		}
		h := sha256.New()
		n, err := io.Copy(h, io.LimitReader(p, maxBytes+1))
		if err != nil {
			return "", 0, "", "", errf(http.StatusBadRequest, "bad_request", "The multipart body is malformed.", nil)
		}
		if n > maxBytes {
			return "", 0, "", "", validation("file", "The file may not be greater than "+strconv.FormatInt(maxBytes, 10)+" bytes.")
		}
		mt := p.Header.Get("Content-Type")
		if mt == "" {
			mt = "application/octet-stream"
		}
		return p.FileName(), n, hex.EncodeToString(h.Sum(nil)), mt, nil
	}
}
