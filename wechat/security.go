package wechat

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/silenceper/wechat/v2/miniprogram/security"
)

// Content-security scenes (WeChat's scene values of msgSecCheck and
// mediaCheckAsync version 2).
const (
	SceneProfile = 1 // 资料
	SceneComment = 2 // 评论
	SceneForum   = 3 // 论坛
	SceneSocial  = 4 // 社交日志
)

// MaxCheckText is the longest text msgSecCheck takes (2500 characters).
const MaxCheckText = 2500

// Verdicts of a content check (WeChat's result.suggest).
const (
	VerdictPass   = "pass"
	VerdictReview = "review"
	VerdictRisky  = "risky"
)

// TextCheck is one text to check, written by the user with OpenID (who must
// have used the mini-program in the last two hours).
type TextCheck struct {
	OpenID  string
	Scene   int // SceneProfile … SceneSocial
	Content string
}

// CheckText runs msgSecCheck version 2 (/wxa/msg_sec_check) and returns its
// overall verdict: VerdictPass, VerdictReview or VerdictRisky. The text is
// never logged. ctx is passed to the SDK.
func (c *Client) CheckText(ctx context.Context, t TextCheck) (string, error) {
	if c.mp == nil {
		return "", notConfigured(AppMiniProgram)
	}
	if t.OpenID == "" || t.Scene < SceneProfile || t.Scene > SceneSocial {
		return "", &Error{Class: ClassBadData, Msg: "msg_sec_check needs an openid and a scene of 1–4 (not sent)"}
	}
	if utf8.RuneCountInString(t.Content) > MaxCheckText {
		return "", &Error{Class: ClassBadData, Msg: "msg_sec_check text over 2500 characters (not sent)"}
	}
	var res security.MsgCheckResponse
	err := c.withToken(ctx, AppMiniProgram, func() error {
		var err error
		res, err = c.mpSec.MsgCheckContext(ctx, &security.MsgCheckRequest{
			OpenID: t.OpenID, Scene: security.MsgScene(t.Scene), Content: t.Content})
		return err
	})
	if err != nil {
		return "", toError(err)
	}
	return verdict(string(res.Result.Suggest))
}

// MediaCheck is one photo to check asynchronously: WeChat fetches it from URL.
type MediaCheck struct {
	OpenID string
	Scene  int
	URL    string // http(s) URL WeChat can fetch the image from
}

// CheckMediaAsync submits an image to mediaCheckAsync version 2
// (/wxa/media_check_async) and returns the trace id that the verdict, posted
// later to the mini-program's message push as a wxa_media_check event, carries.
func (c *Client) CheckMediaAsync(ctx context.Context, m MediaCheck) (string, error) {
	if c.mp == nil {
		return "", notConfigured(AppMiniProgram)
	}
	if m.OpenID == "" || m.Scene < SceneProfile || m.Scene > SceneSocial ||
		!(strings.HasPrefix(m.URL, "https://") || strings.HasPrefix(m.URL, "http://")) {
		return "", &Error{Class: ClassBadData, Msg: "media_check_async needs an openid, a scene of 1–4 and an http(s) URL (not sent)"}
	}
	var trace string
	err := c.withToken(ctx, AppMiniProgram, func() error {
		var err error
		trace, err = c.mpSec.MediaCheckAsyncContext(ctx, &security.MediaCheckAsyncRequest{
			MediaURL: m.URL, MediaType: 2, OpenID: m.OpenID, Scene: uint8(m.Scene)})
		return err
	})
	if err != nil {
		return "", toError(err)
	}
	if trace == "" {
		return "", &Error{Class: ClassRetryLater, Msg: "media_check_async returned no trace_id"}
	}
	return trace, nil
}

// verdict checks WeChat's suggest value.
func verdict(s string) (string, error) {
	switch s {
	case VerdictPass, VerdictReview, VerdictRisky:
		return s, nil
	}
	return "", &Error{Class: ClassRetryLater, Msg: "content check returned no verdict"}
}
