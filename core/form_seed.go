package core

import (
	"crypto/rand"
	"crypto/sha256"
)

// SigningKey returns a secret key for purpose (signing values the server hands
// out and must recognise, such as the console's pre-login CSRF seed). It is
// derived from the personal-data key, so every replica sharing that key derives
// the same one; without a data key (tools, tests) it is random per process.
func (c *Core) SigningKey(purpose string) []byte {
	if c.pii != nil {
		sum := sha256.Sum256([]byte(c.pii.Index("skillcert signing key: " + purpose)))
		return sum[:]
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return b
}
