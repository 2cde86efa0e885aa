package core

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"skillcert/domain"
	"skillcert/repo"
)

// Staff is a console user as core sees one request of theirs: who they are, what
// they may reach, and where the request came from (for the audit log).
type Staff struct {
	ID              int64
	Username        string
	Role            domain.Role
	InstitutionID   int64 // RoleInstitution only
	InstitutionName string
	Region          string // RoleSupervisor only: the 业务监管地 they oversee
	IP              string
}

// Is reports whether the staff member has one of the roles.
func (s *Staff) Is(roles ...domain.Role) bool {
	for _, r := range roles {
		if s.Role == r {
			return true
		}
	}
	return false
}

func staffFromRow(r repo.Staff) Staff {
	return Staff{ID: r.ID, Username: r.Username, Role: domain.Role(r.Role), InstitutionID: r.InstitutionID.Int64,
		InstitutionName: r.InstitutionName, Region: r.Region}
}

// NewStaff is a console account to create.
type NewStaff struct {
	Username      string
	Password      string
	Role          domain.Role
	InstitutionID int64  // required for RoleInstitution
	Region        string // required for RoleSupervisor
}

// validate checks the account and returns the field errors.
func (n *NewStaff) validate(ctx context.Context, c *Core) error {
	n.Username = strings.TrimSpace(n.Username)
	n.Region = strings.TrimSpace(n.Region)
	var fe []domain.FieldError
	add := func(e error) { fe = append(fe, domain.FieldErrorsOf(e)...) }
	add(domain.ValidateUsername(n.Username))
	add(domain.ValidatePassword(n.Password))
	switch n.Role {
	case domain.RoleInstitution:
		if n.InstitutionID <= 0 {
			add(domain.Invalid("institution_id", "required", "评价机构账号须选择所属评价机构"))
		} else if _, err := c.db.Read().GetInstitution(ctx, n.InstitutionID); repo.IsNoRows(err) {
			add(domain.Invalid("institution_id", "institution_unknown", "所选评价机构不存在"))
		} else if err != nil {
			return domain.Internal(err)
		}
		n.Region = ""
	case domain.RoleSupervisor:
		if n.Region == "" {
			add(domain.Invalid("region", "required", "监管账号须选择业务监管地"))
		} else if !c.opts.HasSupervisionRegion(n.Region) {
			add(domain.Invalid("region", "not_in_list", "请从列表中选择业务监管地"))
		}
		n.InstitutionID = 0
	case domain.RoleAdmin:
		n.InstitutionID, n.Region = 0, ""
	default:
		add(domain.Invalid("role", "role_invalid", "角色应为 institution（评价机构）、supervisor（监管）或 admin（管理员）"))
	}
	return domain.InvalidFields(fe)
}

// CreateStaff creates a console account with a bcrypt hash of its password. by
// is the admin who creates it, or nil for the operator's command line; the
// creation is audited either way. The password is never logged.
func (c *Core) CreateStaff(ctx context.Context, n NewStaff, by *Staff) (Staff, error) {
	if by != nil && by.Role != domain.RoleAdmin {
		return Staff{}, errStaffForbidden
	}
	if err := n.validate(ctx, c); err != nil {
		return Staff{}, err
	}
	hash, err := c.hashPassword(n.Password)
	if err != nil {
		return Staff{}, domain.Internal(err)
	}
	now := c.now().UTC().Truncate(time.Microsecond)
	row := repo.Staff{Username: n.Username, PasswordHash: string(hash), Role: string(n.Role),
		InstitutionID: sql.NullInt64{Int64: n.InstitutionID, Valid: n.InstitutionID > 0},
		Region:        n.Region, CreatedAt: now, UpdatedAt: now}
	err = c.db.WithTx(ctx, func(tx repo.Tx) error {
		if err := tx.InsertStaff(ctx, &row); err != nil {
			return err
		}
		return c.audit(ctx, tx.Writer, by, AuditStaffCreate, "staff", row.ID, "用户名 "+row.Username+"，角色 "+n.Role.Name())
	})
	if repo.IsUniqueViolation(err) {
		return Staff{}, domain.Invalid("username", "username_taken", "用户名已被使用")
	}
	if err != nil {
		return Staff{}, domain.Internal(err)
	}
	st, err := c.db.Write().GetStaff(ctx, row.ID)
	if err != nil {
		return Staff{}, domain.Internal(err)
	}
	return staffFromRow(st), nil
}

// errStaffForbidden is the answer when a role may not do something at all.
var errStaffForbidden = domain.NewError(domain.KindForbidden, "forbidden", "当前账号没有权限进行该操作")
