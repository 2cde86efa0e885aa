package notify

import (
	"context"
	"errors"

	"skillcert/wechat"
)

// outcome is what a send's result means for the dispatcher.
type outcome int

const (
	outSent      outcome = iota
	outNoConsent         // 43101 / 43004 / 45015: move on to the next channel
	outRefused           // WeChat refused the content or the request: this channel fails
	outTransient         // retry later (-1, 45009, 45011, network, 5xx, token still rejected)
	outStopped           // not sent: the dispatcher is stopping
)

// classify reads a send's error. uncertain is true when WeChat may have accepted
// the message all the same: the failure came with no WeChat errcode (a network
// error, a timeout, an HTTP 5xx, an unreadable reply).
func classify(ctx context.Context, err error) (o outcome, uncertain bool) {
	if err == nil {
		return outSent, false
	}
	// The adapter checks ctx before each HTTP exchange and never interrupts one
	// on the wire, so a cancelled ctx means nothing was sent.
	if ctx.Err() != nil && errors.Is(err, context.Canceled) {
		return outStopped, false
	}
	switch wechat.Classify(err) {
	case wechat.ClassNoConsent:
		return outNoConsent, false
	case wechat.ClassRetryLater, wechat.ClassTokenInvalid:
		we := wechat.AsError(err)
		return outTransient, we == nil || we.Code == 0
	}
	return outRefused, false
}
