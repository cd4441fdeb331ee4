package transport

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/internal/catalogfile"
	"github.com/pelcro-oss/pelcro-api/internal/catalogtest"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// everyFieldFile names every field the catalog accepts on the entities the catalog endpoints serve.
const everyFieldFile = "testdata/catalog-every-field.yaml"

// everyFieldEntities are the entities of everyFieldFile as plain data, the way a reader of the file sees
// them: a site, a product, its second plan, an e-commerce product and its SKU.
type everyFieldEntities struct {
	Sites             []map[string]any `yaml:"sites"`
	Products          []map[string]any `yaml:"products"`
	EcommerceProducts []map[string]any `yaml:"ecommerce_products"`
}

// acceptedFields lists the JSON names of a catalog type's fields, embedded structs' included: the names
// the catalog file accepts for that entity.
func acceptedFields(t reflect.Type) []string {
	var names []string
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous {
			names = append(names, acceptedFields(f.Type)...)
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		names = append(names, name)
	}
	return names
}

// asJSON is v as encoding/json decodes it (numbers float64, objects map[string]any), for comparisons.
func asJSON(t *testing.T, v any) any {
	t.Helper()
	encoded, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encode %v: %v", v, err)
	}
	var decoded any
	if err := json.Unmarshal(encoded, &decoded); err != nil {
		t.Fatal(err)
	}
	return decoded
}

func TestEveryCatalogFieldIsServedBack(t *testing.T) {
	t.Parallel()
	// given the catalog file that names every field, each with a value other than its default
	c, err := catalogfile.ParseFile(everyFieldFile)
	if err != nil {
		t.Fatalf("parse %s: %v", everyFieldFile, err)
	}
	data, err := os.ReadFile(everyFieldFile)
	if err != nil {
		t.Fatal(err)
	}
	var file everyFieldEntities
	if err := yaml.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	product := file.Products[0]
	plan := product["plans"].([]any)[1].(map[string]any)
	shop := file.EcommerceProducts[0]
	sku := shop["skus"].([]any)[0].(map[string]any)
	entities := []struct {
		name     string
		inFile   map[string]any
		accepted reflect.Type
	}{
		{"site", file.Sites[0], reflect.TypeFor[catalog.Site]()},
		{"product", product, reflect.TypeFor[catalog.Product]()},
		{"plan", plan, reflect.TypeFor[catalog.Plan]()},
		{"e-commerce product", shop, reflect.TypeFor[catalog.EcommerceProduct]()},
		{"SKU", sku, reflect.TypeFor[catalog.SKU]()},
	}
	for _, entity := range entities {
		for _, name := range acceptedFields(entity.accepted) {
			if _, named := entity.inFile[name]; !named {
				t.Errorf("%s names no %s field %q, which the catalog accepts: add it", everyFieldFile, entity.name, name)
			}
		}
	}

	// when it is imported and projected, and the catalog endpoints are asked for each entity
	env := catalogtest.New(t)
	env.WaitFor(env.Start(), env.Import(c))
	reads := queries.NewCatalog(env.DB)
	router := newTestRouter(t, Dependencies{Sites: CatalogSites(reads), Catalog: reads})
	checker := documentChecker(t)
	get := func(target string) map[string]any {
		req := request(http.MethodGet, APIBasePath+target, "", "")
		rec := serve(router, req)
		checker.CheckResponse(t, req, rec)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s = %d %s", target, rec.Code, rec.Body)
		}
		return decodeBody[map[string]any](t, rec)["data"].(map[string]any)
	}
	servedSite := get("/site?site_id=7001")
	servedPlan := get(fmt.Sprintf("/plan?site_id=7001&plan_id=%v", plan["id"]))
	servedShop := get("/ecommerce/products/site/7001")["products"].([]any)[0].(map[string]any)

	// then every field of the file is served with the file's value (the owners' ids, the nested lists and
	// the segments an item is restricted to are served in their own places)
	served := []map[string]any{servedSite, servedPlan["product"].(map[string]any), servedPlan, servedShop,
		servedShop["skus"].([]any)[0].(map[string]any)}
	elsewhere := map[string]bool{"plans": true, "skus": true, "site_id": true, "segment_ids": true}
	for i, entity := range entities {
		for name, want := range entity.inFile {
			if elsewhere[name] {
				continue
			}
			got, present := served[i][name]
			if !present || !reflect.DeepEqual(got, asJSON(t, want)) {
				t.Errorf("%s %s: served %v (present: %v), want the file's %v", entity.name, name, got, present, want)
			}
		}
	}
}
