package chatbot

// Kind is what an inbound message is.
type Kind int

// Message kinds.
const (
	KindText  Kind = iota + 1 // a text message (or recognised speech: Voice)
	KindEvent                 // an event: subscribe, unsubscribe, menu click, ...
	KindOther                 // images, voice without recognition, links, ...
)

// Events the chat acts on (WeChat's Event values).
const (
	EventSubscribe   = "subscribe"
	EventUnsubscribe = "unsubscribe"
	EventClick       = "CLICK"
)

// Menu click keys (the official account's custom menu, EventKey of CLICK events):
// each maps to the same command as the words in MenuKeys.
const (
	MenuKeyRegister = "REGISTER"
	MenuKeyRecords  = "RECORDS"
	MenuKeyProgress = "PROGRESS"
	MenuKeySearch   = "SEARCH"
	MenuKeyBind     = "BIND"
	MenuKeyHelp     = "HELP"
)

// MenuKeys maps each menu click key to the words it stands for.
var MenuKeys = map[string]string{
	MenuKeyRegister: "报名",
	MenuKeyRecords:  "记录",
	MenuKeyProgress: "进度",
	MenuKeySearch:   "查询",
	MenuKeyBind:     "绑定",
	MenuKeyHelp:     "帮助",
}

// Message is one inbound official-account message or event.
type Message struct {
	OpenID   string // FromUserName: the follower's openid in the official account
	UnionID  string // when WeChat sent one
	Kind     Kind
	Text     string // KindText
	Voice    bool   // KindText: the text is WeChat's recognition of a voice message
	Event    string // KindEvent
	EventKey string // KindEvent: the menu key of a CLICK
	// Origin is scheme://host of the callback request WeChat made: where the
	// web pages are when no base URL is configured.
	Origin string
}
