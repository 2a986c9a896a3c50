package fixlocal

import (
	"fmt"
	"strings"

	"github.com/pindrift/pindrift/internal/markdown"
	"github.com/pindrift/pindrift/internal/patch"
	"github.com/pindrift/pindrift/internal/shortsha"
)

// maxMessageLines bounds the literals a several-file commit message
// lists, as patch.CommitMessage does for one file.
const maxMessageLines = 200

// commitMessage is the message of the commit that carries fixes, "" when
// none changes its file. A commit changing one file has patch's message,
// the fix pull request's too; one changing several names each rewritten
// literal with its file, neutralised as patch does (GitHub links #1 and
// @alice in commit messages).
func commitMessage(fixes []*patch.Result) string {
	var changed []*patch.Result
	var changes []patch.Change
	for _, fx := range fixes {
		if fx.Changed() {
			changed = append(changed, fx)
			changes = append(changes, fx.Changes...)
		}
	}
	switch len(changed) {
	case 0:
		return ""
	case 1:
		return patch.CommitMessage(changed[0])
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Update %d %s pins in %d files to the bytes now published\n\n", len(changes),
		patch.DigestName(changes), len(changed))
	n := 0
	for _, fx := range changed {
		for _, c := range fx.Changes {
			if n == maxMessageLines {
				fmt.Fprintf(&b, "- and %d more\n", len(changes)-n)
				b.WriteString("\nMade by pindrift from the digests of the live release assets.\n")
				return b.String()
			}
			n++
			fmt.Fprintf(&b, "- %s: %s -> %s (%s)\n", markdown.Title(patch.Location(fx.File, c.Span), markdown.MaxInline),
				shortsha.Of(c.Old, shortsha.Long), shortsha.Of(c.New, shortsha.Long),
				assetList(c))
		}
	}
	b.WriteString("\nMade by pindrift from the digests of the live release assets.\n")
	return b.String()
}

// maxAssetNames bounds the asset names one line lists.
const maxAssetNames = 5

// assetList names the assets a literal feeds, each as code in a title.
func assetList(c patch.Change) string {
	names := c.AssetNames()
	var out []string
	for i, n := range names {
		if i == maxAssetNames {
			out = append(out, fmt.Sprintf("%d more", len(names)-i))
			break
		}
		out = append(out, markdown.TitleCode(n, 60))
	}
	return strings.Join(out, ", ")
}
