package domain

import (
	"strings"
	"unicode/utf8"
)

// Role is what a console account may do.
type Role string

// Console roles.
const (
	RoleInstitution Role = "institution" // one institution's plans, codes, reviews and results
	RoleSupervisor  Role = "supervisor"  // read-only over the plans of a supervision region
	RoleAdmin       Role = "admin"       // institutions, accounts and the audit log
)

var roleNames = []Option{
	{string(RoleInstitution), "评价机构"},
	{string(RoleSupervisor), "监管"},
	{string(RoleAdmin), "管理员"},
}

// RoleOptions returns the roles as options (code and Chinese name).
func RoleOptions() []Option { return append([]Option(nil), roleNames...) }

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return hasOption(roleNames, string(r)) }

// Name returns the Chinese name of the role, e.g. "监管"; "" when unknown.
func (r Role) Name() string { return optionName(roleNames, string(r)) }

// Password length limits: bcrypt reads at most 72 bytes.
const (
	MinPasswordLength = 10
	MaxPasswordBytes  = 72
)

// ValidateUsername checks a console username: 3 to 32 characters of ASCII letters,
// digits, '.', '_' and '-'. The error names the field "username".
func ValidateUsername(s string) error {
	if n := len(s); n < 3 || n > 32 {
		return Invalid("username", "username_length", "用户名应为3至32个字符")
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-", r)) {
			return Invalid("username", "username_chars", "用户名只能包含英文字母、数字和 . _ -")
		}
	}
	return nil
}

// ValidatePassword checks a new console password: at least 10 characters, at
// most 72 bytes, with letters and digits. The error names the field "password".
func ValidatePassword(s string) error {
	if utf8.RuneCountInString(s) < MinPasswordLength {
		return Invalid("password", "password_short", "密码至少10个字符")
	}
	if len(s) > MaxPasswordBytes {
		return Invalid("password", "password_long", "密码最多72个字节")
	}
	var letter, digit bool
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digit = true
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
			letter = true
		}
	}
	if !letter || !digit {
		return Invalid("password", "password_weak", "密码须同时包含字母和数字")
	}
	return nil
}
