package config

import "testing"

func TestFromEnvReadsTheSMTPURL(t *testing.T) {
	for _, want := range []string{"", "smtps://mailer:secret@mail.example.com?from=noreply@example.com"} {
		// given PELCRO_SMTP_URL set (or not)
		t.Setenv(EnvSMTPURL, want)
		// when the configuration is read
		c, err := FromEnv()
		// then the outbox gets that server, or none (the development mailbox)
		if err != nil || c.SMTPURL != want {
			t.Fatalf("SMTPURL = %q, %v; want %q", c.SMTPURL, err, want)
		}
	}
}
