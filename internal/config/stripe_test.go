package config

import "testing"

func TestStripeSettings(t *testing.T) {
	cases := []struct {
		name, key, base, webhook string
		want                     stripeSettings
		wantErr                  bool
	}{
		{name: "nothing set: the sandbox"},
		{name: "a key: Stripe", key: "sk_test_1", webhook: "whsec_1", want: stripeSettings{StripeSecretKey: "sk_test_1", StripeWebhookSecret: "whsec_1"}},
		{name: "a key and stripe-mock", key: "sk_test_1", base: "http://127.0.0.1:12111/", want: stripeSettings{StripeSecretKey: "sk_test_1", StripeAPIBase: "http://127.0.0.1:12111"}},
		{name: "an API base without key", base: "http://127.0.0.1:12111", wantErr: true},
		{name: "an API base that is no URL", key: "sk_test_1", base: "127.0.0.1:12111", wantErr: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// given the Stripe settings in the environment
			t.Setenv(EnvStripeSecretKey, tc.key)
			t.Setenv(EnvStripeAPIBase, tc.base)
			t.Setenv(EnvStripeWebhookSecret, tc.webhook)
			// when the configuration is read
			c, err := FromEnv()
			// then they are kept as given, or refused with a reason
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tc.wantErr)
			}
			got := stripeSettings{c.StripeSecretKey, c.StripeAPIBase, c.StripeWebhookSecret}
			if !tc.wantErr && got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

type stripeSettings struct{ StripeSecretKey, StripeAPIBase, StripeWebhookSecret string }
