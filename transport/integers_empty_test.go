package transport

import (
	"slices"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

// TestEmptyIntegerFieldsFollowOneRule: every reader of an integer field treats "nothing" alike. Absent,
// null and "" hold no value: a required field's "required", nothing for an optional one. An empty list or
// object holds nothing a required field can use ("required"), and is no integer for an optional one. The
// readers used to disagree: subscription create refused an optional "" address_id and called a "" plan_id
// malformed, the catalog called an empty plan_id list malformed, renewal let an empty address_id list pass.
func TestEmptyIntegerFieldsFollowOneRule(t *testing.T) {
	t.Parallel()
	renewal := func(body string) fieldErrors {
		in := &renewalInput{params: parse(t, body), failures: fieldErrors{}}
		in.id("address_id", false, i18n.RenewalAddressIDInteger)
		in.id("plan_id", true, i18n.RenewalPlanIDInteger)
		return in.failures
	}
	create := func(body string) fieldErrors {
		_, failures := subscriptionInput(parse(t, body))
		return failures
	}
	catalog := func(body string) fieldErrors {
		failures := fieldErrors{}
		if _, failure := planIDParam(parse(t, body)); failure != "" {
			failures["plan_id"] = []i18n.MessageID{failure}
		}
		return failures
	}
	source := func(body string) fieldErrors {
		failures := fieldErrors{}
		sourceIDParam(parse(t, body), failures)
		return failures
	}
	cases := []struct {
		name  string
		read  func(string) fieldErrors
		body  string
		field string
		want  i18n.MessageID // "": no failure of the field
	}{
		{"create: an empty required id", create, `{"plan_id":""}`, "plan_id", i18n.Required("plan_id")},
		{"create: an empty optional id", create, `{"plan_id":4051,"address_id":""}`, "address_id", ""},
		{"create: an empty list as optional id", create, `{"plan_id":4051,"address_id":[]}`, "address_id",
			i18n.SubscriptionInvalid("integer")},
		{"catalog: an empty list as required id", catalog, `{"plan_id":[]}`, "plan_id", i18n.Required("plan_id")},
		{"catalog: an empty required id", catalog, `{"plan_id":""}`, "plan_id", i18n.Required("plan_id")},
		{"renewal: an empty list as optional id", renewal, `{"plan_id":1,"address_id":[]}`, "address_id",
			i18n.RenewalAddressIDInteger},
		{"renewal: an empty optional id", renewal, `{"plan_id":1,"address_id":""}`, "address_id", ""},
		{"renewal: an empty object as required id", renewal, `{"plan_id":{}}`, "plan_id", i18n.Required("plan_id")},
		{"source: an empty id", source, `{"source_id":""}`, "source_id", ""},
		{"source: an empty object", source, `{"source_id":{}}`, "source_id", i18n.SourceIDInteger},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := tc.read(tc.body)[tc.field]
			if tc.want == "" && len(got) > 0 || tc.want != "" && !slices.Equal(got, []i18n.MessageID{tc.want}) {
				t.Errorf("%s: %s = %v, want [%s]", tc.body, tc.field, got, tc.want)
			}
		})
	}
}
