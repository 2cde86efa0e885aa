package oapush

import (
	"testing"

	"github.com/silenceper/wechat/v2/util"
)

// The server and this package share Signature: check it against the SDK's own.
func TestSignatureMatchesTheSDK(t *testing.T) {
	cases := [][]string{
		{"token", "1700000000", "nonce"},
		{"skillcert-test-token", "1732700000", "a1b2c3", "ZW5jcnlwdGVk"},
		{"", "", ""},
	}
	for _, c := range cases {
		if got, want := Signature(c...), util.Signature(c...); got != want {
			t.Errorf("Signature(%q) = %s, SDK %s", c, got, want)
		}
	}
}
