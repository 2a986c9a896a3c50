package sandbox

// Running is the number of children x has running or starting.
func Running(x *Extractor) int { return len(x.slots) }
