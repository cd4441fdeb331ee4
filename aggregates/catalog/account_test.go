package catalog_test

import (
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/aggtest"
	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
)

var (
	accounts = aggtest.For(catalog.Events, catalog.EvolveAccount)
	taxRates = aggtest.For(catalog.Events, catalog.EvolveTaxRate)
)

func TestAccountDecisions(t *testing.T) {
	t.Parallel()
	defined := catalog.AccountDefined{AccountID: 1, AccountAttributes: exampleAccount().AccountAttributes, DefinedAt: defineTime}
	strict := exampleAccount()
	strict.ImmediateCancellationEnabled = true

	t.Run("define", func(t *testing.T) {
		accounts.Given().When(func(s catalog.AccountState) ([]catalog.AccountEvent, error) {
			return catalog.DefineAccount(s, exampleAccount(), defineTime)
		}).Then(t, defined)
	})
	t.Run("define twice", func(t *testing.T) {
		accounts.Given(defined).When(func(s catalog.AccountState) ([]catalog.AccountEvent, error) {
			return catalog.DefineAccount(s, exampleAccount(), defineTime)
		}).ThenError(t, catalog.ErrAlreadyDefined)
	})
	t.Run("change one field", func(t *testing.T) {
		accounts.Given(defined).When(func(s catalog.AccountState) ([]catalog.AccountEvent, error) {
			return catalog.ChangeAccount(s, strict, changeTime)
		}).Then(t, catalog.AccountChanged{AccountID: 1,
			Changes: catalog.AccountPatch{ImmediateCancellationEnabled: ptr(true)}, ChangedAt: changeTime})
	})
	t.Run("unchanged", func(t *testing.T) {
		accounts.Given(defined).When(func(s catalog.AccountState) ([]catalog.AccountEvent, error) {
			return catalog.ChangeAccount(s, exampleAccount(), changeTime)
		}).Then(t)
	})
	t.Run("change before define", func(t *testing.T) {
		accounts.Given().When(func(s catalog.AccountState) ([]catalog.AccountEvent, error) {
			return catalog.ChangeAccount(s, strict, changeTime)
		}).ThenError(t, catalog.ErrNotDefined)
	})
	t.Run("a nameless account is invalid", func(t *testing.T) {
		accounts.Given(defined).When(func(s catalog.AccountState) ([]catalog.AccountEvent, error) {
			return catalog.ChangeAccount(s, catalog.Account{ID: 1}, changeTime)
		}).ThenError(t, catalog.ErrInvalid)
	})
}

func TestTaxRateDecisions(t *testing.T) {
	t.Parallel()
	defined := catalog.TaxRateDefined{TaxRateRef: quebecTax().TaxRateRef, TaxRateAttributes: quebecTax().TaxRateAttributes,
		DefinedAt: defineTime}
	raised := quebecTax()
	raised.Percentage = 15
	ontario := quebecTax()
	ontario.State = "ON"

	t.Run("define", func(t *testing.T) {
		taxRates.Given().When(func(s catalog.TaxRateState) ([]catalog.TaxRateEvent, error) {
			return catalog.DefineTaxRate(s, quebecTax(), defineTime)
		}).Then(t, defined)
	})
	t.Run("change the percentage", func(t *testing.T) {
		taxRates.Given(defined).When(func(s catalog.TaxRateState) ([]catalog.TaxRateEvent, error) {
			return catalog.ChangeTaxRate(s, raised, changeTime)
		}).Then(t, catalog.TaxRateChanged{TaxRateRef: quebecTax().TaxRateRef,
			Changes: catalog.TaxRatePatch{Percentage: ptr(15.0)}, ChangedAt: changeTime})
	})
	t.Run("unchanged", func(t *testing.T) {
		taxRates.Given(defined).When(func(s catalog.TaxRateState) ([]catalog.TaxRateEvent, error) {
			return catalog.ChangeTaxRate(s, quebecTax(), changeTime)
		}).Then(t)
	})
	t.Run("another key is another tax rate", func(t *testing.T) {
		taxRates.Given(defined).When(func(s catalog.TaxRateState) ([]catalog.TaxRateEvent, error) {
			return catalog.ChangeTaxRate(s, ontario, changeTime)
		}).ThenError(t, catalog.ErrOwnerChanged)
	})
	t.Run("the key names site, country and state", func(t *testing.T) {
		if got := quebecTax().Key(); got != "1232:CA:QC" {
			t.Fatalf("Key = %q, want 1232:CA:QC", got)
		}
	})
}
