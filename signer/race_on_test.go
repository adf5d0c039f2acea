//go:build race

package signer

// raceEnabled: the race detector makes sync.Pool drop items at random, so
// allocation counts through a pool are not meaningful.
const raceEnabled = true
