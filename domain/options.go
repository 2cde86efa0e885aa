package domain

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
)

// Option is one choice of a drop-down list: a stable code stored in the database and
// the Chinese name shown to people.
type Option struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// FindOption returns the option of list whose code or name equals s (surrounding
// spaces ignored), so that imports may give either.
func FindOption(list []Option, s string) (Option, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Option{}, false
	}
	for _, o := range list {
		if o.Code == s || o.Name == s {
			return o, true
		}
	}
	return Option{}, false
}

// optionName returns the name of code in list, or "" when list has no such code.
func optionName(list []Option, code string) string {
	for _, o := range list {
		if o.Code == code {
			return o.Name
		}
	}
	return ""
}

func hasOption(list []Option, code string) bool {
	for _, o := range list {
		if o.Code == code {
			return true
		}
	}
	return false
}

//go:embed options.json
var defaultOptionsJSON []byte

// Options holds the configurable form enumerations. Provinces differ, so the lists
// are data: the embedded options.json is the default and a JSON file may override it.
type Options struct {
	Education          []Option `json:"education"`           // 文化程度, GB/T 4658-2006 codes
	CandidateSources   []Option `json:"candidate_sources"`   // 考生来源
	LaborRelations     []Option `json:"labor_relations"`     // 劳务关系
	FeedbackCategories []Option `json:"feedback_categories"` // 外部督导反馈类别
	Bases              []Option `json:"bases"`               // 报考依据 offered in the form
	// Occupations is the occupation catalogue a training intention picks from
	// (培训意向登记); codes are the occupation names.
	Occupations []Option `json:"occupations"`
	// Cities are the cities of training intentions and of institutions (所在城市).
	Cities []Option `json:"cities"`
	// SupervisionRegions are the 业务监管地 a plan and a supervisor account pick
	// from: the province level first, then the cities.
	SupervisionRegions []Option `json:"supervision_regions"`
	// EmployerWarning is the notice shown (without blocking) when the employer on the
	// form differs from the provincial HR system's record.
	EmployerWarning string `json:"employer_warning"`
}

// DefaultOptions returns the embedded default options. It panics only if the embedded
// file is broken, which the package tests rule out.
func DefaultOptions() Options {
	var o Options
	if err := decodeOptions(defaultOptionsJSON, &o); err != nil {
		panic("domain: embedded options.json: " + err.Error())
	}
	return o
}

// LoadOptions returns the embedded default options, or, when overridePath is not
// empty, the defaults overridden by that JSON file. A list present in the file
// replaces the default list as a whole; a list absent from it keeps the default.
// The result is validated: unknown keys, empty lists, empty or duplicate codes and
// bases without rules are errors, so a bad file fails at start-up.
func LoadOptions(overridePath string) (Options, error) {
	o := DefaultOptions()
	if overridePath == "" {
		return o, nil
	}
	data, err := os.ReadFile(overridePath)
	if err != nil {
		return Options{}, fmt.Errorf("read options %s: %w", overridePath, err)
	}
	if err := decodeOptions(data, &o); err != nil {
		return Options{}, fmt.Errorf("options %s: %w", overridePath, err)
	}
	return o, nil
}

// decodeOptions decodes data over o (keeping what data does not mention) and validates it.
func decodeOptions(data []byte, o *Options) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(o); err != nil {
		return fmt.Errorf("decode: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("decode: unexpected data after the JSON object")
	}
	return o.validate()
}

func (o Options) validate() error {
	lists := []struct {
		key  string
		list []Option
	}{
		{"education", o.Education},
		{"candidate_sources", o.CandidateSources},
		{"labor_relations", o.LaborRelations},
		{"feedback_categories", o.FeedbackCategories},
		{"bases", o.Bases},
		{"occupations", o.Occupations},
		{"cities", o.Cities},
		{"supervision_regions", o.SupervisionRegions},
	}
	for _, l := range lists {
		if len(l.list) == 0 {
			return fmt.Errorf("%s: empty list", l.key)
		}
		seen := map[string]bool{}
		for i, opt := range l.list {
			if strings.TrimSpace(opt.Code) != opt.Code || opt.Code == "" || strings.TrimSpace(opt.Name) == "" {
				return fmt.Errorf("%s[%d]: code and name must be set (code without spaces)", l.key, i)
			}
			if seen[opt.Code] {
				return fmt.Errorf("%s: duplicate code %q", l.key, opt.Code)
			}
			seen[opt.Code] = true
		}
	}
	if strings.TrimSpace(o.EmployerWarning) == "" {
		return fmt.Errorf("employer_warning: empty")
	}
	for _, b := range o.Bases {
		r, ok := basisRuleFor(b.Code)
		if !ok {
			return fmt.Errorf("bases: %q has no rules in package domain", b.Code)
		}
		// The fixed values a basis fills in must be choices the form offers.
		if v, ok := r.Fixed[FieldCandidateSource].(string); ok && !hasOption(o.CandidateSources, v) {
			return fmt.Errorf("bases: %q fixes candidate_source %q, which candidate_sources lacks", b.Code, v)
		}
		if v, ok := r.Fixed[FieldLaborRelation].(string); ok && !hasOption(o.LaborRelations, v) {
			return fmt.Errorf("bases: %q fixes labor_relation %q, which labor_relations lacks", b.Code, v)
		}
	}
	return nil
}

// HasEducation reports whether code is a 文化程度 the form offers.
func (o Options) HasEducation(code string) bool { return hasOption(o.Education, code) }

// EducationName returns the name of a 文化程度 code, or "" when unknown.
func (o Options) EducationName(code string) string { return optionName(o.Education, code) }

// HasCandidateSource reports whether code is a 考生来源 the form offers.
func (o Options) HasCandidateSource(code string) bool { return hasOption(o.CandidateSources, code) }

// CandidateSourceName returns the name of a 考生来源 code, or "" when unknown.
func (o Options) CandidateSourceName(code string) string {
	return optionName(o.CandidateSources, code)
}

// HasLaborRelation reports whether code is a 劳务关系 the form offers.
func (o Options) HasLaborRelation(code string) bool { return hasOption(o.LaborRelations, code) }

// LaborRelationName returns the name of a 劳务关系 code, or "" when unknown.
func (o Options) LaborRelationName(code string) string { return optionName(o.LaborRelations, code) }

// HasFeedbackCategory reports whether code is a supervision feedback category.
func (o Options) HasFeedbackCategory(code string) bool {
	return hasOption(o.FeedbackCategories, code)
}

// FeedbackCategoryName returns the name of a feedback category code, or "" when unknown.
func (o Options) FeedbackCategoryName(code string) string {
	return optionName(o.FeedbackCategories, code)
}

// HasOccupation reports whether code is in the occupation catalogue.
func (o Options) HasOccupation(code string) bool { return hasOption(o.Occupations, code) }

// HasCity reports whether code is one of the configured cities.
func (o Options) HasCity(code string) bool { return hasOption(o.Cities, code) }

// HasSupervisionRegion reports whether code is one of the 业务监管地.
func (o Options) HasSupervisionRegion(code string) bool { return hasOption(o.SupervisionRegions, code) }

// HasBasis reports whether code is a 报考依据 the form offers.
func (o Options) HasBasis(code string) bool { return hasOption(o.Bases, code) }

// BasisName returns the name of a 报考依据 code, or "" when unknown.
func (o Options) BasisName(code string) string { return optionName(o.Bases, code) }
