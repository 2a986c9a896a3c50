package ghfake

import (
	"fmt"
	"net/http"
	"unicode/utf8"
)

// GitHub's limits on what an App writes, enforced with GitHub's own
// answers (422 and its messages) so a test catches a report that GitHub
// would refuse. They are written out here rather than imported from the
// code under test, so a wrong constant there cannot pass here. GitHub
// counts characters (runes), except for the annotation sizes it gives in
// KB.
const (
	maxBodyChars          = 65536 // issue, pull request and comment bodies
	maxTitleChars         = 256   // issue and pull request titles
	maxCheckOutputChars   = 65535 // check run output summary and text
	maxAnnotationTitle    = 255   // characters
	maxAnnotationBytes    = 64 << 10
	maxAnnotationsPerCall = 50
)

// tooLong answers 422 as GitHub does when an issue's or a pull request's
// title or body is over its limit, and reports whether it did.
func (c *call) tooLong(resource string, title, body *string) bool {
	if title != nil && utf8.RuneCountInString(*title) > maxTitleChars {
		c.invalid(resource, "title", "custom", fmt.Sprintf("title is too long (maximum is %d characters)", maxTitleChars))
		return true
	}
	if body != nil && utf8.RuneCountInString(*body) > maxBodyChars {
		c.invalid(resource, "body", "custom", fmt.Sprintf("body is too long (maximum is %d characters)", maxBodyChars))
		return true
	}
	return false
}

// commentTooLong answers 422 as GitHub does for a comment body over the
// limit.
func (c *call) commentTooLong(body string) bool {
	if utf8.RuneCountInString(body) > maxBodyChars {
		c.invalid("IssueComment", "data", "unprocessable", fmt.Sprintf("Body is too long (maximum is %d characters)", maxBodyChars))
		return true
	}
	return false
}

// checkOutputTooLong answers 422 as GitHub does for a check run output
// over its limits: the summary or the text, too many annotations in one
// request, or an annotation's title, message or raw details too long.
func (c *call) checkOutputTooLong(title, summary, text *string, anns []Annotation) bool {
	for _, s := range []*string{summary, text} {
		if s != nil && utf8.RuneCountInString(*s) > maxCheckOutputChars {
			c.errorJSON(http.StatusUnprocessableEntity, fmt.Sprintf("Invalid request.\n\nOnly %d characters are allowed; %d were supplied.",
				maxCheckOutputChars, utf8.RuneCountInString(*s)))
			return true
		}
	}
	if title != nil && utf8.RuneCountInString(*title) > maxAnnotationTitle {
		// GitHub does not document this one; its annotations' titles are
		// 255 characters, and the App keeps its check titles within that.
		c.invalid("CheckRun", "output.title", "invalid", fmt.Sprintf("title is too long (maximum is %d characters)", maxAnnotationTitle))
		return true
	}
	if len(anns) > maxAnnotationsPerCall {
		c.invalid("CheckRun", "output.annotations", "invalid", fmt.Sprintf("at most %d annotations per request", maxAnnotationsPerCall))
		return true
	}
	for i, a := range anns {
		switch {
		case utf8.RuneCountInString(a.Title) > maxAnnotationTitle:
			c.invalid("CheckRun", fmt.Sprintf("output.annotations[%d].title", i), "invalid", fmt.Sprintf("title is too long (maximum is %d characters)", maxAnnotationTitle))
		case len(a.Message) > maxAnnotationBytes:
			c.invalid("CheckRun", fmt.Sprintf("output.annotations[%d].message", i), "invalid", "message is too long (maximum is 64 KB)")
		case len(a.RawDetails) > maxAnnotationBytes:
			c.invalid("CheckRun", fmt.Sprintf("output.annotations[%d].raw_details", i), "invalid", "raw_details is too long (maximum is 64 KB)")
		default:
			continue
		}
		return true
	}
	return false
}
