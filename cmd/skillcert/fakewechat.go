package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"

	"skillcert/wechat/fake"
)

func init() {
	register("fake-wechat", "serve a local stand-in of the WeChat API for development (see docs/WECHAT.md)", cmdFakeWeChat)
}

// cmdFakeWeChat serves wechat/fake with dev codes (any wx.login code "dev-<name>"
// signs in user <name>; "devphone-<11 digits>" is a phone code) and the /_fake/
// admin API, until interrupted.
func cmdFakeWeChat(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("fake-wechat", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	addr := fs.String("addr", ":9090", "listen address")
	mpAppID := fs.String("mp-appid", fake.DefaultMPAppID, "mini-program app id (WECHAT_MP_APPID)")
	mpSecret := fs.String("mp-secret", fake.DefaultMPSecret, "mini-program secret (WECHAT_MP_SECRET)")
	oaAppID := fs.String("oa-appid", fake.DefaultOAAppID, "official account app id (WECHAT_OA_APPID)")
	oaSecret := fs.String("oa-secret", fake.DefaultOASecret, "official account secret (WECHAT_OA_SECRET)")
	callback := fs.String("callback", "", "the server's official-account callback, where QR scans are posted (e.g. http://127.0.0.1:8080/wechat/callback)")
	oaToken := fs.String("oa-token", "", "the official account's token (WECHAT_OA_TOKEN), to sign the scans")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	opts := fake.Options{
		MPAppID: *mpAppID, MPSecret: *mpSecret, OAAppID: *oaAppID, OASecret: *oaSecret,
		DevCodes: true, AdminAPI: true, OACallback: *callback, OAToken: *oaToken,
		Logf: func(format string, a ...any) { e.log.Info(fmt.Sprintf(format, a...)) },
	}
	e.log.Info("fake WeChat API listening", "addr", *addr, "mp_appid", opts.MPAppID, "oa_appid", opts.OAAppID,
		"hint", "set WECHAT_API_BASE=http://127.0.0.1:"+portOf(*addr)+" and the same app ids and secrets")
	return fake.ListenAndServe(ctx, *addr, opts)
}

// portOf returns the port of a listen address such as ":9090".
func portOf(addr string) string {
	if _, port, err := net.SplitHostPort(addr); err == nil {
		return port
	}
	return addr
}
