package demo

import (
	"context"
	"crypto/rand"
	"fmt"
	"math/big"
	"strings"
	"time"

	"skillcert/core"
	"skillcert/domain"
	"skillcert/repo"
)

// The demo's console accounts (demo mode, server/demo.go).
const (
	AdminUser       = "admin"
	InstitutionUser = "lingnan"
	SupervisorUser  = "gdsup"
	// Institution is the institution of plan 2501 (the seed guide's example).
	Institution = "广东岭南现代技师学院"
	// Region is plan 2501's 业务监管地, the demo supervisor's region.
	Region = "广东省（省本级）"
)

// Account is a console account made by SeedStaff, with the password it
// was given (shown once, never stored in clear).
type Account struct {
	Username string
	Password string
	Role     domain.Role
	Scope    string // the institution or region, for the start-up guide
}

// SeedStaff creates the demo's console accounts when the database has none
// at all: an admin, the institution user of 广东岭南现代技师学院 (plan 2501) and
// the supervisor of 广东省（省本级）, each with a new random password stored as
// a bcrypt hash. It returns them with their passwords, which the caller shows
// once; on a database that already has accounts it returns nil and creates
// nothing, so passwords are never shown again.
func SeedStaff(ctx context.Context, db *repo.DB, c *core.Core, now time.Time) ([]Account, error) {
	if _, n, err := db.ListStaff(ctx, 1, 0); err != nil || n > 0 {
		return nil, err
	}
	inst, err := db.GetInstitutionByName(ctx, db.R, Institution)
	if repo.IsNoRows(err) {
		insts, err := EnsureInstitutions(ctx, db, now)
		if err != nil {
			return nil, err
		}
		inst = insts[0]
	} else if err != nil {
		return nil, err
	}
	want := []struct {
		user   string
		role   domain.Role
		instID int64
		region string
		scope  string
	}{
		{AdminUser, domain.RoleAdmin, 0, "", "全部机构与账号"},
		{InstitutionUser, domain.RoleInstitution, inst.ID, "", inst.Name},
		{SupervisorUser, domain.RoleSupervisor, 0, Region, Region},
	}
	out := make([]Account, 0, len(want))
	for _, w := range want {
		pw, err := newPassword()
		if err != nil {
			return nil, err
		}
		_, err = c.CreateStaff(ctx, core.NewStaff{Username: w.user, Password: pw, Role: w.role,
			InstitutionID: w.instID, Region: w.region}, nil)
		if de, ok := domain.AsError(err); ok && de.Code == "username_taken" {
			continue // another process made it at the same moment: its password is its own
		}
		if err != nil {
			return nil, fmt.Errorf("demo account %s: %w", w.user, err)
		}
		out = append(out, Account{Username: w.user, Password: pw, Role: w.role, Scope: w.scope})
	}
	return out, nil
}

// newPassword is 3 groups of 4 characters without look-alikes (no 0/o, 1/l/i),
// with a letter and a digit: about 59 bits.
func newPassword() (string, error) {
	const alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
	for {
		var b strings.Builder
		for i := 0; i < 12; i++ {
			if i > 0 && i%4 == 0 {
				b.WriteByte('-')
			}
			n, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
			if err != nil {
				return "", err
			}
			b.WriteByte(alphabet[n.Int64()])
		}
		if domain.ValidatePassword(b.String()) == nil {
			return b.String(), nil
		}
	}
}
