package main

import (
	"io"
	"time"

	"github.com/synth-qda/synth/synthesis/sheet"
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
)

// progressDelay is how long a read runs before a bar appears: short reads,
// which are most of them, print nothing.
const progressDelay = time.Second

// showProgress draws a bar on w for the bytes counted by prog once the work
// has run for progressDelay, until the returned stop is called.
func showProgress(w io.Writer, prog *sheet.Progress) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		select {
		case <-done:
			return
		case <-time.After(progressDelay):
		}
		p := mpb.New(mpb.WithOutput(w), mpb.WithWidth(40), mpb.WithRefreshRate(150*time.Millisecond))
		_, total := prog.Counts()
		bar := p.AddBar(max(total, 1),
			mpb.PrependDecorators(decor.Name("reading spreadsheets ")),
			mpb.AppendDecorators(decor.CountersKibiByte("% .1f / % .1f"), decor.Name(" "), decor.Percentage()),
			mpb.BarRemoveOnComplete(),
		)
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			n, total := prog.Counts()
			bar.SetTotal(max(total, n, 1), false)
			bar.SetCurrent(n)
			select {
			case <-done:
				bar.SetTotal(-1, true)
				p.Wait()
				return
			case <-tick.C:
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}
