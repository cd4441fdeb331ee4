package i18n

import (
	"strings"
	"testing"
	"testing/fstest"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
)

// introduced lists every MessageID constant; a new constant belongs here so its six translations are checked.
var introduced = []MessageID{
	SiteIDInteger, SiteIDInvalid, QueryMalformed, QuerySemicolon, JSONMalformed, JSONNotObject, FormMalformed,
	UnsupportedContentType, BodyTooLarge, BodyUnreadable, RouteNotFound, MethodNotAllowed, InternalError,
	TokenNotProvided, TokenInvalid, TokenBlacklisted, InvalidCredentials, TooManyLoginAttempts, TooManyRequests,
	ResetTokenInvalid, PasswordlessDisabled, LoginTokenInvalid, CustomerEmailNotFound, LoginLinkSent, ResetLinkSent,
	PasswordResetDone, IdentityProviderFailed, IdentityProviderOff, AddressNotFound, EmailAlreadyVerified,
	EmailVerifyTokenInvalid, WriteSavedNotVisibleYet, AddressMoveTaxes, AddressMoveNotSold, SubscriptionAddressChanged,
	CardDeclined, CardInsufficientFunds, CardExpired, CardIncorrectCVC, CardProcessingError, PaymentTokenInvalid,
	GatewayUnavailable, PaymentMethodNotFound, PaymentMethodPending, PaymentMethodsTooMany, PaymentMethodIsDefault, PaymentMethodInUse,
	IntentNotFound, WebhookSignatureInvalid, PaymentGatewayInvalid, PaymentGatewayText, IsDefaultRequiredWithout, ExpMonthRequired,
	ExpMonthInvalid, ExpYearRequired, ExpYearInvalid, ExpiryPast, CCExpFormat, CCExpPast,
	RenewalPlanIDInteger, RenewalSubscriptionIDInteger, RenewalQuantityRange, RenewalQuantityInteger, RenewalCampaignKeyFormat, RenewalAddressIDInteger,
	RenewalTextExpected, RenewalReplaceBoolean,
	SubscriptionPaymentPending, RenewalGiftDonor,
	RenewalGiftRecipient, RenewalTooManyPhases, RenewalPhasesPaid, RenewalSamePlan, RenewalInGiftTerm,
	RenewalPaymentRequired, RenewalGiftPaymentRequired, RenewalChangedMeanwhile, RenewalPurchaseRefunded, RenewalPurchaseAbandoned, GiftInvalid,
	GiftUnpaid, GiftAlreadyRedeemed, GiftOwn, GiftTargetUnpaid, GiftNotGiven, GiftTermRefunded,
	NoEligibleItems,
	AdminKeyMissing, AdminKeyInvalid, AdminCustomerNotFound, AdminTimeInvalid, AdminLimitInvalid,
	AdminCursorInvalid, AdminPositionInvalid, AdminQueryInvalid, AdminRevealInvalid, AdminCrossSite,
	SubscriptionCouponInvalid, SubscriptionCouponNotForPlan,
	PricingCouponCodeText, PricingAddressIDInteger,
	PricingSubscriptionInteger, MembersNoSubscriptions, SubscriptionInvalid("total"), SubscriptionInvalid("positive"), SubscriptionInvalid("domain"), SubscriptionInvalid("ip_range"), SubscriptionInvalid("ip_public"), SubscriptionInvalid("ip_width"),
	GeoLocaleInvalid,
	OrderItemInvalid, OrderItemsTooMany, OrderIDInteger, OrderCampaignKeyText, OrderSKUNotFound, OrderMixedCurrencies, OrderCouponNotForItems,
	OrderAddressRequired, OrderOutOfStock, OrderExpired, OrderPaymentRequired, OrderTooLarge, OrderShopClosed,
	OrderItemSKUInteger, OrderItemSKUMin, OrderItemQuantityInteger, OrderItemQuantityBetween,
	Required("items.0.sku_id"), Required("items.0.quantity"),
	MembershipInvalidSubscription, MembershipMemberDeleted, MembershipMailSubject, MembershipMailBody,
	MembershipMailLink, SubscriptionInvalid("distinct"), SubscriptionInvalid("invited"),
	SubscriptionInvalid("active_member"), SubscriptionInvalid("seat_capacity"), SubscriptionInvalid("owner"),
	SourceIDRequiredWithout, SourceIDInteger, SourceIDMin, GatewayTokenNotText,
}

