package webhook

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"

	"github.com/google/go-github/v62/github"
	"github.com/palantir/go-githubapp/githubapp"
	"github.com/rs/zerolog"
)

// endpoint wraps go-githubapp's dispatcher to answer a missing or wrong
// signature with 401: the dispatcher reports every validation failure
// (signature, content type, missing event header) as one ValidationError
// whose cause is an unexported string error, and its default callback
// answers 400 to all of them. The endpoint keeps a copy of the body as the
// dispatcher reads it, so the error callback can tell the cases apart by
// checking the signature again rather than by matching error text.
type endpoint struct {
	secret     []byte
	dispatcher http.Handler
}

type bodyKey struct{}

func (e *endpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "webhook deliveries are POSTed", http.StatusMethodNotAllowed)
		return
	}
	body := new(bytes.Buffer)
	r.Body = struct {
		io.Reader
		io.Closer
	}{io.TeeReader(http.MaxBytesReader(w, r.Body, MaxPayloadBytes), body), r.Body}
	r = r.WithContext(context.WithValue(r.Context(), bodyKey{}, body))
	e.dispatcher.ServeHTTP(w, r)
}

func (e *endpoint) onError(w http.ResponseWriter, r *http.Request, err error) {
	log := zerolog.Ctx(r.Context())
	var invalid githubapp.ValidationError
	var bad badPayloadError
	switch {
	case errors.As(err, &invalid):
		var tooBig *http.MaxBytesError
		if errors.As(invalid.Cause, &tooBig) {
			log.Warn().Int64("limit", tooBig.Limit).Msg("delivery too large; rejected")
			http.Error(w, "payload too large", http.StatusRequestEntityTooLarge)
			return
		}
		if !e.signed(r) {
			log.Warn().Err(invalid.Cause).Msg("delivery with a missing or wrong signature; rejected")
			http.Error(w, "missing or invalid webhook signature", http.StatusUnauthorized)
			return
		}
		log.Warn().Err(invalid.Cause).Msg("signed delivery with invalid headers; rejected")
		http.Error(w, "invalid webhook headers or payload", http.StatusBadRequest)
	case errors.As(err, &bad):
		// Signed by GitHub yet unreadable: a redelivery would fail the same way.
		log.Error().Err(err).Msg("signed delivery with an unreadable payload; rejected")
		http.Error(w, "unreadable payload", http.StatusBadRequest)
	default:
		log.Error().Err(err).Msg("delivery not handled; GitHub may redeliver it")
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
	}
}

// signed reports whether the request carries a valid signature of its
// whole body, reading whatever the dispatcher left unread.
func (e *endpoint) signed(r *http.Request) bool {
	body, ok := r.Context().Value(bodyKey{}).(*bytes.Buffer)
	if !ok {
		return false
	}
	if _, err := io.Copy(io.Discard, r.Body); err != nil {
		return false
	}
	sig := r.Header.Get(github.SHA256SignatureHeader)
	if sig == "" {
		sig = r.Header.Get(github.SHA1SignatureHeader)
	}
	return github.ValidateSignature(sig, body.Bytes(), e.secret) == nil
}

// badPayloadError marks a signed payload that does not decode.
type badPayloadError struct{ err error }

func (e badPayloadError) Error() string { return "decode payload: " + e.err.Error() }
func (e badPayloadError) Unwrap() error { return e.err }
