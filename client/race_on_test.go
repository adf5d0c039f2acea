//go:build race

package client_test

// raceEnabled: under the race detector the serial tests take most of the
// CPU for several times longer, so TestMain does not start the busy-key
// load beside them (the proof then starts it itself, after them).
const raceEnabled = true
