package console

import (
	"fmt"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"
)

// pager is the pagination bar under every list.
type pager struct {
	Total, Page, Pages int
	PrevURL, NextURL   string
}

// pagerFor builds the bar for the current URL, keeping its other query parameters.
func pagerFor(c echo.Context, total, page, size int) *pager {
	pages := max(1, (total+size-1)/size)
	p := &pager{Total: total, Page: page, Pages: pages}
	link := func(n int) string {
		q := url.Values{}
		for k, v := range c.QueryParams() {
			if k != "page" && k != "ok" {
				q[k] = v
			}
		}
		q.Set("page", strconv.Itoa(n))
		return c.Request().URL.Path + "?" + q.Encode()
	}
	if page > 1 {
		p.PrevURL = link(min(page-1, pages))
	}
	if page < pages {
		p.NextURL = link(page + 1)
	}
	return p
}

// pageParam reads ?page= (1 when absent or bad).
func pageParam(c echo.Context) int {
	n, err := strconv.Atoi(c.QueryParam("page"))
	if err != nil || n < 1 {
		return 1
	}
	return n
}

// pathID reads a positive integer path parameter; anything else is not found.
func pathID(c echo.Context, name string) (int64, error) {
	n, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || n <= 0 {
		return 0, echo.ErrNotFound
	}
	return n, nil
}

// keysetPager is the bar under a list paged by key (the audit log): first,
// newer, older and last pages, and a total that may be capped.
type keysetPager struct {
	Total                                 string // 共 N 条, or 超过 N 条
	FirstURL, NewerURL, OlderURL, LastURL string
}

// keysetFor builds the bar for the current URL, keeping its filters.
func keysetFor(c echo.Context, total string, isFirst, isLast bool, newer, older int64) *keysetPager {
	link := func(k, v string) string {
		q := url.Values{}
		for name, vals := range c.QueryParams() {
			if name != "before" && name != "after" && name != "last" && name != "ok" {
				q[name] = vals
			}
		}
		if k != "" {
			q.Set(k, v)
		}
		return c.Request().URL.Path + "?" + q.Encode()
	}
	p := &keysetPager{Total: total}
	if !isFirst {
		p.FirstURL = link("", "")
		if newer > 0 {
			p.NewerURL = link("after", strconv.FormatInt(newer, 10))
		}
	}
	if !isLast {
		p.LastURL = link("last", "1")
		if older > 0 {
			p.OlderURL = link("before", strconv.FormatInt(older, 10))
		}
	}
	return p
}

// approxTotal is the count under a keyset list: exact ("共 326 条"), or an
// estimate rounded to two significant digits ("共约 6200 条", "共约 1.2 万条",
// "共约 120 万条").
func approxTotal(n int, approx bool) string {
	if !approx {
		return fmt.Sprintf("共 %d 条", n)
	}
	r := roundSignificant(n, 2)
	if r < 10000 {
		return fmt.Sprintf("共约 %d 条", r)
	}
	return "共约 " + strconv.FormatFloat(float64(r)/10000, 'f', -1, 64) + " 万条"
}

// roundSignificant rounds n (>= 0) to digits significant digits.
func roundSignificant(n, digits int) int {
	unit := 1
	for v := n; v >= 10*pow10(digits-1); v /= 10 {
		unit *= 10
	}
	return (n + unit/2) / unit * unit
}

func pow10(k int) int {
	p := 1
	for range k {
		p *= 10
	}
	return p
}

// keysetTotal is the count under a keyset list: exact, or capped.
func keysetTotal(n int, capped bool) string {
	if capped {
		return fmt.Sprintf("超过 %d 条", n)
	}
	return fmt.Sprintf("共 %d 条", n)
}
