// Package pindrift holds what belongs to the project as a whole rather than
// to one capability: the GitHub App manifest, app.yml, embedded so that the
// binary registers exactly the App the repository describes.
//
// It is at the bottom of the layers (layers_test.go) and must import no
// pindrift package: cmd/bot and internal/register read the manifest from
// here. Its external tests check the repository as a whole, so they alone
// may import any layer: the README's generated tables (readme_test.go), the
// layering of every package and a package doc for each (layers_test.go).
package pindrift
