package testenv

import (
	"fmt"
	"math/rand/v2"
	"time"

	"skillcert/domain"
)

// mainlandRegions are real region prefixes of resident ID numbers.
var mainlandRegions = []string{"110105", "310104", "440106", "440305", "440524", "510107", "330106", "420111"}

// RandomIDNumber returns a valid, random ID document number of idType (one of
// domain.IDType*; "" means 01 居民身份证), born between 1960 and 2005. The
// 18-character types get a correct GB 11643 check character, so
// domain.ParseIDDocument accepts every number it returns.
func RandomIDNumber(idType string) string {
	switch idType {
	case domain.IDTypeHKMacaoPermit:
		return string("HM"[rand.IntN(2)]) + digits(8)
	case domain.IDTypeTaiwanPermit:
		return digits(8)
	case domain.IDTypePassport:
		return "E" + digits(8)
	case domain.IDTypeHMTResidencePermit:
		return CompleteIDNumber([]string{"810000", "820000", "830000"}[rand.IntN(3)] + birth() + digits(3))
	case domain.IDTypeForeignPermanent:
		return CompleteIDNumber("9" + digits(5) + birth() + digits(3))
	default:
		return CompleteIDNumber(mainlandRegions[rand.IntN(len(mainlandRegions))] + birth() + digits(3))
	}
}

// CompleteIDNumber completes 17 digits with their GB 11643 check character, e.g.
// to build a number whose only fault is its birth date.
func CompleteIDNumber(first17 string) string {
	c, ok := domain.IDCheckChar(first17)
	if !ok {
		panic("testenv: not 17 digits: " + first17)
	}
	return first17 + string(c)
}

func birth() string {
	start := time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC)
	return start.AddDate(0, 0, rand.IntN(46*365)).Format("20060102")
}

func digits(n int) string {
	s := ""
	for range n {
		s += fmt.Sprint(rand.IntN(10))
	}
	return s
}