func TestEveryMessageIsTranslatedIntoEveryLanguage(t *testing.T) {
	t.Parallel()
	for _, id := range introduced {
		english := Localize(English, id)
		// then English has a real sentence, not the id echoed back
		if english == string(id) || strings.TrimSpace(english) == "" {
			t.Errorf("%s: no English text", id)
		}
		for _, lang := range Supported()[1:] {
			// and every other language has its own text, not the English one
			if got := Localize(lang, id); got == english || got == string(id) {
				t.Errorf("%s in %s = %q: not translated", id, lang, got)
			}
		}
	}
}

func TestLocalizeKnownText(t *testing.T) {
	t.Parallel()
	cases := []struct {
		lang Language
		want string
	}{
		{English, "The site id field is required."},
		{French, "Le champ site id est obligatoire."},
		{German, "Das Feld site id ist erforderlich."},
		{"pt", "The site id field is required."},
		{"", "The site id field is required."},
	}
	for _, tc := range cases {
		// when the message is asked for in the language, then unsupported languages get English
		if got := Localize(tc.lang, Required("site_id")); got != tc.want {
			t.Errorf("Localize(%q) = %q, want %q", tc.lang, got, tc.want)
		}
	}
}

func TestUnknownMessageIDComesBackVisible(t *testing.T) {
	t.Parallel()
	if got := Localize(French, "no.such.message"); got != "no.such.message" {
		t.Fatalf("Localize(unknown) = %q, want the id", got)
	}
}

func TestCatalogueRefusesALanguageMissingAMessage(t *testing.T) {
	t.Parallel()
	// given a catalogue whose German file lacks a message the others define
	files := fstest.MapFS{}
	for _, lang := range Supported() {
		files["locales/"+string(lang)+".json"] = &fstest.MapFile{Data: []byte(`{"a": "x", "b": "y"}`)}
	}
	files["locales/de.json"] = &fstest.MapFile{Data: []byte(`{"a": "x"}`)}
	// when it is loaded
	_, err := loadBundle(files)
	// then loading fails and names the incomplete file
	if err == nil || !strings.Contains(err.Error(), "locales/de.json") {
		t.Fatalf("loadBundle = %v, want an error naming locales/de.json", err)
	}
}

func TestCatalogueJoinsAreaFilesAndRefusesGaps(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		german  string
		wantErr string
	}{
		{name: "complete area file", german: `{"c": "z"}`},
		{name: "area file missing an id", german: `{}`, wantErr: "locales for de"},
		{name: "id defined twice", german: `{"c": "z", "a": "x"}`, wantErr: "again"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given every language with a main file and an area file
			files := fstest.MapFS{}
			for _, lang := range Supported() {
				files["locales/"+string(lang)+".json"] = &fstest.MapFile{Data: []byte(`{"a": "x", "b": "y"}`)}
				files["locales/auth."+string(lang)+".json"] = &fstest.MapFile{Data: []byte(`{"c": "z"}`)}
			}
			files["locales/auth.de.json"] = &fstest.MapFile{Data: []byte(tc.german)}
			// when it is loaded
			bundle, err := loadBundle(files)
			// then it holds the area's messages, or fails naming the problem
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("loadBundle = %v", err)
				}
				text, err := goi18n.NewLocalizer(bundle, "de").Localize(&goi18n.LocalizeConfig{MessageID: "c"})
				if err != nil || text != "z" {
					t.Fatalf("German c = %q, %v; want z", text, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("loadBundle = %v, want an error containing %q", err, tc.wantErr)
			}
		})
	}
}
