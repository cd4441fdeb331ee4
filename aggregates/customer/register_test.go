package customer_test

import (
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
)

func TestRegister(t *testing.T) {
	t.Parallel()
	ann := customer.Registration{CustomerID: annID, AccountID: 10, SiteID: 1232, Email: "  Ann@Example.COM ",
		Username: " Ann_Lee ", PasswordHash: "hash-1", Method: customer.MethodPassword,
		Profile: customer.Profile{FirstName: " Ann ", Language: "EN",
			Metadata: map[string]any{"tier": "gold", "seats": 2.0, "dropped": nil}}}

	t.Run("a new customer is registered: email normalised, username in display form, profile tidied", func(t *testing.T) {
		customers.Given().When(func(s customer.State) ([]customer.Event, error) {
			return customer.Register(s, ann, registerTime)
		}).Then(t, registered())
	})
	t.Run("an existing customer is not registered again", func(t *testing.T) {
		customers.Given(registered()).When(on(customer.Register, ann)).ThenError(t, customer.ErrAlreadyRegistered)
	})
	t.Run("invalid input is refused before the existence check", func(t *testing.T) {
		customers.Given(registered()).When(on(customer.Register, customer.Registration{CustomerID: annID})).
			ThenError(t, customer.ErrInvalid)
	})
	t.Run("an identity provider's customer has no password, no username, and the default language", func(t *testing.T) {
		idp := customer.Registration{CustomerID: 208, AccountID: 10, SiteID: 1232, Email: "bob@example.com",
			Method: customer.IdentityMethod("google"), Profile: customer.Profile{Language: "pt", Phone: "+1 (555) 010-2030"}}
		customers.Given().When(on(customer.Register, idp)).Then(t, customer.Registered{CustomerID: 208, AccountID: 10,
			SiteID: 1232, Email: "bob@example.com", Method: "idp:google", RegisteredAt: now,
			Profile: customer.Profile{Language: "en", Phone: "+15550102030"}})
	})
}

