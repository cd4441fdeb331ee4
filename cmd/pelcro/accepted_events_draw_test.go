package main

import (
	"math"
	"reflect"
	"strings"
	"time"
	"unicode"

	"pgregory.net/rapid"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
)

// The generators of TestEveryAcceptedEventProjectsAndRebuilds: the texts and numbers the domain is most
// likely to get wrong, and commands drawn by reflection from the domain's own value types, so a field
// added to a profile, an address, newsletter details or a catalog entity is drawn without editing them
// (a catalog Document as a JSON value or any text).

// limitLengths are lengths around every character limit the rules use, and past PostgreSQL's index row
// limit (about 2,700 bytes), so texts land on both sides of each boundary.
var limitLengths = []int{0, 1, 2, 3, 9, 10, 11, 44, 45, 46, 99, 100, 101, 199, 200, 201, 249, 250, 251, 252,
	253, 254, 255, 256, 1499, 1500, 1501, 2800, 9000}

// trickyRunes are characters with a history: NUL and other controls, line and paragraph separators, format
// characters (zero-width, byte order mark, direction overrides), the replacement character (what JSON makes
// of a lone surrogate), non-characters, the edges of the surrogate block and of Unicode, astral emoji,
// combining marks, letters that change length when lower-cased, and JSON's and SQL's special characters.
var trickyRunes = []rune{0, 1, '\t', '\n', '\r', 0x1b, 0x7f, 0x85, 0x9f, 0xa0, 0xad, 0x2028, 0x2029, 0x200b,
	0x200d, 0x200e, 0x202e, 0x2060, 0xfeff, 0xfffd, 0xfffe, 0xffff, 0xd7ff, 0xe000, 0x10ffff, 0x1f600, 0x301,
	'"', '\\', '\'', '<', '&', '%', '_', '$', '{', '[', 'İ', 'Ⱥ', 'ß', 'ａ', 'x'}

// oddStrings are whole texts that broke systems before: escapes that mean NUL to a JSON or SQL reader,
// invalid UTF-8 (an encoded surrogate, stray bytes, a truncated sequence), and SQL.
var oddStrings = []string{`\u0000`, `\x00`, "\xed\xa0\x80", "\xff\xfe", "a\xc3", "null", "'; DROP TABLE customers; --"}

// printable are texts the rules accept (letters, marks, digits, punctuation, symbols, spaces, format and
// private-use characters of every script), long or short: most of what the property sees must be accepted
// for it to prove anything about projections.
var printable = rapid.StringOf(rapid.RuneFrom(nil, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S,
	unicode.Zs, unicode.Cf, unicode.Co))

// text draws any text: accepted ones most of the time, refused ones often enough.
func text() *rapid.Generator[string] {
	return rapid.OneOf(
		printable,
		printable,
		rapid.String(),
		rapid.StringOf(rapid.RuneFrom(trickyRunes)),
		rapid.SampledFrom(oddStrings),
		rapid.Custom(func(t *rapid.T) string {
			n := rapid.SampledFrom(limitLengths).Draw(t, "length")
			r := rapid.SampledFrom([]rune{'x', 'é', '€', '😀'}).Draw(t, "rune")
			return strings.Repeat(string(r), n)
		}),
		rapid.StringOfN(rapid.RuneFrom(nil, unicode.Han, unicode.Latin), 240, 1200, -1), // long and incompressible
	)
}

// email draws emails: plausible ones (any case, international, padded, with invisible characters, with a
// local part on both sides of every limit, up to past PostgreSQL's index row limit) and any text.
func email() *rapid.Generator[string] {
	return rapid.OneOf(
		rapid.Custom(func(t *rapid.T) string {
			length := max(1, rapid.SampledFrom(limitLengths).Draw(t, "local part length"))
			local := rapid.StringOfN(rapid.RuneFrom([]rune("abcXYZ019_+-"), ideographs, unicode.Cf), length, length, -1).
				Draw(t, "local part")
			domain := rapid.SampledFrom([]string{"example.com", "EXAMPLE.org", "例子.广告", "xn--fsqu00a.example"}).Draw(t, "domain")
			pad := rapid.SampledFrom([]string{"", " ", "\u200b", "\ufeff ", "\u00ad"}).Draw(t, "pad")
			return pad + local + "@" + domain + pad
		}),
		rapid.SampledFrom([]string{"ann@example.com", "ANN@example.com", "ann\u200b@example.com", "ａｎｎ@example.com"}),
		text(),
	)
}

// ideographs are the CJK unified ideographs: three bytes each in UTF-8, and in normalisation form NFKC, so
// long international emails of them are accepted (and hard to compress).
var ideographs = &unicode.RangeTable{R16: []unicode.Range16{{Lo: 0x4e00, Hi: 0x9fff, Stride: 1}}}

// boundaryInts and boundaryFloats are the numbers around the limits of PostgreSQL's integer and numeric
// types and of the rules.
var (
	boundaryInts   = []int64{0, 1, -1, 30, 90, 100, math.MaxInt32, math.MaxInt32 + 1, math.MaxInt64, math.MinInt64}
	boundaryFloats = []float64{0, math.Copysign(0, -1), 1e-320, 0.5, 14.975, 100, 100.00000000000001, 1e308,
		math.Inf(1), math.NaN()}
	jsonNumbers = []float64{0, math.Copysign(0, -1), 1, -1.5, 5e-324, 9007199254740993, 1e21, 1e308, -1e308}
)

