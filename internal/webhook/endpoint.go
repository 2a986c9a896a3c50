package webhook

import (
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/palantir/go-githubapp/githubapp"
	"github.com/rs/zerolog"
)

// Headers of a delivery.
const (
	signatureHeader = "X-Hub-Signature-256"
	eventHeader     = "X-GitHub-Event"
	deliveryHeader  = "X-GitHub-Delivery"
)

// retryAfterSeconds is the Retry-After of a delivery refused because the
// body budget is spent: long enough for the deliveries being read (each
// bounded by the server's read timeout) to finish.
const retryAfterSeconds = 10

// endpoint authenticates deliveries and dispatches them to the handlers.
// It does the dispatching itself rather than through go-githubapp's
// dispatcher because that one reads the body again with io.ReadAll after
// any wrapper has read it to check the signature, so every delivery would
// be held twice, and it accepts the SHA-1 signature that GitHub keeps
// sending only for compatibility.
//
// Memory is bounded before a byte of the body is read: the Content-Length
// (or MaxPayloadBytes when there is none) is reserved from a budget shared
// by all requests, and a request that does not fit is refused with 503.
// The body is then read once into a buffer of the reserved size.
type endpoint struct {
	secret   []byte
	handlers map[string]githubapp.EventHandler
	budget   *budget
}

func (e *endpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	log := zerolog.Ctx(r.Context())
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "webhook deliveries are POSTed", http.StatusMethodNotAllowed)
		return
	}
	if !strings.HasPrefix(r.Header.Get(signatureHeader), "sha256=") {
		// Refused before its body takes any of the budget.
		w.Header().Set("Connection", "close")
		log.Warn().Msg("delivery without " + signatureHeader + "; rejected unread")
		http.Error(w, errSignature.Error(), http.StatusUnauthorized)
		return
	}
	size := r.ContentLength
	if size > MaxPayloadBytes {
		w.Header().Set("Connection", "close") // do not wait for a body never to be read
		log.Warn().Int64("content_length", size).Int64("limit", MaxPayloadBytes).Msg("delivery too large; rejected unread")
		http.Error(w, "payload too large", http.StatusRequestEntityTooLarge)
		return
	}
	if size < 0 {
		size = MaxPayloadBytes // chunked: it may be as large as the cap
	}
	if !e.budget.acquire(size) {
		log.Warn().Int64("content_length", size).Int64("in_flight", e.budget.inFlight()).Int64("budget", e.budget.max).
			Msg("webhook body budget spent; delivery refused, to be redelivered")
		w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds))
		w.Header().Set("Connection", "close")
		http.Error(w, "too many deliveries being read; retry later", http.StatusServiceUnavailable)
		return
	}
	defer e.budget.release(size)
	body, err := readBody(w, r.Body, size, r.ContentLength >= 0)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			log.Warn().Int64("limit", tooBig.Limit).Msg("delivery longer than its Content-Length or the cap; rejected")
			http.Error(w, "payload too large", http.StatusRequestEntityTooLarge)
			return
		}
		log.Warn().Err(err).Msg("delivery body unreadable; rejected")
		http.Error(w, "unreadable request body", http.StatusBadRequest)
		return
	}
	if err := e.authenticate(r.Header, body); err != nil {
		log.Warn().Err(err).Msg("delivery with a missing or wrong signature; rejected")
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	e.dispatch(w, r, body)
}

