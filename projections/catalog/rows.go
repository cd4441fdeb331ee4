package catalog

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
)

// column is one read-model column and the value to write into it. In a patch, a nil value (a nil pointer
// of the change event's patch) leaves the column as it is, and setNull empties it.
type column struct {
	name  string
	value any
}

// setNull is the patch value of a field changed to none (a patch pointer to a nil pointer, a SKU's
// inventory dropped: unlimited). A NULL parameter cannot say it: patchRow reads NULL as unchanged.
type setNull struct{}

// upsertRow writes the whole row with primary key id (every table here is keyed by an "id" column) as of
// the stream revision, unless the stored row already reflects that revision or a later one: a replayed
// Defined event changes nothing.
//
// Warning: table and column names are spliced into the SQL; pass constants only, never input.
func upsertRow(ctx context.Context, tx *sqlx.Tx, table string, id int64, revision uint64, columns []column) error {
	columns = append([]column{{"id", id}}, append(columns, column{"revision", revision})...)
	names, placeholders, updates := make([]string, len(columns)), make([]string, len(columns)), []string{}
	args := make([]any, len(columns))
	for i, c := range columns {
		names[i], placeholders[i], args[i] = c.name, fmt.Sprintf("$%d", i+1), c.value
		if c.name != "id" {
			updates = append(updates, c.name+" = EXCLUDED."+c.name)
		}
	}
	query := fmt.Sprintf(`INSERT INTO %[1]s AS t (%[2]s) VALUES (%[3]s)
		ON CONFLICT (id) DO UPDATE SET %[4]s WHERE t.revision < EXCLUDED.revision`,
		table, strings.Join(names, ", "), strings.Join(placeholders, ", "), strings.Join(updates, ", "))
	if _, err := tx.ExecContext(ctx, query, args...); err != nil {
		return fmt.Errorf("upsert %s %d: %w", table, id, err)
	}
	return nil
}

// patchRow sets the columns whose value is not nil on the row with primary key id and moves its revision
// to revision, unless the row already reflects that revision or a later one. A row that does not exist
// stays missing: change events only follow the Defined event that inserted it.
//
// Warning: table and column names are spliced into the SQL; pass constants only, never input.
func patchRow(ctx context.Context, tx *sqlx.Tx, table string, id int64, revision uint64, columns []column) error {
	args := []any{id, revision}
	sets := []string{"revision = $2"}
	for _, c := range columns {
		if _, null := c.value.(setNull); null {
			sets = append(sets, c.name+" = NULL")
			continue
		}
		args = append(args, c.value)
		sets = append(sets, fmt.Sprintf("%[1]s = COALESCE($%[2]d, %[1]s)", c.name, len(args)))
	}
	query := fmt.Sprintf(`UPDATE %s SET %s WHERE id = $1 AND revision < $2`, table, strings.Join(sets, ", "))
	if _, err := tx.ExecContext(ctx, query, args...); err != nil {
		return fmt.Errorf("patch %s %d: %w", table, id, err)
	}
	return nil
}

// attributeColumns lists one column per field of an entity's attributes struct (catalog.SiteAttributes,
// PlanAttributes …): every column of the catalog tables is named like its field's JSON name. A field added
// to an attributes struct is written as soon as a migration adds its column, and a migration that forgets
// it fails every write of that entity, loudly, in every test that projects one.
func attributeColumns(attributes any) []column {
	v := reflect.ValueOf(attributes)
	columns := make([]column, v.NumField())
	for i := range v.NumField() {
		columns[i] = column{jsonName(v.Type().Field(i)), columnValue(v.Field(i))}
	}
	return columns
}

// patchColumns is attributeColumns for a change event's patch struct: a nil field (unchanged) is a nil
// value, which patchRow leaves alone; a field pointing at a nil pointer (changed to none) is setNull.
func patchColumns(patch any) []column {
	v := reflect.ValueOf(patch)
	columns := make([]column, v.NumField())
	for i := range v.NumField() {
		var value any
		switch field := v.Field(i); {
		case field.IsNil():
		case field.Elem().Kind() == reflect.Pointer && field.Elem().IsNil():
			value = setNull{}
		default:
			value = columnValue(field.Elem())
		}
		columns[i] = column{jsonName(v.Type().Field(i)), value}
	}
	return columns
}

func jsonName(field reflect.StructField) string {
	name, _, _ := strings.Cut(field.Tag.Get("json"), ",")
	return name
}

// columnValue is how a field is stored: a list of texts or ids as text[] or bigint[] (an empty array, never
// NULL: the columns are NOT NULL), a segment's rules as a jsonb array, a catalog.Document as jsonb, where the
// unset document is the JSON null, never SQL NULL, which a patch (COALESCE) would read as "unchanged";
// anything else as it is.
func columnValue(v reflect.Value) any {
	switch value := v.Interface().(type) {
	case []string:
		if value == nil {
			value = []string{}
		}
		return pq.StringArray(value)
	case []int64:
		if value == nil {
			value = []int64{}
		}
		return pq.Int64Array(value)
	case []catalog.SegmentRule:
		if value == nil {
			value = []catalog.SegmentRule{}
		}
		rules, _ := json.Marshal(value) // a struct of texts and integers always encodes
		return string(rules)
	case catalog.Document:
		if value == "" {
			return "null"
		}
		return string(value)
	default:
		return value
	}
}
