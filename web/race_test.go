//go:build race

package web_test

// raceEnabled: under the race detector the two browser journeys run one after
// the other (side by side they starve each other on a 2-core machine).
const raceEnabled = true
