package domain

// Notification delivery channels.
const (
	ChannelSubscribe = "subscribe" // mini-program subscribe message
	ChannelTemplate  = "template"  // official-account template message
	ChannelApp       = "app"       // shown in the app only (an outbox row's channel when app_only)
)
