// Package notify is the outbox dispatcher: it claims due outbox rows, picks a
// channel for each event, renders it within WeChat's limits and sends it, with
// retries, a rate limit and metrics.
//
// # Channels
//
// For each event, in order: a mini-program subscribe message when the candidate
// has a consent (credit) for the event's template; else an official-account
// template message when the candidate is linked to a follower (bound by the chat,
// or sharing a UnionID); else the event is recorded as shown in the app only.
// WeChat's 43101 (consent gone) or 43004 (not a follower) moves on to the next
// channel.
//
// # Exactly once per (event, channel)
//
// Every send is recorded before it goes out: a delivery row (outbox_deliveries,
// unique per event and channel) in state "sending", committed together with the
// subscribe credit it uses. When the send returns, its outcome is committed with
// the outbox row's new state, guarded by the claim. A claimer that dies between
// the two leaves the row pending with its lease running; when the lease ends
// another dispatcher claims it and finds the delivery still "sending": the send is
// in doubt (so is one whose last attempt failed without a WeChat errcode — a
// network error, a timeout, an HTTP 5xx). The policy for a delivery in doubt:
//
//   - Template message: send it again with the same client_msg_id (the outbox id).
//     WeChat de-duplicates by (openid, client_msg_id) for a few minutes, so the
//     user gets it exactly once. A doubt older than that window is resent all the
//     same (a possible duplicate rather than a loss).
//   - Subscribe message: WeChat has no idempotency key, but it does count
//     consents. When the first send took the user's last consent for the template
//     and no other send of that template to the user was open (the delivery's
//     sole_credit), the resend is a probe: if the first one went through, WeChat
//     answers 43101 and the delivery is recorded as sent; if it did not, the resend
//     delivers it — exactly once either way. Otherwise we cannot know, and the
//     message is sent again (a possible duplicate rather than a loss).
//
// The lease (Config.Lease) must exceed the longest a send can take (the adapter's
// timeout, times three for a token refetch), so that a row is never taken over
// while its first send is still on the wire. No event is ever lost: every row
// ends sent, app_only, skipped or failed (listed for admins, and requeueable).
//
// # Retries
//
// -1, 45009, 45011, network errors and HTTP 5xx are retried with exponential
// backoff and jitter; the adapter refetches the access token once on
// 40001/42001 by itself. After Config.MaxTries sends the row is marked failed.
// Content WeChat refuses (47003 …) fails that channel and moves on to the next.
package notify
