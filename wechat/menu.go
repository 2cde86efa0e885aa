package wechat

import (
	"context"

	"github.com/silenceper/wechat/v2/officialaccount/menu"
)

// MenuButton is a button of the official account's custom menu (自定义菜单):
// Type "click" (Key, sent back in a CLICK event) or "view" (URL), or a group
// with Sub (up to 5) and no type.
type MenuButton struct {
	Type string
	Name string
	Key  string
	URL  string
	Sub  []MenuButton
}

// SetMenu replaces the official account's custom menu (/cgi-bin/menu/create)
// through the SDK. WeChat checks it (1 to 3 buttons, up to 5 in a group, names
// of at most 16 bytes on top and 60 below, keys of at most 128 bytes): a refused
// menu is an *Error with WeChat's errcode (40016–40027, 40054, 40055). The SDK call takes no context.
func (c *Client) SetMenu(ctx context.Context, buttons []MenuButton) error {
	if c.oa == nil {
		return notConfigured(AppOfficialAccount)
	}
	out := make([]*menu.Button, 0, len(buttons))
	for _, b := range buttons {
		out = append(out, sdkButton(b))
	}
	return c.withToken(ctx, AppOfficialAccount, func() error { return c.oa.GetMenu().SetMenu(out) })
}

func sdkButton(b MenuButton) *menu.Button {
	if len(b.Sub) > 0 {
		sub := make([]*menu.Button, 0, len(b.Sub))
		for _, s := range b.Sub {
			sub = append(sub, sdkButton(s))
		}
		return menu.NewSubButton(b.Name, sub)
	}
	if b.Type == "view" {
		return menu.NewViewButton(b.Name, b.URL)
	}
	return &menu.Button{Type: b.Type, Name: b.Name, Key: b.Key, URL: b.URL}
}
