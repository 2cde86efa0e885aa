package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/url"

	"skillcert/chatbot"
	"skillcert/server"
	"skillcert/wechat"
)

func init() {
	register("oa-menu", "create the official account's custom menu (报名, 我的报名, 更多) through WeChat's API: oa-menu [--base-url URL] [--dry-run]", cmdOAMenu)
}

// cmdOAMenu sets the official account's custom menu (chatbot.Menu): the click
// keys go to the chat, the views to the web pages at the server's public URL
// (--base-url, else SKILLCERT_BASE_URL). It needs WECHAT_OA_APPID and
// WECHAT_OA_SECRET (and WECHAT_API_BASE for the stand-in).
func cmdOAMenu(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("oa-menu", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	base := fs.String("base-url", "", "the server's public URL (default SKILLCERT_BASE_URL)")
	dry := fs.Bool("dry-run", false, "print the menu without sending it")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := server.LoadConfig(nil)
	if err != nil {
		return err
	}
	if *base == "" {
		*base = cfg.BaseURL
	}
	if u, err := url.Parse(*base); *base == "" || err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return errors.New("the menu's pages need the server's public URL: --base-url https://host (or SKILLCERT_BASE_URL)")
	}
	menu := toWeChatMenu(chatbot.Menu(*base))
	printMenu(e, menu, "")
	if *dry {
		return nil
	}
	if cfg.WeChat.OAAppID == "" {
		return errors.New("no official account configured (WECHAT_OA_APPID, WECHAT_OA_SECRET)")
	}
	client, err := wechat.New(wechat.Config{OAAppID: cfg.WeChat.OAAppID, OASecret: cfg.WeChat.OASecret,
		OAToken: cfg.WeChat.OAToken, OAAESKey: cfg.WeChat.OAAESKey, APIBase: cfg.WeChat.APIBase}, wechat.NewMemoryCache())
	if err != nil {
		return err
	}
	if err := client.SetMenu(ctx, menu); err != nil {
		return fmt.Errorf("menu/create: %w", err)
	}
	fmt.Fprintln(e.stdout, "menu created")
	return nil
}

func toWeChatMenu(in []chatbot.MenuButton) []wechat.MenuButton {
	out := make([]wechat.MenuButton, 0, len(in))
	for _, b := range in {
		out = append(out, wechat.MenuButton{Type: b.Type, Name: b.Name, Key: b.Key, URL: b.URL, Sub: toWeChatMenu(b.Sub)})
	}
	return out
}

func printMenu(e *env, menu []wechat.MenuButton, indent string) {
	for _, b := range menu {
		switch {
		case len(b.Sub) > 0:
			fmt.Fprintf(e.stdout, "%s%s\n", indent, b.Name)
			printMenu(e, b.Sub, indent+"  ")
		case b.Type == "view":
			fmt.Fprintf(e.stdout, "%s%s → %s\n", indent, b.Name, b.URL)
		default:
			fmt.Fprintf(e.stdout, "%s%s [%s %s]\n", indent, b.Name, b.Type, b.Key)
		}
	}
}
