package planindex

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestPlanViewJSON: PlanView's MarshalJSON writes what encoding/json writes for
// its fields, for every field (one added to PlanView and not to MarshalJSON
// fails here) and for strings that need escaping.
func TestPlanViewJSON(t *testing.T) {
	strs := []string{"", "plain", "电工（四级）", `<b>&amp;</b>`, "\u2028\u2029 行", `"引号" \ 反斜杠`,
		"tab\tnl\nctl\x01del\x7f", "bad \xff\xfe utf8", "\xe2\x80", "ok\xe2\x80\xa8x"}
	for i, str := range strs {
		var v PlanView
		rv := reflect.ValueOf(&v).Elem()
		var fill func(rv reflect.Value, n int)
		fill = func(rv reflect.Value, n int) {
			for f := 0; f < rv.NumField(); f++ {
				fv := rv.Field(f)
				if !fv.CanSet() {
					continue
				}
				switch fv.Kind() {
				case reflect.String:
					fv.SetString(str + rv.Type().Field(f).Name)
				case reflect.Int, reflect.Int64:
					fv.SetInt(int64(n*100 + f - 7))
				case reflect.Struct:
					fill(fv, n+1)
				default:
					t.Fatalf("field %s of kind %s: teach this test and MarshalJSON", rv.Type().Field(f).Name, fv.Kind())
				}
			}
		}
		fill(rv, i)
		want, err := json.Marshal(planViewPlain(v))
		if err != nil {
			t.Fatal(err)
		}
		got, err := v.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Fatalf("%q:\n got %s\nwant %s", str, got, want)
		}
		if jsonPlain(str) {
			v.plain = true
			if got, _ := v.MarshalJSON(); string(got) != string(want) {
				t.Fatalf("%q as plain:\n got %s\nwant %s", str, got, want)
			}
		}
	}
}

// TestJSONPlain: jsonPlain agrees with encoding/json on which strings it
// writes unchanged.
func TestJSONPlain(t *testing.T) {
	for _, s := range []string{"", "a", "电工", "<", ">", "&", `"`, `\`, "\x00", "\x1f", "\x7f", "\u2028", "\u2029",
		"\u2027", "\xe2\x80\xa8", "\xe2\x80", "\xff", "é", "\U0001F600", "a\xc3"} {
		j, _ := json.Marshal(s)
		if want := string(j) == `"`+s+`"`; jsonPlain(s) != want {
			t.Errorf("jsonPlain(%q) = %v, encoding/json writes %s", s, !want, j)
		}
	}
}
