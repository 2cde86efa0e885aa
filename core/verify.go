package core

import (
	"context"

	"skillcert/domain"
)

// Verification states of a candidate's identity, as stored and sent.
const (
	VerifyUnverified = "unverified" // format checked only: 未核验
	VerifyVerified   = "verified"   // confirmed by a real-name service: 已核验
)

// VerifyStateName returns the Chinese name of a verification state.
func VerifyStateName(state string) string {
	if state == VerifyVerified {
		return "已核验"
	}
	return "未核验"
}

// Verifier checks a name and a validated ID document against a real-name
// service. It returns VerifyVerified or VerifyUnverified; a *domain.Error (e.g.
// a field error on "name" when the service says the name does not match) refuses
// the binding and reaches the candidate as it is. Any other error is logged and
// the identity is bound unverified.
type Verifier interface {
	Verify(ctx context.Context, name string, doc domain.IDDocument) (state string, err error)
}

// FormatVerifier is the default Verifier: the number's format, check digit and
// birth date were checked by domain.ParseIDDocument and nothing more is known,
// so the state says so honestly: unverified (未核验).
type FormatVerifier struct{}

// Verify implements Verifier.
func (FormatVerifier) Verify(context.Context, string, domain.IDDocument) (string, error) {
	return VerifyUnverified, nil
}
