package oapush

import (
	"encoding/xml"
	"time"
)

// DefaultAccountID is the ToUserName of pushes that name none (an official
// account's original id looks like gh_xxxxxxxxxxxx).
const DefaultAccountID = "gh_skillcert0001"

// Message is one push from WeChat: a text message (MsgType "text") or an event.
type Message struct {
	From     string // the follower's openid (FromUserName)
	To       string // the account's original id; DefaultAccountID when empty
	MsgType  string // "text", "event", "image", ...
	Content  string // text
	MsgID    int64  // text and other messages; events have none
	Event    string // events: subscribe, unsubscribe, CLICK, ...
	EventKey string
	UnionID  string // only when set
	// Voice messages (MsgType "voice"): the media, its format and, with speech
	// recognition on, what WeChat heard.
	MediaID, Format, Recognition string
	CreateTime                   int64 // Unix seconds; the push's time when zero
}

// Text is a text message.
func Text(from string, msgID int64, content string) Message {
	return Message{From: from, MsgType: "text", Content: content, MsgID: msgID}
}

// Voice is a voice message with WeChat's speech recognition result
// (Recognition; "" when recognition is off or heard nothing).
func Voice(from string, msgID int64, recognition string) Message {
	return Message{From: from, MsgType: "voice", MsgID: msgID, MediaID: "media-" + randomHex(8), Format: "amr",
		Recognition: recognition}
}

// Event is an event push (key for CLICK events, else "").
func Event(from, event, key string) Message {
	return Message{From: from, MsgType: "event", Event: event, EventKey: key}
}

type cdata struct {
	Text string `xml:",cdata"`
}

func optional(s string) *cdata {
	if s == "" {
		return nil
	}
	return &cdata{s}
}

// XML renders the message as WeChat posts it, at now when CreateTime is zero.
func (m Message) XML(now time.Time) []byte {
	to, created := m.To, m.CreateTime
	if to == "" {
		to = DefaultAccountID
	}
	if created == 0 {
		created = now.Unix()
	}
	v := struct {
		XMLName      xml.Name `xml:"xml"`
		ToUserName   cdata    `xml:"ToUserName"`
		FromUserName cdata    `xml:"FromUserName"`
		CreateTime   int64    `xml:"CreateTime"`
		MsgType      cdata    `xml:"MsgType"`
		Content      *cdata   `xml:"Content,omitempty"`
		MsgID        int64    `xml:"MsgId,omitempty"`
		Event        *cdata   `xml:"Event,omitempty"`
		EventKey     *cdata   `xml:"EventKey,omitempty"`
		UnionID      *cdata   `xml:"UnionId,omitempty"`
		MediaID      *cdata   `xml:"MediaId,omitempty"`
		Format       *cdata   `xml:"Format,omitempty"`
		Recognition  *cdata   `xml:"Recognition,omitempty"`
	}{
		ToUserName: cdata{to}, FromUserName: cdata{m.From}, CreateTime: created, MsgType: cdata{m.MsgType},
		Content: optional(m.Content), MsgID: m.MsgID, Event: optional(m.Event), EventKey: optional(m.EventKey),
		UnionID: optional(m.UnionID), MediaID: optional(m.MediaID), Format: optional(m.Format),
		Recognition: optional(m.Recognition),
	}
	b, _ := xml.Marshal(v) // plain strings and numbers always marshal
	return b
}
