package domain

// Field names (JSON keys of the registration form) that domain rules and errors refer to.
const (
	FieldLevel             = "level"
	FieldIDType            = "id_type"
	FieldIDNumber          = "id_number"
	FieldBasis             = "basis"
	FieldEducation         = "education"
	FieldYearsInOccupation = "years_in_occupation"
	FieldCandidateSource   = "candidate_source"
	FieldEmployer          = "employer"
	FieldLaborRelation     = "labor_relation"
	FieldStatus            = "status"
	FieldAction            = "action"
	FieldStage             = "stage"
	FieldSubject           = "subject"
	FieldResult            = "result"
)

// MaxYearsInOccupation is the largest 从业年限 (whole years) the form accepts.
const MaxYearsInOccupation = 60

// ValidYearsInOccupation reports whether n is an acceptable 从业年限: 0 to 60 whole years.
func ValidYearsInOccupation(n int) bool { return n >= 0 && n <= MaxYearsInOccupation }
