package transport

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

func TestDecodeParams(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name        string
		contentType string
		query       string
		body        string
		want        map[string]string // raw JSON per name
	}{
		{"query only", "", "site_id=1&email=a%40b.c", "", map[string]string{"site_id": `"1"`, "email": `"a@b.c"`}},
		{"empty body with any type", "text/plain", "a=1", "  \n", map[string]string{"a": `"1"`}},
		{"JSON keeps types and nesting", "application/json", "", `{"n":1,"items":[{"sku_id":3}],"ok":true}`,
			map[string]string{"n": "1", "items": `[{"sku_id":3}]`, "ok": "true"}},
		{"vendor JSON type", "application/vnd.api+json", "", `{"a":"b"}`, map[string]string{"a": `"b"`}},
		{"body wins over query", "application/json", "a=q&b=q", `{"a":"body"}`, map[string]string{"a": `"body"`, "b": `"q"`}},
		{"form, last plain value wins", "application/x-www-form-urlencoded", "", "a=1&a=2", map[string]string{"a": `"2"`}},
		{"form arrays", "application/x-www-form-urlencoded", "", "lists[]=x&lists[]=y", map[string]string{"lists": `["x","y"]`}},
		{"multipart body left to its handler", "multipart/form-data; boundary=x", "site_id=1", "--x\r\n", map[string]string{"site_id": `"1"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			params, failure := decodeParams(tc.contentType, tc.query, strings.NewReader(tc.body))
			if failure != nil {
				t.Fatalf("decodeParams failed: %v", failure)
			}
			got := map[string]string{}
			params.each(func(name string, raw json.RawMessage) { got[name] = string(raw) })
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("params = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestDecodeParamsRefusals(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name        string
		contentType string
		query       string
		body        io.Reader
		wantStatus  int
		wantMessage i18n.MessageID
	}{
		{"malformed query", "", "a=%zz", strings.NewReader(""), 400, i18n.QueryMalformed},
		{"raw semicolon in the query", "", "site_id=1;language=fr", strings.NewReader(""), 400, i18n.QuerySemicolon},
		{"malformed JSON", "application/json", "", strings.NewReader(`{"site_id":`), 400, i18n.JSONMalformed},
		{"JSON with trailing garbage", "application/json", "", strings.NewReader(`{} {}`), 400, i18n.JSONMalformed},
		{"JSON array", "application/json", "", strings.NewReader(`[1,2]`), 400, i18n.JSONNotObject},
		{"JSON null", "application/json", "", strings.NewReader(`null`), 400, i18n.JSONNotObject},
		{"malformed form", "application/x-www-form-urlencoded", "", strings.NewReader("a=%zz"), 400, i18n.FormMalformed},
		{"text body", "text/plain", "", strings.NewReader("hello"), 415, i18n.UnsupportedContentType},
		{"body without a type", "", "", strings.NewReader(`{"a":1}`), 415, i18n.UnsupportedContentType},
		{"body over the limit", "application/json", "", http.MaxBytesReader(nil, io.NopCloser(strings.NewReader(`{"a":"long"}`)), 4), 413, i18n.BodyTooLarge},
		{"client hung up", "application/json", "", iotest.ErrReader(errors.New("connection reset")), 400, i18n.BodyUnreadable},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, failure := decodeParams(tc.contentType, tc.query, tc.body)
			if failure == nil || failure.status != tc.wantStatus || failure.message != tc.wantMessage {
				t.Fatalf("failure = %+v, want %d %s", failure, tc.wantStatus, tc.wantMessage)
			}
		})
	}
}

func TestParamsString(t *testing.T) {
	t.Parallel()
	params, _ := decodeParams("application/json", "", strings.NewReader(
		`{"s":"text","n":12,"b":false,"z":null,"a":[1],"o":{}}`))
	cases := []struct {
		name   string
		want   string
		wantOK bool
	}{
		{"s", "text", true}, {"n", "12", true}, {"b", "false", true},
		{"z", "", false}, {"a", "", false}, {"o", "", false}, {"absent", "", false},
	}
	for _, tc := range cases {
		if got, ok := params.String(tc.name); got != tc.want || ok != tc.wantOK {
			t.Errorf("String(%q) = %q, %v; want %q, %v", tc.name, got, ok, tc.want, tc.wantOK)
		}
	}
	if params.Has("z") || !params.Has("o") {
		t.Errorf("Has: null must count as absent, an object as present")
	}
	if raw, ok := params.Raw("a"); !ok || string(raw) != "[1]" {
		t.Errorf("Raw(a) = %s, %v; want [1]", raw, ok)
	}
}

// FuzzDecodeParams holds decodeParams to its promise: whatever the content type, query and body, it returns
// either params or a 4xx refusal, never panics, and every value it returns is valid JSON.
func FuzzDecodeParams(f *testing.F) {
	seeds := []struct{ contentType, query, body string }{
		{"application/json", "site_id=1&language=fr", `{"site_id":1232,"language":"de","items":[{"sku_id":1}]}`},
		{"application/json; charset=utf-8", "", `{"a":`},
		{"application/json", "", `[{"a":1}]`},
		{"application/json", "", "{\"\xff\":\"\xfe\"}"},
		{"application/x-www-form-urlencoded", "a[]=1", "lists[]=a&lists[]=b&[]=x&site_id=%zz"},
		{"multipart/form-data; boundary=----x", "site_id=1", "------x--"},
		{"", "%", ""},
		{"text/plain;;;", "a=1;b=2", "x"},
	}
	for _, s := range seeds {
		f.Add(s.contentType, s.query, s.body)
	}
	f.Fuzz(func(t *testing.T, contentType, query, body string) {
		params, failure := decodeParams(contentType, query, strings.NewReader(body))
		if failure != nil {
			if failure.status < 400 || failure.status > 499 || i18n.Localize(i18n.English, failure.message) == string(failure.message) {
				t.Fatalf("refusal %+v is not a localised 4xx", failure)
			}
			return
		}
		params.each(func(name string, raw json.RawMessage) {
			if !json.Valid(raw) {
				t.Fatalf("value of %q is not JSON: %q", name, raw)
			}
			// a value read as text is what its JSON says, whether it came as text or as JSON
			var want string
			text, ok := params.String(name)
			if raw[0] == '"' && (json.Unmarshal(raw, &want) != nil || !ok || text != want) {
				t.Fatalf("String(%q) = %q, %v; its JSON %s says %q", name, text, ok, raw, want)
			}
		})
	})
}
