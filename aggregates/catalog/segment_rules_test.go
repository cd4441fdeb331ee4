package catalog_test

import (
	"math/rand/v2"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
)

func TestSegmentRuleHoldsFor(t *testing.T) {
	t.Parallel()
	ann := catalog.CustomerFacts{Email: "Ann@Mail.Example.EDU", Country: "CA",
		Metadata: map[string]string{"tier": "gold", "seats": "3"}, HeldPlanIDs: []int64{4051}}
	tests := []struct {
		name string
		rule catalog.SegmentRule
		want bool
	}{
		{"an exact domain, any case", catalog.SegmentRule{EmailDomain: "mail.example.edu"}, true},
		{"an exact domain is not its parent", catalog.SegmentRule{EmailDomain: "example.edu"}, false},
		{"a wildcard matches a subdomain", catalog.SegmentRule{EmailDomain: "*.example.edu"}, true},
		{"a wildcard matches deeper subdomains", catalog.SegmentRule{EmailDomain: "*.edu"}, true},
		{"a wildcard does not match the bare domain", catalog.SegmentRule{EmailDomain: "*.mail.example.edu"}, false},
		{"a domain that only ends alike", catalog.SegmentRule{EmailDomain: "*.ample.edu"}, false},
		{"the billing country", catalog.SegmentRule{Country: "CA"}, true},
		{"another country", catalog.SegmentRule{Country: "US"}, false},
		{"a metadata value", catalog.SegmentRule{MetadataKey: "tier", MetadataValue: "gold"}, true},
		{"a number as its text", catalog.SegmentRule{MetadataKey: "seats", MetadataValue: "3"}, true},
		{"another metadata value", catalog.SegmentRule{MetadataKey: "tier", MetadataValue: "Gold"}, false},
		{"a missing metadata key", catalog.SegmentRule{MetadataKey: "team", MetadataValue: "gold"}, false},
		{"a held plan", catalog.SegmentRule{PlanID: 4051}, true},
		{"a plan not held", catalog.SegmentRule{PlanID: 4052}, false},
		{"a rule of no kind", catalog.SegmentRule{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// given Ann's facts, when the rule is evaluated, then it holds or not
			if got := tt.rule.HoldsFor(ann); got != tt.want {
				t.Fatalf("%+v.HoldsFor(%+v) = %v, want %v", tt.rule, ann, got, tt.want)
			}
		})
	}
	t.Run("no billing address meets no country rule", func(t *testing.T) {
		t.Parallel()
		if (catalog.SegmentRule{Country: "CA"}).HoldsFor(catalog.CustomerFacts{Email: "ann@example.com"}) {
			t.Fatal("a customer without a billing country met a country rule")
		}
	})
	t.Run("an email without @ matches no domain", func(t *testing.T) {
		t.Parallel()
		if (catalog.SegmentRule{EmailDomain: "example.com"}).HoldsFor(catalog.CustomerFacts{Email: "example.com"}) {
			t.Fatal("an email without @ met a domain rule")
		}
	})
}

// TestInSegmentIsEveryRule checks, over random rules and facts, that a customer belongs to a segment
// exactly when every rule holds, whatever their order, and that a segment without rules holds nobody.
func TestInSegmentIsEveryRule(t *testing.T) {
	t.Parallel()
	random := rand.New(rand.NewPCG(12, 15))
	pick := func(values ...string) string { return values[random.IntN(len(values))] }
	randomRule := func() catalog.SegmentRule {
		switch random.IntN(4) {
		case 0:
			return catalog.SegmentRule{EmailDomain: pick("example.com", "*.example.com", "other.org")}
		case 1:
			return catalog.SegmentRule{Country: pick("CA", "US")}
		case 2:
			return catalog.SegmentRule{MetadataKey: pick("tier", "team"), MetadataValue: pick("gold", "red")}
		}
		return catalog.SegmentRule{PlanID: int64(1 + random.IntN(3))}
	}
	for range 2000 {
		facts := catalog.CustomerFacts{Email: pick("a@example.com", "a@news.example.com", "a@other.org"),
			Country: pick("", "CA", "US"), Metadata: map[string]string{pick("tier", "team"): pick("gold", "red")},
			HeldPlanIDs: []int64{int64(1 + random.IntN(3))}}
		rules := make([]catalog.SegmentRule, random.IntN(4))
		every := len(rules) > 0
		for i := range rules {
			rules[i] = randomRule()
			every = every && rules[i].HoldsFor(facts)
		}
		reversed := make([]catalog.SegmentRule, len(rules))
		for i, rule := range rules {
			reversed[len(rules)-1-i] = rule
		}
		if got := catalog.InSegment(rules, facts); got != every || catalog.InSegment(reversed, facts) != got {
			t.Fatalf("InSegment(%+v, %+v) = %v, want %v in either order", rules, facts, got, every)
		}
	}
}
