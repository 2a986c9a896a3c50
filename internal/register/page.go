package register

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"sync"
)

// flow is one registration: the local page and its callback.
type flow struct {
	o        Options
	state    string
	host     string // host:port the page is served on
	manifest string // JSON posted to GitHub
	done     chan outcome

	mu       sync.Mutex
	finished bool // a callback with the right state was taken
}

type outcome struct {
	result Result
	err    error
}

// manifestJSON is app.yml's manifest pointed at this run.
func (f *flow) manifestJSON() (string, error) {
	m := f.o.Manifest
	m.HookAttributes.URL = f.o.WebhookURL
	m.RedirectURL = "http://" + f.host + CallbackPath
	if f.o.Name != "" {
		m.Name = f.o.Name
	}
	if err := m.Validate(); err != nil {
		return "", err
	}
	b, err := m.JSON()
	return string(b), err
}

// createURL is GitHub's page that takes the manifest, with the state it
// will hand back.
func (f *flow) createURL() string {
	path := "/settings/apps/new"
	if f.o.Org != "" {
		path = "/organizations/" + url.PathEscape(f.o.Org) + "/settings/apps/new"
	}
	return f.o.GitHubURL + path + "?state=" + url.QueryEscape(f.state)
}

func (f *flow) routes(ctx context.Context) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", f.page)
	mux.HandleFunc("GET "+CallbackPath, func(w http.ResponseWriter, r *http.Request) { f.callback(ctx, w, r) })
	return f.guard(mux)
}

// guard answers only requests addressed to the page's own host:port, so a
// web page whose name re-resolves to 127.0.0.1 (DNS rebinding) cannot read
// the state, and tells the browser that nothing here may be framed,
// cached, sniffed or submitted anywhere but to GitHub (and back here, for
// a GitHub that redirects straight to the callback).
func (f *flow) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Host != f.host {
			http.Error(w, "this page answers only at http://"+f.host+"/", http.StatusMisdirectedRequest)
			return
		}
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' "+f.o.GitHubURL+
			"; frame-ancestors 'none'; base-uri 'none'")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

var pageTemplate = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Create the pindrift GitHub App</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:44em;margin:3em auto;padding:0 1em}
pre{background:#f6f8fa;padding:1em;overflow:auto;font-size:13px}button{font-size:1.1em;padding:.5em 1em}</style></head>
<body><h1>Create the pindrift GitHub App</h1>
<p>This sends the App's manifest to GitHub{{if .Org}}, to be owned by the organization <b>{{.Org}}</b>{{end}}.
GitHub shows it to you, you choose "Create GitHub App", and GitHub sends you back here;
<code>bot register</code> then writes the App's credentials to <code>{{.Out}}</code>.</p>
<form action="{{.Action}}" method="post">
<input type="hidden" name="manifest" value="{{.Manifest}}">
<p><button type="submit">Continue on GitHub</button></p>
</form>
<p>Webhooks will go to <code>{{.WebhookURL}}</code>. The manifest:</p>
<pre>{{.Manifest}}</pre>
</body></html>
`))

func (f *flow) page(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	// A failed write means the browser went away; it can load the page again.
	_ = pageTemplate.Execute(w, map[string]string{
		"Org": f.o.Org, "Out": f.o.Out, "Action": f.createURL(), "Manifest": f.manifest, "WebhookURL": f.o.WebhookURL,
	})
}

var resultTemplate = template.Must(template.New("result").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}}</title></head>
<body style="font:16px/1.5 system-ui,sans-serif;max-width:44em;margin:3em auto;padding:0 1em">
<h1>{{.Title}}</h1><p>{{.Message}}</p>
{{if .InstallURL}}<p><a href="{{.InstallURL}}">Install the App on your repositories</a>, then start <code>bot serve --config {{.Out}}</code>.</p>{{end}}
<p>You can close this tab; <code>bot register</code> has printed the same.</p>
</body></html>
`))

func (f *flow) answer(w http.ResponseWriter, status int, title, message string, r *Result) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	data := map[string]string{"Title": title, "Message": message, "Out": f.o.Out}
	if r != nil {
		data["InstallURL"] = r.InstallURL
	}
	_ = resultTemplate.Execute(w, data) // the terminal has the outcome too
}

// callback takes GitHub's redirect. A request without this run's state did
// not come from the page it served (another site can send a browser here
// too) and is refused without ending the run; the first one with it ends
// the run, whatever the exchange's outcome, as the code works only once.
func (f *flow) callback(ctx context.Context, w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(f.state)) != 1 {
		f.answer(w, http.StatusBadRequest, "Refused",
			"This callback's state does not match the one bot register sent to GitHub, so it did not come from this registration. Nothing was done.", nil)
		return
	}
	f.mu.Lock()
	finished := f.finished
	f.finished = true
	f.mu.Unlock()
	if finished {
		f.answer(w, http.StatusGone, "Already done", "This registration has already taken GitHub's answer.", nil)
		return
	}
	code := q.Get("code")
	if code == "" {
		err := errNoCode(q)
		f.answer(w, http.StatusBadRequest, "No App was created", err.Error(), nil)
		f.done <- outcome{err: err}
		return
	}
	res, err := f.complete(ctx, code)
	if err != nil {
		f.answer(w, http.StatusBadGateway, "The App could not be set up", err.Error(), nil)
		f.done <- outcome{err: err}
		return
	}
	f.answer(w, http.StatusOK, "Created "+res.Name, "GitHub created the App and bot register wrote its configuration to "+res.ConfigPath+".", &res)
	f.done <- outcome{result: res}
}

// complete exchanges the code and writes the configuration.
func (f *flow) complete(ctx context.Context, code string) (Result, error) {
	app, err := f.o.exchange(ctx, code)
	if err != nil {
		return Result{}, err
	}
	res := Result{AppID: app.GetID(), Slug: app.GetSlug(), Name: app.GetName(), HTMLURL: app.GetHTMLURL(),
		InstallURL: app.GetHTMLURL() + "/installations/new", ConfigPath: f.o.Out}
	if err := writeConfig(f.o, app); err != nil {
		return res, err
	}
	return res, nil
}

// errNoCode explains a callback without a code, with GitHub's error if it
// sent one.
func errNoCode(q url.Values) error {
	if e := q.Get("error"); e != "" {
		return fmt.Errorf("GitHub sent no code but the error %q: %s", e, q.Get("error_description"))
	}
	return errors.New("GitHub's redirect carried no code, so no App credentials can be fetched; run bot register again")
}
