package server

import (
	"context"
	"regexp"

	"github.com/silenceper/wechat/v2/officialaccount"

	"skillcert/chatbot"
	"skillcert/handlers"
)

// oaCallback builds the official-account chat: the bot over core, the inbox that
// answers each message once and in time (de-duplicated in Redis when configured,
// else in the database), and the callback handler.
func (a *App) oaCallback() *handlers.OACallback {
	var (
		oa     *officialaccount.OfficialAccount
		sender chatbot.Sender
		unions chatbot.UnionIDSource
	)
	if a.WeChat != nil && a.WeChat.OfficialAccount() != nil {
		oa = a.WeChat.OfficialAccount()
		sender = a.WeChat
		unions = oaUnionIDs{oa: oa}
		if a.Cfg.WeChat.OAToken == "" {
			a.Log.Warn("WECHAT_OA_TOKEN is not set: every official-account callback is refused")
		}
	}
	bot := chatbot.New(chatbot.Config{Core: a.Core, Log: a.Log, MiniProgramAppID: a.Cfg.WeChat.MPAppID, UnionIDs: unions,
		WebBaseURL: a.Cfg.BaseURL})
	var dedupe chatbot.Deduper = chatbot.DBDeduper{DB: a.DB, Now: a.Core.Now}
	if a.Redis != nil {
		dedupe = chatbot.FallbackDeduper{Primary: chatbot.RedisDeduper{RDB: a.Redis, Prefix: "skillcert:oa-inbound:"},
			Secondary: dedupe, Guard: a.redisGuard}
	}
	a.chat = &chatbot.Inbox{Handler: bot, Dedupe: dedupe, Sender: sender, Budget: a.Cfg.Chat.ReplyBudget, Log: a.Log}
	mode := a.Cfg.WeChat.OAMode
	if mode == "" { // a configuration not read by LoadConfig (demo mode's stand-in)
		mode = "plain"
		if a.Cfg.WeChat.OAAESKey != "" {
			mode = "safe"
		}
	}
	return &handlers.OACallback{OA: oa, Token: a.Cfg.WeChat.OAToken, Mode: mode,
		Nonces: a.Core, Inbox: a.chat, Now: a.Core.Now}
}

// closeChat waits for chat answers still being worked on past their budget.
func (a *App) closeChat() {
	if a.chat != nil {
		a.chat.Close()
	}
}

// openIDPattern is what WeChat's openids look like; anything else is never put
// into an API URL (the SDK pastes it in unescaped).
var openIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// oaUnionIDs asks WeChat's user info API for a follower's unionid.
type oaUnionIDs struct {
	oa *officialaccount.OfficialAccount
}

// UnionID returns the follower's unionid ("" when WeChat has none). The SDK
// call takes no context: it is bounded by the adapter's HTTP timeout, and ctx
// only stops the waiting.
func (u oaUnionIDs) UnionID(ctx context.Context, openID string) (string, error) {
	if !openIDPattern.MatchString(openID) {
		return "", nil
	}
	type result struct {
		union string
		err   error
	}
	ch := make(chan result, 1)
	go func() {
		info, err := u.oa.GetUser().GetUserInfo(openID)
		if err != nil {
			ch <- result{err: err}
			return
		}
		ch <- result{union: info.UnionID}
	}()
	select {
	case r := <-ch:
		return r.union, r.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}
