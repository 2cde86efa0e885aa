package server

import (
	"skillcert/chatbot"
	"skillcert/handlers"
)

// oaCallback builds the official-account chat: the bot over core, the inbox that
// answers each message once and in time (de-duplicated in Redis when configured,
// else in the database), and the callback handler over the adapter's message
// server.
func (a *App) oaCallback() *handlers.OACallback {
	var (
		sender chatbot.Sender
		unions chatbot.UnionIDSource
	)
	if a.WeChat != nil && a.WeChat.HasOfficialAccount() {
		sender = a.WeChat
		unions = a.WeChat
		if a.Cfg.WeChat.OAToken == "" {
			a.Log.Warn("WECHAT_OA_TOKEN is not set: every official-account callback is refused")
		}
	}
	chatStore := a.Core.ChatStore()
	bot := chatbot.New(chatbot.Config{Core: a.Core, Log: a.Log, MiniProgramAppID: a.Cfg.WeChat.MPAppID, UnionIDs: unions, Store: chatStore,
		WebBaseURL: a.Cfg.BaseURL})
	var dedupe chatbot.Deduper = chatStore
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
	return &handlers.OACallback{Server: a.WeChat.NewMessageServer(mode, a.Core, a.Core.Now), Inbox: a.chat}
}

// closeChat waits for chat answers still being worked on past their budget.
func (a *App) closeChat() {
	if a.chat != nil {
		a.chat.Close()
	}
}

// mpCallback is the mini-program's message push (photo check verdicts).
func (a *App) mpCallback() *handlers.MPCallback {
	if a.WeChat != nil && a.WeChat.HasMiniProgram() && a.Cfg.WeChat.MPToken == "" {
		a.Log.Warn("WECHAT_MP_TOKEN is not set: mini-program message push (photo check verdicts) is refused")
	}
	return &handlers.MPCallback{Server: a.WeChat.NewMPMessageServer(a.Core, a.Core.Now), Core: a.Core}
}
