package core

import (
	"time"

	"skillcert/repo"
)

// Views of the admin's lists (accounts, institutions, the audit log): what the
// console shows, never what it must not (a staff account's password hash).

// StaffAccount is a console account as an admin sees it.
type StaffAccount struct {
	ID              int64
	Username        string
	Role            string
	InstitutionID   int64 // 0 unless an institution's staff
	InstitutionName string
	Region          string
	FailedLogins    int
	LockedUntil     time.Time // zero when never locked
	Disabled        bool
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

func staffAccountView(s repo.Staff) StaffAccount {
	return StaffAccount{ID: s.ID, Username: s.Username, Role: s.Role, InstitutionID: s.InstitutionID.Int64,
		InstitutionName: s.InstitutionName, Region: s.Region, FailedLogins: s.FailedLogins,
		LockedUntil: s.LockedUntil.Time, Disabled: s.Disabled, CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt}
}

// Institution is an evaluation institution (评价机构).
type Institution struct {
	ID           int64
	Name         string
	ContactName  string
	ContactPhone string
	Address      string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func institutionView(i repo.Institution) Institution { return Institution(i) }

// InstitutionCity is an institution with the city whose training intentions
// its staff see ("" when none).
type InstitutionCity struct {
	ID   int64
	Name string
	City string
}

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	ID         int64
	ActorKind  string // staff | candidate | system
	ActorID    int64  // 0 when none
	ActorName  string // the staff username, when the actor is staff
	Action     string
	ObjectKind string
	ObjectID   int64 // 0 when none
	Detail     string
	IP         string
	CreatedAt  time.Time
}

func auditEntryView(a repo.AuditEntry) AuditEntry {
	return AuditEntry{ID: a.ID, ActorKind: a.ActorKind, ActorID: a.ActorID.Int64, ActorName: a.ActorName,
		Action: a.Action, ObjectKind: a.ObjectKind, ObjectID: a.ObjectID.Int64, Detail: a.Detail, IP: a.IP,
		CreatedAt: a.CreatedAt}
}

// views converts rows with f.
func views[R, V any](rows []R, f func(R) V) []V {
	out := make([]V, len(rows))
	for i, r := range rows {
		out[i] = f(r)
	}
	return out
}
