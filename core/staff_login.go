package core

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"math"
	mrand "math/rand/v2"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"skillcert/domain"
	"skillcert/ratelimit"
	"skillcert/repo"
)

// LoginPolicy is how console sign-in defends itself. Wrong passwords lock the
// account only for the address they came from (a colleague elsewhere still signs
// in), for Lockout after MaxFailures and twice as long for each further failure,
// up to MaxLockout; AccountCeiling failures from anywhere, in a row, lock the
// account for everyone (distributed guessing) until Lockout passes or an admin
// unlocks it.
type LoginPolicy struct {
	MaxFailures    int           // failed passwords in a row from one address before it is locked out
	Lockout        time.Duration // the first lock; each further failure doubles it
	MaxLockout     time.Duration // the longest lock of one address (24h when zero)
	AccountCeiling int           // failures in a row from all addresses that lock the account for everyone (100 when zero)
	SessionTTL     time.Duration // how long a console session lasts
	RatePerIP      int           // sign-in attempts per minute per IP address (0: unlimited)
}

func (p LoginPolicy) withDefaults() LoginPolicy {
	p.MaxFailures = max(1, p.MaxFailures)
	if p.Lockout <= 0 {
		p.Lockout = 15 * time.Minute
	}
	if p.MaxLockout <= 0 {
		p.MaxLockout = 24 * time.Hour
	}
	if p.AccountCeiling <= 0 {
		p.AccountCeiling = 100
	}
	return p
}

