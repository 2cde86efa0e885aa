package wechat

import (
	"context"
	"regexp"
)

// openIDPattern is what WeChat's openids look like; anything else is never put
// into an API URL (the SDK pastes it in unescaped).
var openIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// UnionID asks the official account's user info API for a follower's unionid
// ("" when WeChat has none, or the openid is malformed). The SDK call takes no
// context: it is bounded by the adapter's HTTP timeout, and ctx only stops the
// waiting.
func (c *Client) UnionID(ctx context.Context, openID string) (string, error) {
	if c == nil || c.oa == nil {
		return "", notConfigured(AppOfficialAccount)
	}
	if !openIDPattern.MatchString(openID) {
		return "", nil
	}
	type result struct {
		union string
		err   error
	}
	ch := make(chan result, 1)
	go func() {
		info, err := c.oa.GetUser().GetUserInfo(openID)
		if err != nil {
			ch <- result{err: err}
			return
		}
		ch <- result{union: info.UnionID}
	}()
	select {
	case r := <-ch:
		return r.union, r.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}
