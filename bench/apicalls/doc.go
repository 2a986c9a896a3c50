// Command apicalls measures what a sweep costs in GitHub API requests:
// it starts the App in-process (SQLite, fake GitHub on loopback) over
// repositories that each pin two release assets, lets the periodic sweep
// run twice, cold (just started) and warm (nothing changed since), and
// prints the requests per repository from the fake's request log, in each
// verify mode. "counted" are the requests GitHub counts against the
// installation's rate limit; "304" are conditional requests answered Not
// Modified, which it does not count; "app" are the App's own (JWT)
// requests: listing installations and minting tokens.
//
//	go run ./bench/apicalls [-repos 50] [-installations 5] [-modes full,metadata,auto] [-interval 15s]
//
// It exits 1 when a sweep did not verify every repository or the fake saw
// a request it does not know, 2 when it cannot run.
//
// It is at the top of the layers with cmd/bot: it may import any package,
// the fake GitHub included, and nothing imports it.
package main
