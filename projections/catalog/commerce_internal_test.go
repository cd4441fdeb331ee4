package catalog

import (
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/projections/projectiontest"
)

func TestAccountPoliciesProjectOnceEach(t *testing.T) {
	t.Parallel()
	defined := func(revision uint64, days []int64, final string) projectiontest.Step {
		return projectiontest.At(revision, applyAccountDefined, catalog.AccountDefined{AccountID: 1,
			AccountAttributes: catalog.AccountAttributes{Name: "Media", DunningRetryDays: days, DunningFinalStatus: final}})
	}
	changed := func(revision uint64, p catalog.AccountPatch) projectiontest.Step {
		return projectiontest.At(revision, applyAccountChanged, catalog.AccountChanged{AccountID: 1, Changes: p})
	}
	unpaid, immediate := "unpaid", true
	tests := []struct {
		name  string
		given []projectiontest.Step
		when  projectiontest.Step
		then  string
	}{
		{"defined", nil, defined(0, []int64{3, 5, 7}, "canceled"), "1 Media f {3,5,7} canceled 0"},
		{"defined in code, without a policy", nil, defined(0, nil, ""), "1 Media f {} \"\" 0"},
		{"a change sets only its fields", []projectiontest.Step{defined(0, []int64{3, 5, 7}, "canceled")},
			changed(1, catalog.AccountPatch{DunningFinalStatus: &unpaid, ImmediateCancellationEnabled: &immediate}),
			"1 Media t {3,5,7} unpaid 1"},
		{"an older definition redelivered after a change changes nothing",
			[]projectiontest.Step{defined(0, []int64{3, 5, 7}, "canceled"), changed(1, catalog.AccountPatch{DunningRetryDays: &[]int64{1, 2}})},
			defined(0, []int64{3, 5, 7}, "canceled"), "1 Media f {1,2} canceled 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// given the history, when the event is applied twice (a redelivery)
			db := projectiontest.Redelivered(t, tt.given, tt.when)
			// then the row reflects it once
			var got string
			if err := db.GetContext(t.Context(), &got, `SELECT concat_ws(' ', id, name, immediate_cancellation_enabled,
				dunning_retry_days, quote_ident(dunning_final_status), revision) FROM catalog_accounts`); err != nil {
				t.Fatal(err)
			}
			if got != tt.then {
				t.Fatalf("row = %q, want %q", got, tt.then)
			}
		})
	}
}

func TestTaxRatesProjectOncePerSiteCountryAndState(t *testing.T) {
	t.Parallel()
	quebec := catalog.TaxRateRef{SiteID: 1, Country: "CA", State: "QC"}
	canada := catalog.TaxRateRef{SiteID: 1, Country: "CA"}
	defined := func(revision uint64, ref catalog.TaxRateRef, percentage float64) projectiontest.Step {
		return projectiontest.At(revision, applyTaxRateDefined, catalog.TaxRateDefined{TaxRateRef: ref,
			TaxRateAttributes: catalog.TaxRateAttributes{Name: "Tax " + ref.State, Percentage: percentage}})
	}
	changed := func(revision uint64, p catalog.TaxRatePatch) projectiontest.Step {
		return projectiontest.At(revision, applyTaxRateChanged, catalog.TaxRateChanged{TaxRateRef: quebec, Changes: p})
	}
	inclusive, raised := true, 15.0
	tests := []struct {
		name  string
		given []projectiontest.Step
		when  projectiontest.Step
		then  string
	}{
		{"a state's rate beside the country's", []projectiontest.Step{defined(0, canada, 5)}, defined(0, quebec, 9.975),
			"CA  Tax  5 f 0|CA QC Tax QC 9.975 f 0"},
		{"a change sets only its fields", []projectiontest.Step{defined(0, canada, 5), defined(0, quebec, 9.975)},
			changed(1, catalog.TaxRatePatch{Percentage: &raised, Inclusive: &inclusive}),
			"CA  Tax  5 f 0|CA QC Tax QC 15 t 1"},
		{"an older definition redelivered after a change changes nothing",
			[]projectiontest.Step{defined(0, quebec, 9.975), changed(1, catalog.TaxRatePatch{Percentage: &raised})},
			defined(0, quebec, 9.975), "CA QC Tax QC 15 f 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// given the history, when the event is applied twice (a redelivery)
			db := projectiontest.Redelivered(t, tt.given, tt.when)
			// then the rows reflect it once
			var got string
			if err := db.GetContext(t.Context(), &got, `SELECT string_agg(concat_ws(' ', country, state, name, percentage,
				inclusive, revision), '|' ORDER BY state) FROM catalog_tax_rates`); err != nil {
				t.Fatal(err)
			}
			if got != tt.then {
				t.Fatalf("rows = %q, want %q", got, tt.then)
			}
		})
	}
}