// drawLike draws a value of example's type, field by field: a text is example's own (twice as often as not
// when there is one) or text(), a number
// example's own or a boundary, a boolean either, a pointer nil or set, a map metadata (random JSON), a slice
// element by element, a struct (embedded ones too) field by field; times and unexported fields are kept.
// Identity numbers (JSON names "id", "…_id", "…_ids") keep example's value, so references between catalog
// entities still resolve and the rules are reached.
func drawLike(t *rapid.T, label string, example reflect.Value) reflect.Value {
	out := reflect.New(example.Type()).Elem()
	if example.Type() == reflect.TypeFor[catalog.Document]() {
		out.SetString(string(rapid.OneOf(rapid.Just(example.Interface().(catalog.Document)), document()).Draw(t, label)))
		return out
	}
	switch example.Kind() {
	case reflect.String:
		keep := []*rapid.Generator[string]{rapid.Just(example.String())}
		if example.String() != "" { // mostly kept: a format the rules check (a currency, a country) is kept
			keep = append(keep, keep[0])
		}
		out.SetString(rapid.OneOf(append(keep, text())...).Draw(t, label))
	case reflect.Bool:
		out.SetBool(rapid.Bool().Draw(t, label))
	case reflect.Int, reflect.Int64:
		out.SetInt(example.Int())
		if !isIdentity(label) {
			out.SetInt(rapid.OneOf(rapid.Just(example.Int()), rapid.SampledFrom(boundaryInts)).Draw(t, label))
		}
	case reflect.Float64:
		out.SetFloat(rapid.OneOf(rapid.Just(example.Float()), rapid.SampledFrom(boundaryFloats)).Draw(t, label))
	case reflect.Pointer:
		if rapid.Bool().Draw(t, label+" set") {
			inner := reflect.New(example.Type().Elem()).Elem()
			if !example.IsNil() {
				inner = example.Elem()
			}
			out.Set(reflect.New(inner.Type()))
			out.Elem().Set(drawLike(t, label, inner))
		}
	case reflect.Map:
		if example.Type() == reflect.TypeFor[map[string]string]() { // a subscription's metadata
			out.Set(reflect.ValueOf(rapid.MapOfN(text(), text(), 0, 60).Draw(t, label)))
			break
		}
		out.Set(reflect.ValueOf(metadata().Draw(t, label)))
	case reflect.Slice:
		out.Set(reflect.MakeSlice(example.Type(), 0, example.Len()))
		for i := range example.Len() {
			out.Set(reflect.Append(out, drawLike(t, label, example.Index(i))))
		}
	case reflect.Struct:
		out.Set(example)
		if example.Type() == reflect.TypeFor[time.Time]() {
			break
		}
		for i := range example.NumField() {
			f := example.Type().Field(i)
			if f.IsExported() || f.Anonymous {
				name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
				out.Field(i).Set(drawLike(t, label+"."+name, example.Field(i)))
			}
		}
	default:
		out.Set(example)
	}
	return out
}

// isIdentity reports whether label (a dotted path of JSON names) ends in an id or a list of ids.
func isIdentity(label string) bool {
	name := label[strings.LastIndex(label, ".")+1:]
	return name == "id" || strings.HasSuffix(name, "_id") || strings.HasSuffix(name, "_ids")
}

// document draws a catalog's free-form value: a JSON value as the catalog file's decoder makes one (and
// the rules then check its texts, size and depth), or any text, which is seldom JSON.
func document() *rapid.Generator[catalog.Document] {
	return rapid.OneOf(
		rapid.Custom(func(t *rapid.T) catalog.Document {
			d, err := catalog.NewDocument(jsonValue(3).Draw(t, "value"))
			if err != nil {
				t.Fatalf("a drawn JSON value does not encode: %v", err)
			}
			return d
		}),
		rapid.Map(text(), func(s string) catalog.Document { return catalog.Document(s) }),
	)
}

// metadata draws customer metadata as a JSON body decodes it: up to four keys of any text, each a JSON
// value nested up to three levels.
func metadata() *rapid.Generator[map[string]any] {
	return rapid.MapOfN(text(), jsonValue(3), 0, 4)
}

func jsonValue(depth int) *rapid.Generator[any] {
	scalars := []*rapid.Generator[any]{text().AsAny(), rapid.SampledFrom(jsonNumbers).AsAny(), rapid.Bool().AsAny(),
		rapid.Just[any](nil)}
	if depth == 0 {
		return rapid.OneOf(scalars...)
	}
	return rapid.OneOf(append(scalars,
		rapid.Map(rapid.SliceOfN(jsonValue(depth-1), 0, 3), func(v []any) any { return v }),
		rapid.Map(rapid.MapOfN(text(), jsonValue(depth-1), 0, 3), func(v map[string]any) any { return v }))...)
}
