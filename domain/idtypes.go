package domain

// ID document type codes (证件类型). The codes are ours; they are stored in the database.
const (
	IDTypeResidentCard       = "01" // 居民身份证
	IDTypeHMTResidencePermit = "02" // 港澳台居民居住证
	IDTypeHKMacaoPermit      = "03" // 港澳居民来往内地通行证
	IDTypeTaiwanPermit       = "04" // 台湾居民来往大陆通行证
	IDTypeForeignPermanent   = "05" // 外国人永久居留身份证
	IDTypePassport           = "06" // 护照
)

var idTypes = []Option{
	{IDTypeResidentCard, "居民身份证"},
	{IDTypeHMTResidencePermit, "港澳台居民居住证"},
	{IDTypeHKMacaoPermit, "港澳居民来往内地通行证"},
	{IDTypeTaiwanPermit, "台湾居民来往大陆通行证"},
	{IDTypeForeignPermanent, "外国人永久居留身份证"},
	{IDTypePassport, "护照"},
}

// IDTypes returns the ID document types in form order, as drop-down options.
func IDTypes() []Option { return append([]Option(nil), idTypes...) }

// ValidIDType reports whether code is a known ID document type.
func ValidIDType(code string) bool { return hasOption(idTypes, code) }

// IDTypeName returns the name of an ID document type, or "" when unknown.
func IDTypeName(code string) string { return optionName(idTypes, code) }

// IDTypeEncodesIdentity reports whether numbers of this type carry the birth date and
// gender (types 01, 02, 05): the form then shows them instead of asking for them.
func IDTypeEncodesIdentity(code string) bool {
	switch code {
	case IDTypeResidentCard, IDTypeHMTResidencePermit, IDTypeForeignPermanent:
		return true
	}
	return false
}
