// Command webhooks is the webhook load benchmark: it starts the App
// in-process on loopback (SQLite database, fake GitHub), sends signed push
// deliveries open-loop at a fixed rate, reports acknowledgement latency
// and checks that every acknowledged delivery became exactly one job.
//
//	go run ./bench/webhooks [-rate 200] [-duration 30s] [-repos 20] [-conns 64] [-cpuprofile FILE]
//
// It exits 1 when deliveries and jobs disagree (or a delivery failed, or
// the fake GitHub saw a request it does not know), 2 when it cannot run.
// See bench/WEBHOOKS.md for figures.
//
// It is at the top of the layers with cmd/bot: it may import any package,
// the fake GitHub included, and nothing imports it.
package main