func TestRegisterReportsEveryProblem(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", 256)
	cases := []struct {
		name    string
		command customer.Registration
		want    customer.Problems
	}{
		{"email missing", customer.Registration{Email: "  "},
			customer.Problems{{Field: "email", Rule: customer.RuleRequired}}},
		{"email malformed", customer.Registration{Email: "ann-at-example.com"},
			customer.Problems{{Field: "email", Rule: customer.RuleEmail}}},
		{"a display name is not an email", customer.Registration{Email: "Ann <ann@example.com>"},
			customer.Problems{{Field: "email", Rule: customer.RuleEmail}}},
		{"email too long", customer.Registration{Email: strings.Repeat("a", 244) + "@example.com"},
			customer.Problems{{Field: "email", Rule: customer.RuleMaxLength, Max: 255}}},
		{"rule 4: username of letters, digits, - and _ only", customer.Registration{Email: "a@b.co", Username: "ann lee"},
			customer.Problems{{Field: "username", Rule: customer.RuleUsername}}},
		{"username not ASCII", customer.Registration{Email: "a@b.co", Username: "anné"},
			customer.Problems{{Field: "username", Rule: customer.RuleUsername}}},
		{"phone with fewer than 5 digits", customer.Registration{Email: "a@b.co", Profile: customer.Profile{Phone: "12-34"}},
			customer.Problems{{Field: "phone", Rule: customer.RulePhone}}},
		{"phone with more than 20 digits", customer.Registration{Email: "a@b.co", Profile: customer.Profile{Phone: strings.Repeat("1", 21)}},
			customer.Problems{{Field: "phone", Rule: customer.RulePhone}}},
		{"a phone of letters is not numeric", customer.Registration{Email: "a@b.co", Profile: customer.Profile{Phone: "abc"}},
			customer.Problems{{Field: "phone", Rule: customer.RuleNumeric}}},
		{"a phone of separators only is not numeric", customer.Registration{Email: "a@b.co", Profile: customer.Profile{Phone: "n/a"}},
			customer.Problems{{Field: "phone", Rule: customer.RuleNumeric}}},
		{"an extension is not numeric", customer.Registration{Email: "a@b.co", Profile: customer.Profile{Phone: "+1 (555) 010-2030 ext. 4"}},
			customer.Problems{{Field: "phone", Rule: customer.RuleNumeric}}},
		{"texts limited to 255 characters", customer.Registration{Email: "a@b.co", Username: strings.Repeat("a", 256),
			Profile: customer.Profile{FirstName: long, LastName: long, DisplayName: long, Salutation: long, Title: long,
				Organization: long, OldProviderID: long}},
			customer.Problems{{Field: "username", Rule: customer.RuleMaxLength, Max: 255},
				{Field: "first_name", Rule: customer.RuleMaxLength, Max: 255},
				{Field: "last_name", Rule: customer.RuleMaxLength, Max: 255},
				{Field: "display_name", Rule: customer.RuleMaxLength, Max: 255},
				{Field: "salutation", Rule: customer.RuleMaxLength, Max: 255},
				{Field: "title", Rule: customer.RuleMaxLength, Max: 255},
				{Field: "organization", Rule: customer.RuleMaxLength, Max: 255},
				{Field: "old_provider_id", Rule: customer.RuleMaxLength, Max: 255}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given no customer, when the registration breaks rules
			events, err := customer.Register(customer.State{}, tc.command, now)
			// then every broken rule is reported and nothing is registered
			wantProblems(t, events, err, tc.want)
		})
	}
	t.Run("limits are inclusive and a blank phone is no phone", func(t *testing.T) {
		t.Parallel()
		atLimit := customer.Registration{Email: "a@b.co", Username: "a-_9" + strings.Repeat("Z", 251),
			Profile: customer.Profile{FirstName: strings.Repeat("é", 255), Phone: " \t"}}
		events, err := customer.Register(customer.State{}, atLimit, now)
		if err != nil || events[0].(customer.Registered).Profile.Phone != "" {
			t.Fatalf("Register = %v, %v; want accepted without a phone", events, err)
		}
	})
}

func TestNormalisers(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, got, want string
	}{
		{"email trimmed and lower-cased", customer.NormaliseEmail(" Ann@Example.COM\t"), "ann@example.com"},
		{"username lower-cased for uniqueness", customer.NormaliseUsername(" Ann_Lee "), "ann_lee"},
		{"language lower-cased", customer.NormaliseLanguage("FR"), "fr"},
		{"language of a locale", customer.NormaliseLanguage("ko-KR"), "ko"},
		{"language of an underscore locale", customer.NormaliseLanguage("de_CH"), "de"},
		{"unsupported language falls back to en", customer.NormaliseLanguage("pt"), "en"},
		{"missing language falls back to en", customer.NormaliseLanguage(""), "en"},
		{"an international phone is kept in E.164", customer.NormalisePhone("+1 (514) 555-1234"), "+15145551234"},
		{"an international phone loses its national prefix", customer.NormalisePhone(" +44 (0)20 7946 0958"), "+442079460958"},
		{"a phone with letters stays as written, for the rule to refuse", customer.NormalisePhone(" 555 ext. 4 "), "555 ext. 4"},
		{"an unknown country code keeps + and digits", customer.NormalisePhone("+999 123-456"), "+999123456"},
		{"a phone without + keeps its digits", customer.NormalisePhone("(514) 555-1234"), "5145551234"},
		{"a stored phone of older events stays as it is", customer.NormalisePhone("15145551234"), "15145551234"},
		{"a + without digits stays as written", customer.NormalisePhone("+ n/a"), "+ n/a"},
		{"separators without digits stay as written", customer.NormalisePhone("( )"), "( )"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.got != tc.want {
				t.Fatalf("got %q, want %q", tc.got, tc.want)
			}
		})
	}
}
