package console

import "testing"

func TestApproxTotalSaysAboutHowMany(t *testing.T) {
	for _, c := range []struct {
		n      int
		approx bool
		want   string
	}{
		{0, false, "共 0 条"},
		{326, false, "共 326 条"},
		{1000, false, "共 1000 条"},
		{1234, true, "共约 1200 条"},
		{6251, true, "共约 6300 条"},
		{9960, true, "共约 1 万条"},
		{15499, true, "共约 1.5 万条"},
		{123456, true, "共约 12 万条"},
		{1049999, true, "共约 100 万条"},
	} {
		if got := approxTotal(c.n, c.approx); got != c.want {
			t.Errorf("approxTotal(%d, %v) = %q, want %q", c.n, c.approx, got, c.want)
		}
	}
}
