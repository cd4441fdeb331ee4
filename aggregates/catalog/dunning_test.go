package catalog_test

import (
	"slices"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
)

func TestAccountDunningPolicyDecisions(t *testing.T) {
	t.Parallel()
	defined := catalog.AccountDefined{AccountID: 1, AccountAttributes: exampleAccount().AccountAttributes, DefinedAt: defineTime}
	with := func(days []int64, final string) catalog.Account {
		a := exampleAccount()
		a.DunningRetryDays, a.DunningFinalStatus = days, final
		return a
	}
	valid := []struct {
		name    string
		account catalog.Account
		changes catalog.AccountPatch
	}{
		{"longer retries ending unpaid", with([]int64{2, 9, 20}, "unpaid"),
			catalog.AccountPatch{DunningRetryDays: &[]int64{2, 9, 20}, DunningFinalStatus: ptr("unpaid")}},
		{"ten retries", with([]int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, "canceled"),
			catalog.AccountPatch{DunningRetryDays: &[]int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, DunningFinalStatus: ptr("canceled")}},
	}
	for _, tt := range valid {
		t.Run(tt.name, func(t *testing.T) {
			accounts.Given(defined).When(func(s catalog.AccountState) ([]catalog.AccountEvent, error) {
				return catalog.ChangeAccount(s, tt.account, changeTime)
			}).Then(t, catalog.AccountChanged{AccountID: 1, Changes: tt.changes, ChangedAt: changeTime})
		})
	}
	invalid := []struct {
		name    string
		account catalog.Account
	}{
		{"eleven retries", with([]int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, "")},
		{"a retry on day 0", with([]int64{0, 3}, "")},
		{"retries out of order", with([]int64{5, 3}, "")},
		{"the same day twice", with([]int64{3, 3}, "")},
		{"an unknown final status", with(nil, "closed")},
	}
	for _, tt := range invalid {
		t.Run(tt.name, func(t *testing.T) {
			accounts.Given(defined).When(func(s catalog.AccountState) ([]catalog.AccountEvent, error) {
				return catalog.ChangeAccount(s, tt.account, changeTime)
			}).ThenError(t, catalog.ErrInvalid)
		})
	}
}

func TestAccountsDefinedBeforeTheDunningPolicyReadWithTheDefaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, data string
		version    int
		wantDays   []int64
		wantFinal  string
	}{
		{"version 1 has the defaults", `{"account_id":1,"name":"Old"}`, 1, []int64{3, 5, 7}, "canceled"},
		{"version 2 keeps what it says", `{"account_id":1,"name":"New","dunning_retry_days":[1],"dunning_final_status":"unpaid"}`, 2,
			[]int64{1}, "unpaid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// given an account stored in that version; when it is decoded
			event, err := catalog.Events.Decode("catalog.account_defined", tt.version, []byte(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			// then its dunning policy is the stored one, or the defaults
			a := event.(catalog.AccountDefined)
			if !slices.Equal(a.DunningRetryDays, tt.wantDays) || a.DunningFinalStatus != tt.wantFinal {
				t.Fatalf("decoded %+v, want %v %q", a, tt.wantDays, tt.wantFinal)
			}
		})
	}
}

func TestAnAccountStoredAsNullBeforeTheDunningPolicyIsAnErrorNotAPanic(t *testing.T) {
	t.Parallel()
	// given a version 1 account whose stored payload is null (a hand-edited or damaged log); when decoded
	_, err := catalog.Events.Decode("catalog.account_defined", 1, []byte(`null`))
	// then the upcaster refuses it
	if err == nil {
		t.Fatal("a null payload decoded")
	}
}
