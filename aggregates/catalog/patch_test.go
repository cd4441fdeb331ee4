package catalog_test

import (
	"reflect"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
)

// TestPatchesMirrorTheirAttributes guards the pairing diff relies on: every attribute has a patch field of
// the same name, pointer to the same type, stored under the same JSON name, and nothing else.
func TestPatchesMirrorTheirAttributes(t *testing.T) {
	t.Parallel()
	pairs := []struct{ attributes, patch any }{
		{catalog.AccountAttributes{}, catalog.AccountPatch{}},
		{catalog.SiteAttributes{}, catalog.SitePatch{}},
		{catalog.ProductAttributes{}, catalog.ProductPatch{}},
		{catalog.PlanAttributes{}, catalog.PlanPatch{}},
		{catalog.CouponAttributes{}, catalog.CouponPatch{}},
		{catalog.EcommerceProductAttributes{}, catalog.EcommerceProductPatch{}},
		{catalog.SKUAttributes{}, catalog.SKUPatch{}},
		{catalog.TaxRateAttributes{}, catalog.TaxRatePatch{}},
		{catalog.SegmentAttributes{}, catalog.SegmentPatch{}},
	}
	for _, pair := range pairs {
		attributes, patch := reflect.TypeOf(pair.attributes), reflect.TypeOf(pair.patch)
		t.Run(attributes.Name(), func(t *testing.T) {
			t.Parallel()
			if attributes.NumField() != patch.NumField() {
				t.Errorf("%v has %d fields, %v has %d", attributes, attributes.NumField(), patch, patch.NumField())
			}
			for i := range attributes.NumField() {
				field := attributes.Field(i)
				mirror, ok := patch.FieldByName(field.Name)
				switch {
				case !ok:
					t.Errorf("%v lacks field %s", patch, field.Name)
				case mirror.Type != reflect.PointerTo(field.Type):
					t.Errorf("%v.%s is %v, want *%v", patch, field.Name, mirror.Type, field.Type)
				case mirror.Tag.Get("json") != field.Tag.Get("json")+",omitempty":
					t.Errorf("%v.%s has JSON tag %q, want %q", patch, field.Name, mirror.Tag.Get("json"),
						field.Tag.Get("json")+",omitempty")
				}
			}
		})
	}
}

func TestSubjectsNameTheEntityAndWhetherItIsNew(t *testing.T) {
	t.Parallel()
	tests := []struct {
		event catalog.Event
		want  catalog.Subject
	}{
		{catalog.SiteDefined{SiteID: 1232}, catalog.Subject{Kind: catalog.KindSite, ID: "1232", Created: true}},
		{catalog.PlanDefined{PlanRef: monthlyRef}, catalog.Subject{Kind: catalog.KindPlan, ID: "4051", Created: true}},
		{catalog.PlanRetired{PlanRef: monthlyRef}, catalog.Subject{Kind: catalog.KindPlan, ID: "4051"}},
		{catalog.SKUChanged{SKURef: blueRef}, catalog.Subject{Kind: catalog.KindSKU, ID: "9001"}},
		{catalog.TaxRateDefined{TaxRateRef: quebecTax().TaxRateRef},
			catalog.Subject{Kind: catalog.KindTaxRate, ID: "1232:CA:QC", Created: true}},
		{catalog.TaxRateChanged{TaxRateRef: quebecTax().TaxRateRef}, catalog.Subject{Kind: catalog.KindTaxRate, ID: "1232:CA:QC"}},
	}
	for _, tt := range tests {
		if got := tt.event.Subject(); got != tt.want {
			t.Errorf("%T.Subject() = %+v, want %+v", tt.event, got, tt.want)
		}
	}
}
