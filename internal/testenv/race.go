//go:build race

package testenv

// raceSubmitWait is the submit gate's wait of test servers built with the
// race detector: instrumented code runs several times slower, and a seat race
// test's burst of 200 submits on two cores outlasts the production default
// (core.DefaultSubmitWait), which is sized for a client's 10 s timeout. A
// test's own Options.Env setting still wins.
const raceSubmitWait = "8s"
