// Package strictyaml reads a YAML configuration file strictly: every
// unknown key, duplicate key and value of the wrong kind is a Problem
// located at its line, column and key (or the environment variable that
// set it), all of them reported at once as an *Error. The server's
// configuration (config) and a repository's (repoconfig) share it; it
// imports nothing of pindrift.
package strictyaml
