package console_test

import (
	"net/url"
	"testing"
	"time"

	"skillcert/domain"
	"skillcert/internal/testenv"
)

func TestLoginAttemptsAreRateLimitedPerIP(t *testing.T) {
	app := testenv.Start(t, testenv.NewDSN(t, "sqlite"), testenv.Options{Env: map[string]string{
		"SKILLCERT_LOGIN_RATE": "3", "SKILLCERT_CONSOLE_MAX_FAILURES": "50"}})
	app.CreateStaff(t, "root", domain.RoleAdmin, 0, "")
	app.Clock.Set(time.Date(2026, 3, 10, 10, 0, 20, 0, domain.Beijing)) // one window for every attempt
	c := app.Console()
	c.Get(t, "/console/login")
	for i := 0; i < 3; i++ {
		must(t, c.Post(t, "/console/login", url.Values{"username": {"root"}, "password": {"Wrong-passw0rd-1"}}), 401)
	}
	// Over the rate, even the right password waits for the next minute.
	must(t, c.Post(t, "/console/login", url.Values{"username": {"root"}, "password": {testenv.StaffPassword}}), 429, "登录尝试过于频繁")
	app.Clock.Set(time.Date(2026, 3, 10, 10, 1, 0, 0, domain.Beijing))
	must(t, c.Post(t, "/console/login", url.Values{"username": {"root"}, "password": {testenv.StaffPassword}}), 303)
}
