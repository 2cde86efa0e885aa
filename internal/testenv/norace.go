//go:build !race

package testenv

// raceSubmitWait is empty without the race detector: test servers use the
// production default of the submit gate.
const raceSubmitWait = ""
