// Package pindrift holds what belongs to the project as a whole rather than
// to one capability: the GitHub App manifest, app.yml, embedded so that the
// binary registers exactly the App the repository describes.
//
// It is at the bottom of the layers (layers_test.go) and must import no
// pindrift package: cmd/bot and internal/register read the manifest from
// here. Its external tests (package pindrift_test) check the repository as
// a whole rather than one package, the README and the layering among
// them, so they alone may import any layer.
package pindrift
