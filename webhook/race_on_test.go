//go:build race

package webhook_test

// raceEnabled reports a -race build, whose sync.Pool drops some of what is
// put back: allocation counts are not the code's own then.
const raceEnabled = true