// dispatch hands an authenticated delivery to its event's handler:
// 200 once handled (and for ping), 202 for an event pindrift does not
// handle and for a signed payload it cannot use (logged at warn; a
// redelivery would fail the same way), 400 for one naming an impossible
// repository, 500 for a failure GitHub should redeliver.
func (e *endpoint) dispatch(w http.ResponseWriter, r *http.Request, body []byte) {
	event, delivery := r.Header.Get(eventHeader), r.Header.Get(deliveryHeader)
	ctx := zerolog.Ctx(r.Context()).With().
		Str(githubapp.LogKeyEventType, event).Str(githubapp.LogKeyDeliveryID, delivery).
		Logger().WithContext(r.Context())
	log := zerolog.Ctx(ctx)
	if event == "" {
		log.Warn().Msg("signed delivery without " + eventHeader + "; rejected")
		http.Error(w, "missing "+eventHeader+" header", http.StatusBadRequest)
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		log.Warn().Str("content_type", r.Header.Get("Content-Type")).Msg("signed delivery that is not JSON; rejected")
		http.Error(w, "deliveries must be application/json (the App's webhook content type)", http.StatusUnsupportedMediaType)
		return
	}
	log.Info().Msg("received webhook event")
	h, ok := e.handlers[event]
	if !ok {
		if event == "ping" {
			w.WriteHeader(http.StatusOK)
			return
		}
		w.WriteHeader(http.StatusAccepted)
		return
	}
	if err := h.Handle(ctx, event, delivery, body); err != nil {
		e.onError(ctx, w, err)
		return
	}
	w.WriteHeader(http.StatusOK)
}

func (e *endpoint) onError(ctx context.Context, w http.ResponseWriter, err error) {
	log := zerolog.Ctx(ctx)
	var bad badPayloadError
	var name *badNameError
	switch {
	case errors.As(err, &name):
		// Signed by GitHub, yet naming a repository GitHub could not have:
		// a leaked secret or a bug worth a look, never something to act on.
		log.Error().Err(err).Msg("signed delivery names an impossible repository; rejected")
		http.Error(w, err.Error(), http.StatusBadRequest)
	case errors.As(err, &bad):
		// Signed by GitHub yet unusable (not JSON, a field pindrift reads
		// of another type, no repository): a redelivery would fail the same
		// way, and refusing it only marks the App's deliveries as failing.
		log.Warn().Err(err).Msg("signed delivery with an unusable payload; acknowledged, nothing done")
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusAccepted)
		fmt.Fprintln(w, "unusable payload; nothing done")
	default:
		log.Error().Err(err).Msg("delivery not handled; GitHub may redeliver it")
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
	}
}

// errSignature is what a sender without the secret is told.
var errSignature = errors.New("missing or invalid webhook signature (" + signatureHeader + ")")

// authenticate checks the HMAC-SHA256 signature of body. Only
// X-Hub-Signature-256 counts: GitHub sends it with every delivery, and the
// SHA-1 X-Hub-Signature it sends beside it is not accepted alone.
func (e *endpoint) authenticate(h http.Header, body []byte) error {
	hexSig, ok := strings.CutPrefix(h.Get(signatureHeader), "sha256=")
	if !ok {
		return errSignature
	}
	got, err := hex.DecodeString(hexSig)
	if err != nil {
		return errSignature
	}
	mac := hmac.New(sha256.New, e.secret)
	mac.Write(body)
	if !hmac.Equal(got, mac.Sum(nil)) {
		return errSignature
	}
	return nil
}

// readBody reads a body of at most size bytes into one buffer. With a
// known length the buffer is allocated once at that size, and a body
// longer than announced is an error rather than a reallocation; without
// one it doubles up to size (plus the byte that tells a longer body).
func readBody(w http.ResponseWriter, rc io.ReadCloser, size int64, known bool) ([]byte, error) {
	body := http.MaxBytesReader(w, rc, size)
	if known {
		buf := make([]byte, size)
		if _, err := io.ReadFull(body, buf); err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) {
				return nil, errors.New("body shorter than its Content-Length")
			}
			return nil, err
		}
		// net/http ends the body at its Content-Length, so this sees EOF;
		// it guards against a server that would not.
		var one [1]byte
		if _, err := io.ReadFull(body, one[:]); !errors.Is(err, io.EOF) {
			return nil, cmp.Or(err, errors.New("body longer than its Content-Length"))
		}
		return buf, nil
	}
	buf := make([]byte, 0, min(size+1, 64<<10))
	for {
		if len(buf) == cap(buf) {
			grown := make([]byte, len(buf), min(2*int64(cap(buf)), size+1))
			copy(grown, buf)
			buf = grown
		}
		n, err := body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if errors.Is(err, io.EOF) {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// badPayloadError marks a signed payload that does not decode.
type badPayloadError struct{ err error }

func (e badPayloadError) Error() string { return "decode payload: " + e.err.Error() }
func (e badPayloadError) Unwrap() error { return e.err }
