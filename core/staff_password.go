package core

import (
	"context"
	"crypto/rand"
	"math/big"
	"time"

	"golang.org/x/crypto/bcrypt"

	"skillcert/domain"
	"skillcert/repo"
)

// ChangeOwnPassword sets a new password for the signed-in account after checking
// the current one. It ends the account's other sessions (keepToken stays) and
// clears a pending admin reset. Audited; no password is ever logged.
func (c *Core) ChangeOwnPassword(ctx context.Context, st *Staff, keepToken, current, next, confirm string) error {
	row, err := c.db.Write().GetStaff(ctx, st.ID)
	if err != nil {
		return domain.Internal(err)
	}
	var fe []domain.FieldError
	if current == "" {
		fe = append(fe, domain.FieldError{Field: "current", Code: "required", Message: "请填写当前密码"})
	} else if bcrypt.CompareHashAndPassword([]byte(row.PasswordHash), []byte(current)) != nil {
		fe = append(fe, domain.FieldError{Field: "current", Code: "password_wrong", Message: "当前密码不正确"})
	}
	if e := domain.ValidatePassword(next); e != nil {
		for _, f := range domain.FieldErrorsOf(e) {
			f.Field = "new"
			fe = append(fe, f)
		}
	} else if next == current {
		fe = append(fe, domain.FieldError{Field: "new", Code: "password_same", Message: "新密码不能与当前密码相同"})
	}
	if confirm != next {
		fe = append(fe, domain.FieldError{Field: "confirm", Code: "password_mismatch", Message: "两次输入的新密码不一致"})
	}
	if err := domain.InvalidFields(fe); err != nil {
		return err
	}
	hash, err := c.hashPassword(next)
	if err != nil {
		return domain.Internal(err)
	}
	now := c.now().UTC().Truncate(time.Microsecond)
	err = c.db.WithTx(ctx, func(tx repo.Tx) error {
		if _, err := tx.SetStaffPassword(ctx, st.ID, string(hash), now); err != nil {
			return err
		}
		if err := tx.ClearPasswordReset(ctx, st.ID); err != nil {
			return err
		}
		if err := tx.RevokeOtherStaffSessions(ctx, st.ID, HashToken(keepToken), now); err != nil {
			return err
		}
		return c.audit(ctx, tx.Writer, st, AuditPasswordChange, "staff", st.ID, "")
	})
	if err != nil {
		return domain.Internal(err)
	}
	return nil
}

// ResetStaffPassword gives an account a new random one-time password, which the
// admin passes on; the account must choose its own at the next sign-in. Its
// sessions end and a lock is lifted. Admins only, never their own account
// (they change it on the password page). The password is returned once and is
// neither stored in clear nor logged.
func (c *Core) ResetStaffPassword(ctx context.Context, st *Staff, id int64) (string, error) {
	if !st.Is(domain.RoleAdmin) {
		return "", errStaffForbidden
	}
	if id == st.ID {
		return "", domain.Conflict("own_account", "不能重置当前登录账号的密码，请在“修改密码”中修改")
	}
	pw, err := oneTimePassword()
	if err != nil {
		return "", domain.Internal(err)
	}
	hash, err := c.hashPassword(pw)
	if err != nil {
		return "", domain.Internal(err)
	}
	now := c.now().UTC().Truncate(time.Microsecond)
	err = c.db.WithTx(ctx, func(tx repo.Tx) error {
		ok, err := tx.SetStaffPassword(ctx, id, string(hash), now)
		if err != nil {
			return err
		}
		if !ok {
			return domain.NotFound("staff_not_found", "账号不存在")
		}
		if err := tx.MarkPasswordReset(ctx, id, st.ID, now); err != nil {
			return err
		}
		if err := tx.RevokeStaffSessions(ctx, id, now); err != nil {
			return err
		}
		return c.audit(ctx, tx.Writer, st, AuditPasswordReset, "staff", id, "一次性密码，下次登录须修改")
	})
	if err != nil {
		return "", asDomainError(err)
	}
	return pw, nil
}

// IsPasswordChangeRequired reports whether an admin reset the account's password and
// it has not been changed since.
func (c *Core) IsPasswordChangeRequired(ctx context.Context, st *Staff) (bool, error) {
	ok, err := c.db.Read().PasswordResetPending(ctx, st.ID)
	if err != nil {
		return false, domain.Internal(err)
	}
	return ok, nil
}

// ListPasswordResetAccounts returns the accounts that must change their password
// (for the accounts page); admins only.
func (c *Core) ListPasswordResetAccounts(ctx context.Context, st *Staff) (map[int64]bool, error) {
	if !st.Is(domain.RoleAdmin) {
		return nil, errStaffForbidden
	}
	m, err := c.db.PasswordResetAccounts(ctx)
	if err != nil {
		return nil, domain.Internal(err)
	}
	return m, nil
}

// oneTimePassword is 12 characters from an alphabet without look-alikes, with
// at least one letter and one digit.
func oneTimePassword() (string, error) {
	const letters = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
	const digits = "23456789"
	const all = letters + digits
	for {
		b := make([]byte, 12)
		for i := range b {
			n, err := rand.Int(rand.Reader, big.NewInt(int64(len(all))))
			if err != nil {
				return "", err
			}
			b[i] = all[n.Int64()]
		}
		if domain.ValidatePassword(string(b)) == nil {
			return string(b), nil
		}
	}
}
