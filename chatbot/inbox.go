package chatbot

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// DefaultBudget is how long an answer may take before the passive reply gives
// up: WeChat waits 5 seconds, and the network needs some of them.
const DefaultBudget = 4 * time.Second

// lateTimeout bounds the work of an answer that went past its budget.
const lateTimeout = 30 * time.Second

// pollEvery is how often a retry looks for the first delivery's reply.
const pollEvery = 50 * time.Millisecond

// Handler answers one message (Bot does).
type Handler interface {
	Handle(ctx context.Context, m Message) string
}

// Sender sends a customer-service text message (wechat.Client.SendCustomText).
type Sender interface {
	SendCustomText(ctx context.Context, toOpenID, text string) error
}

// Inbox answers inbound messages: each message once, whatever WeChat retries
// (Dedupe), and within Budget. An answer that takes longer is replied "success"
// and sent afterwards as a customer-service message.
type Inbox struct {
	Handler Handler
	Dedupe  Deduper
	Sender  Sender // nil drops late answers (they are logged)
	Budget  time.Duration
	Log     *slog.Logger

	late sync.WaitGroup
}

// Answer returns the passive reply to a message identified by key ("" means
// "success": no reply now). A retry of a message gets the first delivery's
// reply, or "" when that is not ready within the budget.
func (in *Inbox) Answer(ctx context.Context, key string, m Message) string {
	first, err := in.Dedupe.Claim(ctx, key, m.OpenID)
	if err != nil {
		in.Log.Error("official-account message log", "err", err)
		return textBusy
	}
	if !first {
		return in.waitReply(ctx, key)
	}
	reply := in.answerInTime(ctx, m)
	if err := in.Dedupe.Finish(context.WithoutCancel(ctx), key, reply); err != nil {
		in.Log.Error("official-account message log", "err", err)
	}
	return reply
}

// answerInTime runs the handler and waits up to the budget. Past it, the
// handler's answer goes out as a customer-service message when it comes.
func (in *Inbox) answerInTime(ctx context.Context, m Message) string {
	var (
		mu   sync.Mutex
		late bool
		done = make(chan string, 1)
	)
	in.late.Add(1)
	go func() {
		defer in.late.Done()
		wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), lateTimeout)
		defer cancel()
		reply := in.Handler.Handle(wctx, m)
		mu.Lock()
		if !late {
			done <- reply
			mu.Unlock()
			return
		}
		mu.Unlock()
		in.sendLate(wctx, m.OpenID, reply)
	}()
	timer := time.NewTimer(in.budget())
	defer timer.Stop()
	select {
	case r := <-done:
		return r
	case <-timer.C:
	}
	mu.Lock()
	defer mu.Unlock()
	select {
	case r := <-done:
		return r
	default:
		late = true
		return ""
	}
}

func (in *Inbox) sendLate(ctx context.Context, openID, reply string) {
	if reply == "" {
		return
	}
	if in.Sender == nil {
		in.Log.Warn("late official-account answer dropped: no customer-service sender")
		return
	}
	if err := in.Sender.SendCustomText(ctx, openID, reply); err != nil {
		in.Log.Warn("late official-account answer not sent", "err", err)
	}
}

// waitReply waits, up to the budget, for the reply of the first delivery.
func (in *Inbox) waitReply(ctx context.Context, key string) string {
	deadline := time.Now().Add(in.budget())
	for {
		reply, done, err := in.Dedupe.Result(ctx, key)
		if err != nil {
			in.Log.Warn("official-account message log", "err", err)
			return ""
		}
		if done {
			return reply
		}
		if time.Now().Add(pollEvery).After(deadline) {
			return ""
		}
		select {
		case <-ctx.Done():
			return ""
		case <-time.After(pollEvery):
		}
	}
}

func (in *Inbox) budget() time.Duration {
	if in.Budget <= 0 {
		return DefaultBudget
	}
	return in.Budget
}

// Close waits for the answers still being worked on after their budget.
func (in *Inbox) Close() { in.late.Wait() }
