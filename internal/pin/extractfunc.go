package pin

import "context"

// ExtractFunc has Extract's signature and contract: the same result and the
// same error types. It lets a caller evaluate repository content somewhere
// other than in its own process (the App's sandbox) without the code that
// consumes pins knowing where.
type ExtractFunc func(ctx context.Context, file string, src []byte, opts Options) (*Result, error)
