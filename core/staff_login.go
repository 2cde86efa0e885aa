package core

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	"golang.org/x/crypto/bcrypt"

	"skillcert/domain"
	"skillcert/repo"
)

// LoginPolicy is how console sign-in defends itself.
type LoginPolicy struct {
	MaxFailures int           // failed passwords in a row before the account locks
	Lockout     time.Duration // how long a locked account stays locked
	SessionTTL  time.Duration // how long a console session lasts
	RatePerIP   int           // sign-in attempts per minute per IP address (0: unlimited)
}

// Sign-in answers. A wrong username and a wrong password get the same words.
var (
	errBadLogin     = domain.NewError(domain.KindUnauthorized, "bad_login", "用户名或密码错误")
	errStaffSession = domain.NewError(domain.KindUnauthorized, "unauthorized", "登录已失效，请重新登录")
)

// initPasswords sets the bcrypt cost and the dummy hash that is compared against
// when the username is unknown, so that a wrong username takes as long as a
// wrong password.
func (c *Core) initPasswords(cost int) {
	if cost == 0 {
		cost = bcrypt.DefaultCost
	}
	c.pwCost = cost
	c.dummyHash = sync.OnceValue(func() []byte {
		h, _ := bcrypt.GenerateFromPassword([]byte("skillcert-no-such-user"), cost)
		return h
	})
}

// hashPassword is the stored form of a staff password.
func (c *Core) hashPassword(password string) ([]byte, error) {
	return bcrypt.GenerateFromPassword([]byte(password), c.pwCost)
}

// StaffLogin checks a username and password and opens a console session. After
// MaxFailures wrong passwords in a row the account is locked for Lockout, during
// which even the right password is refused. Successes and failures are audited;
// the password is never stored or logged.
func (c *Core) StaffLogin(ctx context.Context, username, password, ip string, p LoginPolicy) (string, Staff, error) {
	if p.RatePerIP > 0 {
		ok, retry, err := c.limiter.Limit(ctx, "console-login:ip:"+ip, p.RatePerIP, time.Minute)
		if err != nil {
			c.log.Error("console sign-in rate limit unavailable", "err", err)
			return "", Staff{}, ErrLimitsUnavailable()
		}
		if !ok {
			return "", Staff{}, RateLimited("rate_limited", "登录尝试过于频繁，请稍后再试", retry)
		}
	}
	now := c.now().UTC().Truncate(time.Microsecond)
	row, err := c.db.GetStaffByUsername(ctx, c.db.W, strings.TrimSpace(username))
	if repo.IsNoRows(err) {
		_ = bcrypt.CompareHashAndPassword(c.dummyHash(), []byte(password))
		c.auditNow(ctx, &Staff{IP: ip}, AuditLoginFailed, "staff", 0, "未知用户名")
		return "", Staff{}, errBadLogin
	}
	if err != nil {
		return "", Staff{}, domain.Internal(err)
	}
	st := staffFromRow(row)
	st.IP = ip
	if row.LockedUntil.Valid && row.LockedUntil.Time.After(now) {
		c.auditNow(ctx, &st, AuditLoginFailed, "staff", st.ID, "账号锁定中")
		return "", Staff{}, staffLockedError(row.LockedUntil.Time.Sub(now))
	}
	if row.Disabled {
		_ = bcrypt.CompareHashAndPassword(c.dummyHash(), []byte(password))
		c.auditNow(ctx, &st, AuditLoginFailed, "staff", st.ID, "账号已停用")
		return "", Staff{}, errBadLogin
	}
	if bcrypt.CompareHashAndPassword([]byte(row.PasswordHash), []byte(password)) != nil {
		if err := c.db.StaffLoginFailed(ctx, row.ID, max(1, p.MaxFailures), now.Add(p.Lockout), now); err != nil {
			return "", Staff{}, domain.Internal(err)
		}
		c.auditNow(ctx, &st, AuditLoginFailed, "staff", st.ID, "密码错误")
		if row.FailedLogins+1 >= max(1, p.MaxFailures) {
			return "", Staff{}, staffLockedError(p.Lockout)
		}
		return "", Staff{}, errBadLogin
	}
	token, err := newStaffToken()
	if err != nil {
		return "", Staff{}, domain.Internal(err)
	}
	err = c.db.WithTx(ctx, func(tx *sqlx.Tx) error {
		if err := c.db.StaffLoginOK(ctx, tx, row.ID, now); err != nil {
			return err
		}
		if err := c.db.InsertStaffSession(ctx, tx, HashToken(token), row.ID, ip, now, now.Add(p.SessionTTL)); err != nil {
			return err
		}
		return c.audit(ctx, tx, &st, AuditLogin, "staff", st.ID, "")
	})
	if err != nil {
		return "", Staff{}, domain.Internal(err)
	}
	return token, st, nil
}

func staffLockedError(left time.Duration) *domain.Error {
	mins := int(math.Ceil(left.Minutes()))
	e := domain.NewError(domain.KindRateLimited, "account_locked",
		fmt.Sprintf("密码错误次数过多，账号已锁定，请%d分钟后再试", max(1, mins)))
	e.RetryAfter = left
	return e
}

func newStaffToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// StaffSession returns the staff member of a console session token, or an
// unauthorized error when it is missing, unknown, expired, revoked, or its
// account is disabled.
func (c *Core) StaffSession(ctx context.Context, token string) (Staff, error) {
	if token == "" {
		return Staff{}, errStaffSession
	}
	id, err := c.db.LookupStaffSession(ctx, HashToken(token), c.now().UTC())
	if repo.IsNoRows(err) {
		return Staff{}, errStaffSession
	}
	if err != nil {
		return Staff{}, domain.Internal(err)
	}
	row, err := c.db.GetStaff(ctx, c.db.R, id)
	if err != nil {
		return Staff{}, domain.Internal(err)
	}
	return staffFromRow(row), nil
}

// StaffLogout ends a console session (audited).
func (c *Core) StaffLogout(ctx context.Context, token string, st *Staff) error {
	now := c.now().UTC().Truncate(time.Microsecond)
	err := c.db.WithTx(ctx, func(tx *sqlx.Tx) error {
		if err := c.db.RevokeStaffSession(ctx, tx, HashToken(token), now); err != nil {
			return err
		}
		return c.audit(ctx, tx, st, AuditLogout, "staff", st.ID, "")
	})
	if err != nil {
		return domain.Internal(err)
	}
	return nil
}
