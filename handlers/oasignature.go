package handlers

import (
	"crypto/subtle"
	"strconv"
	"strings"
	"time"
)

// OAMaxClockSkew is how far a callback's timestamp may be from our clock: older
// requests (replays) and ones from the future are refused.
const OAMaxClockSkew = 5 * time.Minute

// sameSignature compares a received signature with the expected one in
// constant time (case-insensitive hex).
func sameSignature(got, want string) bool {
	return subtle.ConstantTimeCompare([]byte(strings.ToLower(got)), []byte(want)) == 1
}

// freshTimestamp tells whether a Unix timestamp in seconds is within
// OAMaxClockSkew of now.
func freshTimestamp(ts string, now time.Time) bool {
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false
	}
	d := now.Sub(time.Unix(sec, 0))
	return d <= OAMaxClockSkew && d >= -OAMaxClockSkew
}
