package i18n

import "testing"

// A client that sends a write again without an Idempotency-Key makes a second change (a second address):
// the answer to a saved write whose read model is not there yet must say it was saved and ask for nothing.
func TestASavedWriteNotVisibleYetIsAnnouncedWithoutAskingForARepeat(t *testing.T) {
	t.Parallel()
	cases := []struct {
		lang Language
		want string
	}{
		{English, "Your change was saved and will show shortly."},
		{French, "Votre modification a été enregistrée et apparaîtra sous peu."},
		{Italian, "La modifica è stata salvata e sarà visibile a breve."},
		{Korean, "변경 사항이 저장되었으며 곧 반영됩니다."},
		{Spanish, "Su cambio se ha guardado y aparecerá en breve."},
		{German, "Ihre Änderung wurde gespeichert und ist in Kürze sichtbar."},
	}
	for _, tc := range cases {
		t.Run(string(tc.lang), func(t *testing.T) {
			t.Parallel()
			// when the message is asked for in the language, then it says the change was saved, and only that
			if got := Localize(tc.lang, WriteSavedNotVisibleYet); got != tc.want {
				t.Fatalf("Localize(%q) = %q, want %q", tc.lang, got, tc.want)
			}
		})
	}
}
