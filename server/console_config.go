package server

import "time"

// ConsoleConfig is the web console's sign-in settings.
type ConsoleConfig struct {
	SessionTTL   time.Duration // SKILLCERT_CONSOLE_SESSION_TTL: how long a sign-in lasts (8h)
	MaxFailures  int           // SKILLCERT_CONSOLE_MAX_FAILURES: wrong passwords in a row from one address before it is locked out (5)
	Lockout      time.Duration // SKILLCERT_CONSOLE_LOCKOUT: the first lock; doubled for each further failure (15m)
	MaxLockout   time.Duration // SKILLCERT_CONSOLE_MAX_LOCKOUT: the longest lock of one address (24h)
	Ceiling      int           // SKILLCERT_CONSOLE_ACCOUNT_CEILING: failures in a row from all addresses that lock the account for everyone (100)
	CookieSecure bool          // SKILLCERT_CONSOLE_SECURE_COOKIE: Secure cookies (true; false only for plain-HTTP development)
	PasswordCost int           // SKILLCERT_PASSWORD_COST: bcrypt cost of staff passwords (10)
}

func loadConsoleConfig(r *envReader) ConsoleConfig {
	return ConsoleConfig{
		SessionTTL:   r.duration("SKILLCERT_CONSOLE_SESSION_TTL", 8*time.Hour),
		MaxFailures:  r.integer("SKILLCERT_CONSOLE_MAX_FAILURES", 5, 1, 100),
		Lockout:      r.duration("SKILLCERT_CONSOLE_LOCKOUT", 15*time.Minute),
		MaxLockout:   r.duration("SKILLCERT_CONSOLE_MAX_LOCKOUT", 24*time.Hour),
		Ceiling:      r.integer("SKILLCERT_CONSOLE_ACCOUNT_CEILING", 100, 2, 1000000),
		CookieSecure: r.boolean("SKILLCERT_CONSOLE_SECURE_COOKIE", true),
		PasswordCost: r.integer("SKILLCERT_PASSWORD_COST", 10, 4, 16),
	}
}
