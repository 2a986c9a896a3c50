package markdown

// GitHub's limits on what pindrift writes. GitHub refuses (422) a request
// that exceeds one, so a report that does not fit would not be seen at all.
// GitHub counts characters; pindrift counts bytes, which are never fewer,
// so what fits here fits there.
const (
	// MaxBody bounds an issue's, a pull request's or a comment's body
	// ("body is too long (maximum is 65536 characters)").
	MaxBody = 65536
	// MaxTitle bounds an issue's or a pull request's title ("title is too
	// long (maximum is 256 characters)").
	MaxTitle = 256
	// MaxCheckText bounds a check run's output summary and text (the
	// Checks API documents 65,535 characters each).
	MaxCheckText = 65535
	// MaxCheckTitle bounds a check run's output title, which GitHub does
	// not document; 255 is what it documents for an annotation's title.
	MaxCheckTitle = 255
	// MaxAnnotationTitle bounds an annotation's title (255 characters).
	MaxAnnotationTitle = 255
	// MaxAnnotationMessage bounds an annotation's message and raw details
	// (64 KB each).
	MaxAnnotationMessage = 64 * 1024
	// MaxAnnotationsPerRequest is how many annotations one create or
	// update request may carry; more go in further update requests,
	// which append to those already there.
	MaxAnnotationsPerRequest = 50
)

// Budget is what is left of a text's length limit, in bytes.
type Budget struct{ left int }

// NewBudget starts a budget of n bytes.
func NewBudget(n int) *Budget { return &Budget{left: n} }

// Left is how many bytes remain.
func (b *Budget) Left() int { return b.left }

// Reserve sets n bytes aside (for a closing part that must fit); it
// reports false, taking nothing, when they are not there.
func (b *Budget) Reserve(n int) bool {
	if n > b.left {
		return false
	}
	b.left -= n
	return true
}

// Take reserves len(s) bytes for s.
func (b *Budget) Take(s string) bool { return b.Reserve(len(s)) }

// Release gives back n bytes reserved earlier.
func (b *Budget) Release(n int) { b.left += n }
