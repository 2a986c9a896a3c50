// Package register creates pindrift's GitHub App through GitHub's manifest
// flow: a page on loopback posts app.yml's manifest to GitHub, the person
// clicks "Create GitHub App", GitHub redirects back with a one-time code,
// and the code is exchanged for the App's id, private key and webhook
// secret, which are written as a ready configuration for `bot serve`.
//
// It owns that flow, the page and the configuration file it writes. It
// imports the root package (the manifest) and internal/config (the file's
// keys and defaults), and must not import internal/server or anything
// below config that runs the App (webhook, jobs, runner): registering an
// App starts none of it. Only cmd/bot imports it.
package register
