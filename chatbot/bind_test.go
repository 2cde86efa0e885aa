package chatbot_test

import (
	"testing"
	"time"

	"skillcert/core"
	"skillcert/internal/testenv"
)

// TestBindByCode covers the one-time bind code: wrong, malformed, expired,
// replaced and used codes are refused; a good one binds once; guessing is
// limited per follower.
func TestBindByCode(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		app := startApp(t, dsn, nil)
		c := testenv.SignInWithIdentity(t, app, "李四", "01", testenv.RandomIDNumber("01"))
		f := newFollower(t, app, false)

		f.expect("绑定", "获取绑定码", "10分钟内有效")
		f.expect("绑定 12345", "绑定码为6位数字")
		f.expect("绑定 abcdef", "绑定码为6位数字")
		first := bindCode(t, c)
		second := bindCode(t, c) // replaces the first
		if first != second {
			f.expect("绑定 "+first, "绑定码无效或已过期")
		}
		f.expect("记录", "您还没有报名记录", "获取绑定码")

		// Expired after 10 minutes.
		app.Clock.Set(time.Now().Add(11 * time.Minute))
		f.expect("绑定 "+second, "绑定码无效或已过期")
		app.Clock.Set(time.Time{})

		// A fresh code, sent as six bare digits (full-width too), binds once.
		code := bindCode(t, c)
		if bound, err := app.Core.IsOABound(t.Context(), c.CandidateID); err != nil || bound {
			t.Fatalf("bound before binding: %v %v", bound, err)
		}
		f.expect(toFullWidth(code), "关联成功")
		if bound, err := app.Core.IsOABound(t.Context(), c.CandidateID); err != nil || !bound {
			t.Fatalf("not bound after binding: %v %v", bound, err)
		}
		var me core.Me
		c.Get(t, "/api/v1/me").JSON(t, &me)
		if !me.OABound {
			t.Fatal("GET /api/v1/me does not show oa_bound after binding")
		}
		f.expect("记录", "您还没有报名记录")
		g := newFollower(t, app, false)
		g.expect("绑定 "+code, "绑定码无效或已过期")

		// Guessing: past 5 wrong codes in 10 minutes every code is refused.
		// The limiter counts in fixed 10-minute windows of the app's clock:
		// held a minute into one, so that the six tries cannot straddle two
		// (CI once ran them across 05:20:00 and the sixth was let through).
		app.Clock.Set(time.Now().Truncate(core.OABindGuessWindow).Add(time.Minute))
		defer app.Clock.Set(time.Time{})
		h := newFollower(t, app, false)
		wrong := "000000"
		if wrong == code {
			wrong = "000001"
		}
		for range 5 {
			h.expect("绑定 "+wrong, "绑定码无效或已过期")
		}
		good := bindCode(t, testenv.SignInWithIdentity(t, app, "王五", "01", testenv.RandomIDNumber("01")))
		h.expect("绑定 "+good, "绑定码错误次数过多")
	})
}

// toFullWidth writes ASCII digits as full-width digits (０-９).
func toFullWidth(s string) string {
	out := []rune{}
	for _, r := range s {
		if r >= '0' && r <= '9' {
			r = r - '0' + '０'
		}
		out = append(out, r)
	}
	return string(out)
}
