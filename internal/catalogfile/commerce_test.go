package catalogfile_test

import (
	"reflect"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/catalogfile"
)

func TestParseGivesAccountsTheDefaultDunningPolicy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, fields string
		wantDays     []int64
		wantFinal    string
		wantDue      int64 // days_until_due
	}{
		{"left out", "", []int64{3, 5, 7}, "canceled", 30},
		{"given null", "    dunning_retry_days: null\n    dunning_final_status: null\n    days_until_due: null\n",
			[]int64{3, 5, 7}, "canceled", 30},
		{"given", "    dunning_retry_days: [1, 10, 30]\n    dunning_final_status: unpaid\n    days_until_due: 14\n",
			[]int64{1, 10, 30}, "unpaid", 14},
		{"ten retries", "    dunning_retry_days: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n", []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, "canceled", 30},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// given an account whose dunning policy is left out, null or given; when it is parsed
			c, err := catalogfile.Parse("c.yaml", []byte("accounts:\n  - id: 1\n    name: Example\n"+tt.fields))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			// then the account has the file's policy, or the default one
			a := c.Accounts[0]
			if !reflect.DeepEqual(a.DunningRetryDays, tt.wantDays) || a.DunningFinalStatus != tt.wantFinal ||
				a.DaysUntilDue != tt.wantDue {
				t.Fatalf("dunning = %v %q, %d days to pay; want %v %q, %d", a.DunningRetryDays, a.DunningFinalStatus,
					a.DaysUntilDue, tt.wantDays, tt.wantFinal, tt.wantDue)
			}
		})
	}
}

func TestParseReadsWhetherAPlanMayBePaidByInvoice(t *testing.T) {
	t.Parallel()
	// given a plan that may be paid by invoice and one that leaves it out; when they are parsed
	c, err := catalogfile.Parse("c.yaml", []byte(validHead+`products:
  - id: 10
    site_id: 1232
    name: Digital
    plans:
      - { id: 1, nickname: Invoiced, currency: usd, interval: year, interval_count: 1, send_invoice_enabled: true }
      - { id: 2, nickname: Card only, currency: usd, interval: year, interval_count: 1 }
`))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	// then only the first may
	if plans := c.Products[0].Plans; !plans[0].SendInvoiceEnabled || plans[1].SendInvoiceEnabled {
		t.Fatalf("send_invoice_enabled = %v, %v; want true, false", plans[0].SendInvoiceEnabled, plans[1].SendInvoiceEnabled)
	}
}

func TestParseRefusesBrokenCommerceSettingsWithTheirPositions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, file string
		want       []string
	}{
		{"retries not after each other, not positive, final status unknown",
			"accounts:\n  - id: 1\n    name: A\n    dunning_retry_days: [3, 3, 0, -2]\n    dunning_final_status: closed\n",
			[]string{
				`c.yaml:4:29: accounts[0].dunning_retry_days[1]: must come after the retry before it (day 3), got 3`,
				`c.yaml:4:32: accounts[0].dunning_retry_days[2]: must be a positive number of days, got 0`,
				`c.yaml:4:35: accounts[0].dunning_retry_days[3]: must be a positive number of days, got -2`,
				`c.yaml:5:27: accounts[0].dunning_final_status: must be one of canceled, unpaid, got "closed"`}},
		{"days_until_due past a year, or negative",
			"accounts:\n  - id: 1\n    name: A\n    days_until_due: 366\n  - id: 2\n    name: B\n    days_until_due: -1\n",
			[]string{`c.yaml:4:21: accounts[0].days_until_due: must be from 1 to 365 days (0: the default), got 366`,
				`c.yaml:7:21: accounts[1].days_until_due: must be from 1 to 365 days (0: the default), got -1`}},
		{"eleven retries", "accounts:\n  - id: 1\n    name: A\n    dunning_retry_days: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]\n",
			[]string{`c.yaml:4:25: accounts[0].dunning_retry_days: must list at most 10 retries, got 11`}},
		{"wrong types", "accounts:\n  - id: 1\n    name: A\n    dunning_retry_days: 3\n    dunning_final_status: [unpaid]\n" +
			"sites: []\nproducts: []\n", []string{
			`c.yaml:4:25: accounts[0].dunning_retry_days: want a list, got the integer 3`,
			`c.yaml:5:27: accounts[0].dunning_final_status: want a string, got a list`}},
		{"send_invoice_enabled not a boolean", validHead + `products:
  - id: 10
    site_id: 1232
    name: Digital
    plans:
      - { id: 1, nickname: X, currency: usd, interval: year, interval_count: 1, send_invoice_enabled: sometimes }
`, []string{`c.yaml:15:103: products[0].plans[0].send_invoice_enabled: want true or false, got the string "sometimes"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// When a file with broken commerce settings is parsed, then each is reported where it stands
			wantParseErrors(t, tt.file, tt.want)
		})
	}
}
