package core

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"skillcert/domain"
	"skillcert/repo"
)

// ListStaffAccounts lists console accounts; admins only.
func (c *Core) ListStaffAccounts(ctx context.Context, st *Staff, page, size int) (Page[StaffAccount], error) {
	if !st.Is(domain.RoleAdmin) {
		return Page[StaffAccount]{}, errStaffForbidden
	}
	page, size = consolePage(page, size)
	rows, total, err := c.db.ListStaff(ctx, size, (page-1)*size)
	if err != nil {
		return Page[StaffAccount]{}, domain.Internal(err)
	}
	return Page[StaffAccount]{Items: views(rows, staffAccountView), Total: total, Page: page, PageSize: size}, nil
}

// SetStaffDisabled disables an account (ending its sessions) or enables it
// again; admins only, and never their own account.
func (c *Core) SetStaffDisabled(ctx context.Context, st *Staff, id int64, disabled bool) error {
	if !st.Is(domain.RoleAdmin) {
		return errStaffForbidden
	}
	if id == st.ID {
		return domain.Conflict("own_account", "不能停用当前登录的账号")
	}
	now := c.now().UTC().Truncate(time.Microsecond)
	err := c.db.WithTx(ctx, func(tx repo.Tx) error {
		ok, err := tx.SetStaffDisabled(ctx, id, disabled, now)
		if err != nil {
			return err
		}
		if !ok {
			return domain.NotFound("staff_not_found", "账号不存在")
		}
		action := AuditStaffEnable
		if disabled {
			action = AuditStaffDisable
			if err := tx.RevokeStaffSessions(ctx, id, now); err != nil {
				return err
			}
		}
		return c.audit(ctx, tx.Writer, st, action, "staff", id, "")
	})
	if err != nil {
		return asDomainError(err)
	}
	return nil
}

// ListInstitutions lists a page of evaluation institutions; admins only.
func (c *Core) ListInstitutions(ctx context.Context, st *Staff, page, size int) (Page[Institution], error) {
	if !st.Is(domain.RoleAdmin) {
		return Page[Institution]{}, errStaffForbidden
	}
	page, size = consolePage(page, size)
	rows, total, err := c.db.ListInstitutions(ctx, size, (page-1)*size)
	if err != nil {
		return Page[Institution]{}, domain.Internal(err)
	}
	return Page[Institution]{Items: views(rows, institutionView), Total: total, Page: page, PageSize: size}, nil
}

// NewInstitution is an evaluation institution (评价机构) to add.
type NewInstitution struct {
	Name, ContactName, ContactPhone, Address string
}

// CreateInstitution adds an evaluation institution; admins only.
func (c *Core) CreateInstitution(ctx context.Context, st *Staff, in NewInstitution) (Institution, error) {
	row, err := c.createInstitution(ctx, st, in)
	return institutionView(row), err
}

func (c *Core) createInstitution(ctx context.Context, st *Staff, in NewInstitution) (repo.Institution, error) {
	if !st.Is(domain.RoleAdmin) {
		return repo.Institution{}, errStaffForbidden
	}
	in.Name, in.ContactName = strings.TrimSpace(in.Name), strings.TrimSpace(in.ContactName)
	in.ContactPhone, in.Address = strings.TrimSpace(in.ContactPhone), strings.TrimSpace(in.Address)
	var fe []domain.FieldError
	if n := utf8.RuneCountInString(in.Name); n < 2 || n > 60 {
		fe = append(fe, domain.FieldError{Field: "name", Code: "name_length", Message: "机构名称应为2至60个字"})
	}
	if utf8.RuneCountInString(in.ContactName) > 30 || utf8.RuneCountInString(in.ContactPhone) > 30 ||
		utf8.RuneCountInString(in.Address) > 150 {
		fe = append(fe, domain.FieldError{Field: "address", Code: "too_long", Message: "联系人、电话最多30字，地址最多150字"})
	}
	if err := domain.InvalidFields(fe); err != nil {
		return repo.Institution{}, err
	}
	now := c.now().UTC().Truncate(time.Microsecond)
	row := repo.Institution{Name: in.Name, ContactName: in.ContactName, ContactPhone: in.ContactPhone,
		Address: in.Address, CreatedAt: now, UpdatedAt: now}
	err := c.db.WithTx(ctx, func(tx repo.Tx) error {
		if err := tx.InsertInstitution(ctx, &row); err != nil {
			return err
		}
		return c.audit(ctx, tx.Writer, st, AuditInstCreate, "institution", row.ID, row.Name)
	})
	if repo.IsUniqueViolation(err) {
		return repo.Institution{}, domain.Invalid("name", "name_taken", "该评价机构已存在")
	}
	if err != nil {
		return repo.Institution{}, domain.Internal(err)
	}
	return row, nil
}

// ListAllInstitutions returns up to 1,000 institutions for the account form's
// drop-down; admins only.
func (c *Core) ListAllInstitutions(ctx context.Context, st *Staff) ([]Institution, error) {
	if !st.Is(domain.RoleAdmin) {
		return nil, errStaffForbidden
	}
	rows, _, err := c.db.ListInstitutions(ctx, 1000, 0)
	if err != nil {
		return nil, domain.Internal(err)
	}
	return views(rows, institutionView), nil
}
