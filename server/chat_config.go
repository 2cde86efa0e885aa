package server

import (
	"time"

	"skillcert/chatbot"
)

// ChatConfig is the official-account chat's settings.
type ChatConfig struct {
	// ReplyBudget is how long a passive reply may take (SKILLCERT_CHAT_REPLY_BUDGET,
	// 4s): WeChat gives up after 5 s, so a longer answer is replied "success" and
	// sent afterwards as a customer-service message.
	ReplyBudget time.Duration
}

// maxReplyBudget leaves WeChat's 5 seconds some room for the network.
const maxReplyBudget = 4500 * time.Millisecond

func loadChatConfig(r *envReader) ChatConfig {
	c := ChatConfig{ReplyBudget: r.duration("SKILLCERT_CHAT_REPLY_BUDGET", chatbot.DefaultBudget)}
	if c.ReplyBudget > maxReplyBudget {
		r.fail("SKILLCERT_CHAT_REPLY_BUDGET", c.ReplyBudget.String(), "want at most 4.5s: WeChat waits 5 seconds")
	}
	return c
}
