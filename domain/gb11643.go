package domain

// GB 11643 (公民身份号码) arithmetic, shared by the 18-character documents
// (types 01, 02 and 05).

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const idCheckChars = "10X98765432"

// IDCheckChar returns the GB 11643 check character ('0'-'9' or 'X') for the first 17
// digits of an 18-character ID number; ok is false when first17 is not 17 ASCII digits.
// Test fixtures use it to build valid numbers.
func IDCheckChar(first17 string) (c byte, ok bool) {
	if len(first17) != 17 {
		return 0, false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		d := first17[i]
		if d < '0' || d > '9' {
			return 0, false
		}
		sum += int(d-'0') * idWeights[i]
	}
	return idCheckChars[sum%11], true
}

// provinceCodes are the province-level region codes (first two digits) of mainland
// resident ID numbers. 81, 82 and 83 (Hong Kong, Macao, Taiwan) belong to type 02.
var provinceCodes = map[string]bool{
	"11": true, "12": true, "13": true, "14": true, "15": true,
	"21": true, "22": true, "23": true,
	"31": true, "32": true, "33": true, "34": true, "35": true, "36": true, "37": true,
	"41": true, "42": true, "43": true, "44": true, "45": true, "46": true,
	"50": true, "51": true, "52": true, "53": true, "54": true,
	"61": true, "62": true, "63": true, "64": true, "65": true,
}

// hmtPrefixes are the only first six digits of a 港澳台居民居住证 number.
var hmtPrefixes = map[string]string{
	"810000": "香港",
	"820000": "澳门",
	"830000": "台湾",
}
