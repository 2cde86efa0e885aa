package pii

import (
	"crypto/rand"
	"encoding/base64"
	"strings"
	"testing"
)

func key(t *testing.T) string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}

func TestSealOpenRotateIndex(t *testing.T) {
	k1, k2 := key(t), key(t)
	old, err := Parse("k1:" + k1)
	if err != nil {
		t.Fatal(err)
	}
	c1, err := old.Seal("440524188001010014")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(c1, "440524") || KeyID(c1) != "k1" {
		t.Fatalf("bad ciphertext %q", c1)
	}
	rotated, err := Parse("k1:" + k1 + ",k2:" + k2)
	if err != nil {
		t.Fatal(err)
	}
	if p, err := rotated.Open(c1); err != nil || p != "440524188001010014" {
		t.Fatalf("old value after rotation: %q %v", p, err)
	}
	c2, _ := rotated.Seal("13800138000")
	if KeyID(c2) != "k2" {
		t.Fatalf("new values must use the newest key, got %q", KeyID(c2))
	}
	if _, err := old.Open(c2); err == nil {
		t.Fatal("a value sealed with k2 opened without k2")
	}
	if old.Index("x") != rotated.Index("x") || old.Index("x") == old.Index("y") {
		t.Fatal("blind index must survive rotation and tell values apart")
	}
	tampered := c1[:len(c1)-2] + "AA"
	if _, err := rotated.Open(tampered); err == nil {
		t.Fatal("tampered ciphertext opened")
	}
	if _, err := Parse("k1:short"); err == nil {
		t.Fatal("short key accepted")
	}
}

func TestLoadOrCreate(t *testing.T) {
	dir := t.TempDir()
	s1, created, err := LoadOrCreate("", dir)
	if err != nil || !created {
		t.Fatalf("first: created=%v err=%v", created, err)
	}
	c, _ := s1.Seal("secret")
	s2, created, err := LoadOrCreate("", dir)
	if err != nil || created {
		t.Fatalf("second: created=%v err=%v", created, err)
	}
	if p, err := s2.Open(c); err != nil || p != "secret" {
		t.Fatalf("reloaded key cannot open: %v", err)
	}
}

// TestOpener: an Opener opens what Sealer.Open opens, under either key, one
// value after another in its reused buffers (values of different lengths), and
// refuses what Sealer.Open refuses.
func TestOpener(t *testing.T) {
	k1, k2 := key(t), key(t)
	s, err := Parse("k1:" + k1 + ",k2:" + k2)
	if err != nil {
		t.Fatal(err)
	}
	only1, _ := Parse("k1:" + k1)
	old, _ := only1.Seal("11010519491231002X")
	o := s.NewOpener()
	values := []string{"", "13800138000", "440524188001010014", "x", strings.Repeat("长", 100), "13800138000"}
	var sealed []string
	for _, v := range values {
		c, err := s.Seal(v)
		if err != nil {
			t.Fatal(err)
		}
		if v == "" {
			c = ""
		}
		sealed = append(sealed, c)
	}
	var got []string
	for _, c := range append(sealed, old) {
		p, err := o.Open(c)
		if err != nil {
			t.Fatalf("Open(%q): %v", c, err)
		}
		if want, _ := s.Open(c); p != want {
			t.Fatalf("Opener %q, Sealer %q", p, want)
		}
		got = append(got, p)
	}
	if strings.Join(got, "|") != strings.Join(append(values, "11010519491231002X"), "|") {
		t.Fatalf("opened %q", got)
	}
	good := sealed[1]
	for _, bad := range []string{"v2." + good[3:], "v1.k9." + good[6:], "v1.k2", good[:len(good)-2], good + "A", good[:10] + "!" + good[11:], "garbage"} {
		if _, err := o.Open(bad); err == nil {
			t.Errorf("Opener opened %q", bad)
		}
		if _, err := s.Open(bad); err == nil {
			t.Errorf("Sealer opened %q", bad)
		}
	}
}
