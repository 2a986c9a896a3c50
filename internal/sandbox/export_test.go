package sandbox

import "time"

// Running is the number of children x has running or starting.
func Running(x *Extractor) int { return len(x.slots) }

// WaitSpare waits until x has a child started ahead and ready.
func WaitSpare(x *Extractor) {
	for {
		select {
		case c := <-x.spare:
			<-c.ready
			x.spare <- c
			return
		default:
			time.Sleep(time.Millisecond)
		}
	}
}

// SparePID is the process id of x's ready spare child.
func SparePID(x *Extractor) int {
	WaitSpare(x)
	c := <-x.spare
	x.spare <- c
	return c.cmd.Process.Pid
}
