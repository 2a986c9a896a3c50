// Command server serves a directory on a loopback port for the benchmark,
// printing the port on stdout. Files go out with sendfile, so the server
// costs the machine little next to the clients being measured.
//
// It imports no pindrift package and must not: it stands for the release
// host, not for the App.
package main