// lockFor is how long an address is locked out after its n-th failure in a row
// (n >= MaxFailures): Lockout, doubled for each failure past MaxFailures.
func (p LoginPolicy) lockFor(n int) time.Duration {
	d := p.Lockout
	for i := p.MaxFailures; i < n && d < p.MaxLockout; i++ {
		d *= 2
	}
	return min(d, p.MaxLockout)
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

// LogInStaff checks a username and password and opens a console session. After
// MaxFailures wrong passwords in a row from one address, that address is locked
// out of the account (for longer after each further failure), during which even
// the right password is refused from there; after AccountCeiling failures in a
// row from anywhere the account is locked for everyone (see LoginPolicy).
// Successes and failures are audited; the password is never stored or logged.
func (c *Core) LogInStaff(ctx context.Context, username, password, ip string, p LoginPolicy) (string, Staff, error) {
	p = p.withDefaults()
	if p.RatePerIP > 0 {
		ok, retry, err := c.limiter.Limit(ctx, "console-login:ip:"+ip, p.RatePerIP, time.Minute)
		if err != nil {
			c.log.Error("console sign-in rate limit unavailable", "err", err)
			return "", Staff{}, ratelimit.ErrLimitsUnavailable()
		}
		if !ok {
			return "", Staff{}, ratelimit.RateLimited("rate_limited", "登录尝试过于频繁，请稍后再试", retry)
		}
	}
	now := c.now().UTC().Truncate(time.Microsecond)
	row, err := c.db.Write().GetStaffByUsername(ctx, strings.TrimSpace(username))
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
	fromIP, err := c.db.Write().GetStaffIPFailures(ctx, row.ID, ip)
	if err != nil {
		return "", Staff{}, domain.Internal(err)
	}
	if fromIP.LockedUntil.Valid && fromIP.LockedUntil.Time.After(now) {
		c.auditNow(ctx, &st, AuditLoginFailed, "staff", st.ID, "该地址锁定中")
		return "", Staff{}, staffLockedError(fromIP.LockedUntil.Time.Sub(now))
	}
	if row.Disabled {
		_ = bcrypt.CompareHashAndPassword(c.dummyHash(), []byte(password))
		c.auditNow(ctx, &st, AuditLoginFailed, "staff", st.ID, "账号已停用")
		return "", Staff{}, errBadLogin
	}
	if bcrypt.CompareHashAndPassword([]byte(row.PasswordHash), []byte(password)) != nil {
		return "", Staff{}, c.staffLoginFailed(ctx, &st, row, ip, p, now)
	}
	token, err := newStaffToken()
	if err != nil {
		return "", Staff{}, domain.Internal(err)
	}
	err = c.db.WithTx(ctx, func(tx repo.Tx) error {
		if err := tx.StaffLoginOK(ctx, row.ID, now); err != nil {
			return err
		}
		if err := tx.ClearStaffIP(ctx, row.ID, ip); err != nil {
			return err
		}
		if err := tx.InsertStaffSession(ctx, HashToken(token), row.ID, ip, now, now.Add(p.SessionTTL)); err != nil {
			return err
		}
		return c.audit(ctx, tx.Writer, &st, AuditLogin, "staff", st.ID, "")
	})
	if err != nil {
		return "", Staff{}, domain.Internal(err)
	}
	return token, st, nil
}

// staffLoginFailed counts a wrong password against the address and the account,
// locks what reached its limit, audits, and returns the answer to show.
func (c *Core) staffLoginFailed(ctx context.Context, st *Staff, row repo.Staff, ip string, p LoginPolicy, now time.Time) error {
	var lock time.Duration
	err := c.db.WithTx(ctx, func(tx repo.Tx) error {
		f, err := tx.CountStaffIPFailure(ctx, row.ID, ip, now)
		if err != nil {
			return err
		}
		if f.Failures >= p.MaxFailures {
			lock = p.lockFor(f.Failures)
			if err := tx.LockStaffIP(ctx, row.ID, ip, now.Add(lock)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return domain.Internal(err)
	}
	// The account-wide ceiling (the counter restarts when it locks).
	if err := c.db.StaffLoginFailed(ctx, row.ID, p.AccountCeiling, now.Add(p.Lockout), now); err != nil {
		return domain.Internal(err)
	}
	c.auditNow(ctx, st, AuditLoginFailed, "staff", st.ID, "密码错误")
	if row.FailedLogins+1 >= p.AccountCeiling {
		c.log.Warn("console account locked for everyone: too many failures from all addresses", "staff_id", row.ID)
		return staffLockedError(p.Lockout)
	}
	if lock > 0 {
		return staffLockedError(lock)
	}
	if mrand.IntN(100) == 0 {
		_ = c.db.PruneStaffIPFailures(ctx, now.Add(-7*24*time.Hour), now) // best effort
	}
	return errBadLogin
}

// UnlockStaff lifts every lock of an account (from every address and the
// account-wide one) and forgets its failures; admins only, audited.
func (c *Core) UnlockStaff(ctx context.Context, st *Staff, id int64) error {
	if !st.Is(domain.RoleAdmin) {
		return errStaffForbidden
	}
	now := c.now().UTC().Truncate(time.Microsecond)
	err := c.db.WithTx(ctx, func(tx repo.Tx) error {
		ok, err := tx.UnlockStaff(ctx, id, now)
		if err != nil {
			return err
		}
		if !ok {
			return domain.NotFound("staff_not_found", "账号不存在")
		}
		return c.audit(ctx, tx.Writer, st, AuditStaffUnlock, "staff", id, "")
	})
	if err != nil {
		return asDomainError(err)
	}
	return nil
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

// GetStaffSession returns the staff member of a console session token, or an
// unauthorized error when it is missing, unknown, expired, revoked, or its
// account is disabled.
func (c *Core) GetStaffSession(ctx context.Context, token string) (Staff, error) {
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
	row, err := c.db.Read().GetStaff(ctx, id)
	if err != nil {
		return Staff{}, domain.Internal(err)
	}
	return staffFromRow(row), nil
}

// LogOutStaff ends a console session (audited).
func (c *Core) LogOutStaff(ctx context.Context, token string, st *Staff) error {
	now := c.now().UTC().Truncate(time.Microsecond)
	err := c.db.WithTx(ctx, func(tx repo.Tx) error {
		if err := tx.RevokeStaffSession(ctx, HashToken(token), now); err != nil {
			return err
		}
		return c.audit(ctx, tx.Writer, st, AuditLogout, "staff", st.ID, "")
	})
	if err != nil {
		return domain.Internal(err)
	}
	return nil
}
