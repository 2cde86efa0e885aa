// Package pii protects personal data at rest: ID numbers and phone numbers are
// stored as AES-256-GCM ciphertext, with an HMAC-SHA256 blind index for lookups
// by equality. Each ciphertext names the key that sealed it, so keys can rotate:
// new values are sealed with the newest key, old values still open.
package pii

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
)

// Sealer encrypts, decrypts and indexes personal data.
type Sealer struct {
	current string
	aeads   map[string]cipher.AEAD
	index   []byte // the blind-index key; it does not rotate (lookups must keep working)
	opened  atomic.Int64
}

// Opened is how many values Open has decrypted since the Sealer was made: a
// test's measure that a page decrypts its rows, not the whole plan.
func (s *Sealer) Opened() int64 { return s.opened.Load() }

// ErrBadCiphertext means a stored value could not be opened.
var ErrBadCiphertext = errors.New("pii: value cannot be decrypted")

// Parse builds a Sealer from a key spec: comma-separated `id:base64key` entries
// (32-byte keys), the last one current, e.g. `k1:…,k2:…`. A bare base64 key is
// taken as `k1`. The blind-index key is derived from the first key.
func Parse(spec string) (*Sealer, error) {
	s := &Sealer{aeads: map[string]cipher.AEAD{}}
	for i, part := range strings.Split(strings.TrimSpace(spec), ",") {
		part = strings.TrimSpace(part)
		id, b64, ok := strings.Cut(part, ":")
		if !ok {
			id, b64 = "k1", part
		}
		if id == "" || strings.ContainsAny(id, ".:") {
			return nil, fmt.Errorf("key id %q is invalid", id)
		}
		key, err := base64.StdEncoding.DecodeString(b64)
		if err != nil || len(key) != 32 {
			return nil, fmt.Errorf("key %q must be 32 bytes in base64", id)
		}
		block, err := aes.NewCipher(key)
		if err != nil {
			return nil, err
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, err
		}
		s.aeads[id] = aead
		s.current = id
		if i == 0 {
			m := hmac.New(sha256.New, key)
			m.Write([]byte("skillcert blind index v1"))
			s.index = m.Sum(nil)
		}
	}
	return s, nil
}

// LoadOrCreate returns the Sealer for spec, or, when spec is empty, for a key
// kept in dir/data.key, generating that file on first use (created reports it,
// so the caller can warn that the key must be backed up).
func LoadOrCreate(spec, dir string) (s *Sealer, created bool, err error) {
	if spec != "" {
		s, err = Parse(spec)
		return s, false, err
	}
	path := filepath.Join(dir, "data.key")
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		key := make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, false, err
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, false, err
		}
		b = []byte("k1:" + base64.StdEncoding.EncodeToString(key) + "\n")
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			if errors.Is(err, os.ErrExist) { // another process made it first
				return LoadOrCreate("", dir)
			}
			return nil, false, err
		}
		if _, err := f.Write(b); err != nil {
			f.Close()
			return nil, false, err
		}
		if err := f.Close(); err != nil {
			return nil, false, err
		}
		created = true
	} else if err != nil {
		return nil, false, err
	}
	s, err = Parse(string(b))
	return s, created, err
}

// Seal encrypts plain with the current key: "v1.<key id>.<base64(nonce|ciphertext)>".
// The empty string stays empty.
func (s *Sealer) Seal(plain string) (string, error) {
	if plain == "" {
		return "", nil
	}
	aead := s.aeads[s.current]
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	out := aead.Seal(nonce, nonce, []byte(plain), []byte(s.current))
	return "v1." + s.current + "." + base64.RawStdEncoding.EncodeToString(out), nil
}

// Open decrypts a value made by Seal with any key the Sealer holds.
func (s *Sealer) Open(sealed string) (string, error) {
	if sealed == "" {
		return "", nil
	}
	s.opened.Add(1)
	parts := strings.SplitN(sealed, ".", 3)
	if len(parts) != 3 || parts[0] != "v1" {
		return "", ErrBadCiphertext
	}
	aead, ok := s.aeads[parts[1]]
	if !ok {
		return "", fmt.Errorf("%w: unknown key %q", ErrBadCiphertext, parts[1])
	}
	raw, err := base64.RawStdEncoding.DecodeString(parts[2])
	if err != nil || len(raw) < aead.NonceSize() {
		return "", ErrBadCiphertext
	}
	plain, err := aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], []byte(parts[1]))
	if err != nil {
		return "", ErrBadCiphertext
	}
	return string(plain), nil
}

// Opener opens many sealed values one after another (an export's rows) into
// buffers it reuses: only the returned string is allocated. It is for one
// goroutine at a time.
type Opener struct {
	s               *Sealer
	src, raw, plain []byte
}

// NewOpener returns an Opener of s.
func (s *Sealer) NewOpener() *Opener { return &Opener{s: s} }

// Open is Sealer.Open.
func (o *Opener) Open(sealed string) (string, error) {
	if sealed == "" {
		return "", nil
	}
	o.s.opened.Add(1)
	rest, ok := strings.CutPrefix(sealed, "v1.")
	if !ok {
		return "", ErrBadCiphertext
	}
	id, b64, ok := strings.Cut(rest, ".")
	if !ok {
		return "", ErrBadCiphertext
	}
	aead, ok := o.s.aeads[id]
	if !ok {
		return "", fmt.Errorf("%w: unknown key %q", ErrBadCiphertext, id)
	}
	enc := base64.RawStdEncoding
	if need := enc.DecodedLen(len(b64)); cap(o.raw) < need {
		o.raw = make([]byte, need)
	}
	o.src = append(o.src[:0], b64...)
	n, err := enc.Decode(o.raw[:cap(o.raw)], o.src)
	if err != nil || n < aead.NonceSize() {
		return "", ErrBadCiphertext
	}
	raw := o.raw[:n]
	o.plain, err = aead.Open(o.plain[:0], raw[:aead.NonceSize()], raw[aead.NonceSize():], []byte(id))
	if err != nil {
		return "", ErrBadCiphertext
	}
	return string(o.plain), nil
}

// KeyID returns the id of the key that sealed a value ("" when malformed), so a
// rotation job can find values to re-seal.
func KeyID(sealed string) string {
	parts := strings.SplitN(sealed, ".", 3)
	if len(parts) != 3 {
		return ""
	}
	return parts[1]
}

// Index is the blind index of a value: hex HMAC-SHA256 under the index key, for
// equality lookups and unique constraints without storing the value. Callers
// normalise the value first (upper-case X, digits only for phones).
func (s *Sealer) Index(plain string) string {
	m := hmac.New(sha256.New, s.index)
	m.Write([]byte(plain))
	return hex.EncodeToString(m.Sum(nil))
}

// Check tells whether the Sealer opens sample, a value stored earlier (an empty
// sample, from a database without personal data, passes). A server or a restore
// given the wrong key must stop here rather than fail on every later read.
func (s *Sealer) Check(sample string) error {
	if sample == "" {
		return nil
	}
	if _, err := s.Open(sample); err != nil {
		return fmt.Errorf("the personal data was sealed with key %q and this key does not open it: give the key it was made with", KeyID(sample))
	}
	return nil
}
