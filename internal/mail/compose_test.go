package mail

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

var (
	issuedAt  = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	expiresAt = issuedAt.Add(time.Hour)
	eventID   = uuid.MustParse("6f1c2a7e-52a4-4d1c-9a53-3f0a1d2b9c11")
)

func tokenIssued(purpose customer.Purpose) customer.OneTimeTokenIssued {
	return customer.OneTimeTokenIssued{CustomerID: 42, SiteID: 7, Purpose: purpose, Email: "ann+news@example.com",
		Nonce: "n1", TokenHash: "h1", ExpiresAt: expiresAt, IssuedAt: issuedAt}
}

func TestOneTimeTokenMessage(t *testing.T) {
	t.Parallel()
	daily := Site{Name: "The Daily", Link: "https://daily.example.com/"}
	cases := []struct {
		name        string
		site        Site
		purpose     customer.Purpose
		wantSubject string
		wantLine    string // the line of the body a customer acts on
	}{
		{"passwordless opens the passwordless-login view", daily, customer.PurposePasswordless,
			"Your sign-in link for The Daily", "https://daily.example.com/?view=passwordless-login&token=42.abc_-"},
		{"password reset carries the escaped email for the reset form", daily, customer.PurposePasswordReset,
			"Reset your The Daily password",
			"https://daily.example.com/?view=password-reset&token=42.abc_-&email=ann%2Bnews%40example.com"},
		{"email verification opens the email-verify view", daily, customer.PurposeEmailVerification,
			"Confirm your email address for The Daily", "https://daily.example.com/?view=email-verify&token=42.abc_-"},
		{"a link with a query and a fragment keeps both",
			Site{Name: "The Daily", Link: "https://daily.example.com/news?lang=fr#top"}, customer.PurposePasswordless,
			"Your sign-in link for The Daily", "https://daily.example.com/news?lang=fr&view=passwordless-login&token=42.abc_-#top"},
		{"a site without a link gets the token to paste", Site{Name: "The Daily"}, customer.PurposePasswordless,
			"Your sign-in link for The Daily", "42.abc_-"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given a token issued for a customer of the site
			e := tokenIssued(tc.purpose)

			// when its message is composed
			m, err := OneTimeTokenMessage(eventID, tc.site, i18n.English, e, "42.abc_-")

			// then it goes to the customer's email, keyed by the event, with the link (or code) on a line of its own
			if err != nil {
				t.Fatalf("OneTimeTokenMessage: %v", err)
			}
			want := Message{ID: eventID, SiteID: 7, CustomerID: 42, Kind: string(tc.purpose),
				Recipient: "ann+news@example.com", Subject: tc.wantSubject, CreatedAt: issuedAt, ExpiresAt: expiresAt}
			got := m
			got.Body = ""
			if got != want {
				t.Fatalf("message = %+v, want %+v", got, want)
			}
			if !strings.Contains(m.Body, "\n\n"+tc.wantLine+"\n\n") {
				t.Fatalf("body does not hold the line %q:\n%s", tc.wantLine, m.Body)
			}
			if !strings.Contains(m.Body, "1 March 2026 10:00 UTC") {
				t.Fatalf("body does not say when the token expires:\n%s", m.Body)
			}
		})
	}
}

func TestOneTimeTokenMessageIsWrittenInItsLanguage(t *testing.T) {
	t.Parallel()
	daily := Site{Name: "The Daily", Link: "https://daily.example.com/"}
	link := "https://daily.example.com/?view=password-reset&token=42.abc_-&email=ann%2Bnews%40example.com"
	cases := []struct {
		lang          i18n.Language
		site          Site
		subject, body string
	}{
		{i18n.English, daily, "Reset your The Daily password", "Hello,\n\nUse this link to choose a new password for The Daily:\n\n" +
			link + "\n\nIt works until 1 March 2026 10:00 UTC.\nIf you did not ask for it, you can ignore this email.\n"},
		{i18n.Spanish, daily, "Restablezca su contraseña de The Daily", "Hola:\n\nUse este enlace para elegir una nueva contraseña para The Daily:\n\n" +
			link + "\n\nEs válido hasta el 01/03/2026 10:00 UTC.\nSi no lo solicitó, puede ignorar este correo.\n"},
		{i18n.German, Site{Name: "The Daily"}, "Setzen Sie Ihr Passwort für The Daily zurück",
			"Hallo,\n\nWählen Sie mit diesem Code ein neues Passwort für The Daily:\n\n42.abc_-\n\nEr gilt bis 01.03.2026 10:00 UTC.\n" +
				"Wenn Sie ihn nicht angefordert haben, können Sie diese E-Mail ignorieren.\n"},
		{i18n.French, daily, "Réinitialisez votre mot de passe The Daily", "Bonjour,\n\nUtilisez ce lien pour choisir un nouveau mot de passe pour The Daily :\n\n" +
			link + "\n\nIl est valable jusqu'au 01/03/2026 10:00 UTC.\nSi vous ne l'avez pas demandé, vous pouvez ignorer cet e-mail.\n"},
		{i18n.Italian, daily, "Reimposta la tua password di The Daily", "Salve,\n\nUsa questo link per scegliere una nuova password per The Daily:\n\n" +
			link + "\n\nÈ valido fino al 01/03/2026 10:00 UTC.\nSe non l'hai richiesto, puoi ignorare questa email.\n"},
		{i18n.Korean, daily, "The Daily 비밀번호 재설정", "안녕하세요,\n\n아래 링크로 The Daily의 새 비밀번호를 설정하세요:\n\n" +
			link + "\n\n2026. 3. 1. 10:00 UTC까지 사용할 수 있습니다.\n요청하지 않으셨다면 이 이메일을 무시하셔도 됩니다.\n"},
		{"", daily, "Reset your The Daily password", "Hello,\n\nUse this link to choose a new password for The Daily:\n\n" +
			link + "\n\nIt works until 1 March 2026 10:00 UTC.\nIf you did not ask for it, you can ignore this email.\n"},
	}
	for _, tc := range cases {
		t.Run(string(tc.lang), func(t *testing.T) {
			t.Parallel()
			// given a reset link issued, when its message is composed in the language
			m, err := OneTimeTokenMessage(eventID, tc.site, tc.lang, tokenIssued(customer.PurposePasswordReset), "42.abc_-")
			// then subject and body are written in it, the date as the language writes dates
			if err != nil || m.Subject != tc.subject || m.Body != tc.body {
				t.Fatalf("message = %q\n%s, %v\nwant %q\n%s", m.Subject, m.Body, err, tc.subject, tc.body)
			}
		})
	}
}

func TestOneTimeTokenMessageRefuses(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		site    Site
		purpose customer.Purpose
		want    string
	}{
		{"an unknown purpose", Site{Name: "D", Link: "https://d.example.com"}, "invite_v0", `purpose "invite_v0"`},
		{"a link that is not absolute http(s)", Site{Name: "D", Link: "ftp://d.example.com"}, customer.PurposePasswordless,
			"site 7 link"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := OneTimeTokenMessage(eventID, tc.site, i18n.English, tokenIssued(tc.purpose), "42.x")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want one mentioning %q", err, tc.want)
			}
		})
	}
}
