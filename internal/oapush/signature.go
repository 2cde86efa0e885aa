// Package oapush plays WeChat's side of the official-account message server: it
// signs, and in safe mode encrypts, pushes of text messages and events as WeChat
// posts them to /wechat/callback, and reads the replies (checking and decrypting
// safe-mode ones). The server checks signatures with Signature too. Tests,
// `skillcert chat` and the bench post through it.
package oapush

import (
	"crypto/sha1"
	"encoding/hex"
	"sort"
	"strings"
)

// Signature is WeChat's message-server signature: the hex SHA-1 of the sorted
// parts concatenated (token, timestamp and nonce for signature; with the Encrypt
// element for msg_signature in safe mode).
func Signature(parts ...string) string {
	s := append([]string(nil), parts...)
	sort.Strings(s)
	sum := sha1.Sum([]byte(strings.Join(s, "")))
	return hex.EncodeToString(sum[:])
}
