//go:build race

package client

// raceEnabled: the race detector changes what allocates (and sync.Pool
// drops items at random), so allocation counts are not checked under it.
const raceEnabled = true
