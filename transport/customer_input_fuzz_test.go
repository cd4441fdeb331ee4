package transport

import (
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
)

// FuzzCustomerInput feeds arbitrary bodies through what the customer endpoints decode: the body parser, the
// profile reader, the password rules and the token reader of the bearer guard. None may panic, and a field
// error must always name a message every language defines.
func FuzzCustomerInput(f *testing.F) {
	f.Add("application/json", `{"email":"a@b.c","password":"Secret-123!","metadata":{"a":null},"email_hardbounce":true}`)
	f.Add("application/json", `{"first_name":{"x":1},"metadata":[1],"email_hardbounce":"maybe","phone":12}`)
	f.Add("application/x-www-form-urlencoded", "email=a%40b.c&metadata[]=x&email_hardbounce=1&language=fr")
	f.Add("application/json", `{"metadata":{"":{"deep":[1,{"x":null}]}},"language":"\u0000"}`)
	f.Add("multipart/form-data; boundary=x", "--x--")
	f.Fuzz(func(t *testing.T, contentType, body string) {
		params, failure := decodeParams(contentType, "", strings.NewReader(body))
		if failure != nil {
			return
		}
		patch, failures := profileInput(params)
		password, _ := params.String("password")
		passwordFailures("password", password, true, failures)
		for field, messages := range failures {
			for _, m := range messages {
				if !strings.HasPrefix(string(m), "customer."+field+".") {
					t.Fatalf("field %s has message %s", field, m)
				}
			}
		}
		_ = customer.NormaliseProfile(patch.ApplyTo(customer.Profile{})).Problems()
	})
}
