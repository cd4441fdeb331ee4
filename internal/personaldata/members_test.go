package personaldata

import (
	"bytes"
	"encoding/json"
	"testing"
)

// sameAsEncodingJSON checks membersOf against encoding/json on a valid JSON object: the same names, in
// document order, with the same raw values.
func sameAsEncodingJSON(t *testing.T, data []byte) {
	t.Helper()
	var want map[string]json.RawMessage
	if err := json.Unmarshal(data, &want); err != nil || want == nil {
		return // not an object: nothing to compare
	}
	got, err := membersOf(data)
	if err != nil {
		t.Fatalf("membersOf(%s): %v", data, err)
	}
	seen := map[string]bool{}
	for _, m := range got {
		seen[m.name] = true
		if !bytes.Equal(data[m.start:m.end], bytes.TrimSpace(want[m.name])) && len(got) == len(want) {
			t.Fatalf("membersOf(%s): %s = %s, encoding/json says %s", data, m.name, data[m.start:m.end], want[m.name])
		}
	}
	if len(seen) != len(want) {
		t.Fatalf("membersOf(%s) = %+v, encoding/json finds %d members", data, got, len(want))
	}
	if again := replaceValues(data, got, make([][]byte, len(got))); !bytes.Equal(again, data) {
		t.Fatalf("replacing nothing changed %s into %s", data, again)
	}
}

func TestMembersOfFindsTheTopLevelValuesAsEncodingJSONDoes(t *testing.T) {
	t.Parallel()
	for _, doc := range []string{
		`{}`, ` { } `,
		`{"a":1,"b":"x","c":null,"d":true,"e":false,"f":-1.5e3}`,
		`{"profile":{"first_name":"A\"}{","metadata":{"$sealed":"x","k":[1,{"z":"]"}]}},"email":"a@b"}`,
		` {"a" : [ "}" , "\\" , {"b":[]} ] ,	"b":{"$sealed":"AAAA","g":2}}` + "\n",
		`{"esc\u0061ped":"v","a\"b":1}`,
		`{"nested":[[[]]],"s":"\u00e9\ud83d\ude00"}`,
	} {
		sameAsEncodingJSON(t, []byte(doc))
	}
}

func TestMembersOfRefusesWhatIsNotAnObject(t *testing.T) {
	t.Parallel()
	for _, doc := range []string{``, `[]`, `"x"`, `null`, `{`, `{"a"}`, `{"a":}`, `{"a":1,}`, `{"a":1 "b":2}`,
		`{"a":"unterminated}`, `{"a":{"b":1}`, `{"a":1}}`, `{"a":1} x`, `{1:2}`} {
		if got, err := membersOf([]byte(doc)); err == nil {
			t.Errorf("membersOf(%q) = %+v, want an error", doc, got)
		}
	}
}

func TestReplaceValuesSplicesInOrder(t *testing.T) {
	t.Parallel()
	data := []byte(`{"a":"x","b":{"c":1},"d":[2]}`)
	members, err := membersOf(data)
	if err != nil {
		t.Fatal(err)
	}
	got := replaceValues(data, members, [][]byte{[]byte(`null`), nil, []byte(`{"$sealed":"q","g":1}`)})
	if want := `{"a":null,"b":{"c":1},"d":{"$sealed":"q","g":1}}`; string(got) != want {
		t.Fatalf("replaceValues = %s, want %s", got, want)
	}
}

func FuzzMembersOf(f *testing.F) {
	for _, seed := range []string{`{"a":1}`, `{"a":{"b":"}"},"c":[1,"]"]}`, `{"x":"\\\""}`, `{`, `{"a":1}x`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if json.Valid(data) {
			sameAsEncodingJSON(t, data)
		}
		_, _ = membersOf(data) // anything else: an error or members, never a panic
	})
}
