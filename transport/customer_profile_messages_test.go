package transport

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

// profileMessageIDs are the field messages the profile, photo and address endpoints can answer: the type
// errors of their inputs, the photo rules, and every problem the customer aggregate reports for inputs that
// break all of its rules at once.
func profileMessageIDs() []i18n.MessageID {
	ids := []i18n.MessageID{customerField("email_hardbounce", "boolean"), customerField("metadata", "object"),
		customerField("is_default", "boolean"), customerField("is_default_updated", "boolean"),
		customerField("email_verify_token", "required"),
		customerField("email_verify_token", "string"), customerField("email", "string"),
		customerField("username", "string"), customerField("email", "taken"), customerField("username", "taken")}
	for _, rule := range []string{"required", "image", "square", "dimensions", "file_too_large"} {
		ids = append(ids, customerField(pictureField, rule))
	}
	for _, f := range profileTextFields {
		ids = append(ids, customerField(f.name, "string"))
	}
	for _, f := range addressTextFields {
		ids = append(ids, customerField(f.name, "string"))
	}
	long := strings.Repeat("x", 300)
	problems := customer.NormaliseProfile(customer.Profile{FirstName: long, LastName: long, DisplayName: long,
		Salutation: long, Title: long, Organization: long, OldProviderID: long, Phone: "12"}).Problems()
	problems = append(problems, customer.EmailProblems("")...)
	problems = append(problems, customer.EmailProblems("not-an-email")...)
	problems = append(problems, customer.EmailProblems(long+"@example.com")...)
	problems = append(problems, customer.UsernameProblems("a b")...)
	problems = append(problems, customer.UsernameProblems(long)...)
	problems = append(problems, customer.AddressProblems(customer.Address{Type: "home", FirstName: long, LastName: long,
		Title: long, Salutation: long, Company: long, Department: long, Line1: long, Line2: long, City: long,
		State: long, PostalCode: long, Country: "US", Phone: "abc"}, false)...)
	problems = append(problems, customer.AddressProblems(customer.Address{Type: customer.AddressShipping, Country: "CA"}, true)...)
	problems = append(problems, customer.AddressProblems(customer.Address{Type: customer.AddressShipping, Country: "ZZ"}, false)...)
	problems = append(problems, customer.AddressProblems(customer.Address{Type: customer.AddressShipping}, false)...)
	unprintable := withNULs[customer.Profile]()
	unprintable.Metadata = map[string]any{"key": "a\x00b"}
	problems = append(problems, customer.NormaliseProfile(unprintable).Problems()...)
	problems = append(problems, customer.AddressProblems(withNULs[customer.Address](), false)...)
	var inUse customer.Problems
	if _, err := customer.UpdateAddress(customer.Evolve(customer.State{ID: 1}, customer.AddressAdded{Address: customer.Address{
		ID: 1, Line1: "x", Country: "CA", State: "QC"}}), customer.AddressChange{AddressID: 1, InUse: true,
		Changes: customer.AddressPatch{Country: new("FR"), State: new("")}}, time.Time{}); errors.As(err, &inUse) {
		problems = append(problems, inUse...)
	}
	var linkProblems customer.Problems
	if _, err := customer.LinkIdentity(customer.State{ID: 1}, withNULs[customer.Identity](), time.Time{}); errors.As(err, &linkProblems) {
		problems = append(problems, linkProblems...)
	}
	for _, messages := range customerFieldErrors(problems) {
		ids = append(ids, messages...)
	}
	return ids
}

// withNULs returns a T with a NUL in every text field, set by reflection so a field added later breaks the
// printable rule here too.
func withNULs[T any]() T {
	var v T
	fields := reflect.ValueOf(&v).Elem()
	for i := range fields.NumField() {
		if fields.Field(i).Kind() == reflect.String {
			fields.Field(i).SetString("a\x00b")
		}
	}
	return v
}

func TestEveryProfileFieldMessageIsLocalisedInEveryLanguage(t *testing.T) {
	t.Parallel()
	ids := profileMessageIDs()
	if len(ids) < 80 {
		t.Fatalf("only %d message ids gathered; the rule inputs no longer break every rule", len(ids))
	}
	for _, lang := range i18n.Supported() {
		for _, id := range append(ids, i18n.AddressNotFound, i18n.EmailAlreadyVerified, i18n.EmailVerifyTokenInvalid,
			i18n.AddressMoveTaxes, i18n.AddressMoveNotSold) {
			if text := i18n.Localize(lang, id); text == string(id) || text == "" {
				t.Errorf("%s has no %s text", id, lang)
			}
		}
	}
}
