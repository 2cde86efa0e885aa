// Package wechat is skillcert's adapter over github.com/silenceper/wechat/v2: login
// (code2session), phone numbers, mini-program subscribe messages, official-account
// template and customer-service messages, and the official account object for the
// message server.
//
// It builds miniprogram.NewMiniProgram and officialaccount.NewOfficialAccount
// directly (the SDK's root package turns logrus to debug and logs message bodies),
// keeps logrus at warnings, uses stable access tokens kept in a Cache (in memory or
// Redis, shared by replicas), routes the SDK's HTTP through a client with a timeout
// that can point at wechat/fake (InstallHTTPClient), and classifies every failure
// into a Class the callers act on (Classify).
package wechat
