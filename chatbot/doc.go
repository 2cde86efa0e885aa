// Package chatbot is the official-account (公众号) conversation: a state machine
// over core that lets a follower register with a code (报名 → 报名码 → 评价计划确认 →
// the form one field at a time → 汇总 → 提交), list their registrations (记录),
// follow certificate progress (进度/证书), search open plans (查询) and bind their
// mini-program account (绑定码).
//
// Every operation goes through core, with the same rules as the API. The state
// of a conversation lives in the database (oa_conversations) and goes stale after
// TTL without an answer, so any replica can answer the next message. Replies are
// plain Chinese text of at most MaxReplyBytes bytes that never carry a full ID
// number or phone number.
//
// The HTTP callback, signatures, retries and WeChat's 5-second limit are the
// business of handlers.OACallback; this package sees one decoded Message at a
// time.
package chatbot
