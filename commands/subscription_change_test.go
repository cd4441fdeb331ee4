package commands_test

import (
	"cmp"
	"encoding/json"
	"errors"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

func TestChangingPlan(t *testing.T) {
	t.Parallel()
	w := newSubscriptionWorld(t)
	ann := w.register(t, "ann@example.com", "ann")
	bob := w.register(t, "bob@example.com", "bob")
	cy := w.register(t, "cy@example.com", "cy") // no card at all
	card := w.saveCard(t, ann, "tok_visa")
	cases := []struct {
		name     string
		on       subscription.Terms // the subscription's plan (zero: 4051, 1000 a month)
		owner    int64
		by       int64 // who asks for the change (0: ann)
		card     int64
		change   commands.PlanChange
		refusal  error
		plan     int64 // the subscription's plan afterwards
		invoiced int64 // the paid proration invoice's total (0: none)
		credit   int64
	}{
		{name: "an upgrade half way is charged half the difference to the saved card", owner: ann, card: card,
			change: commands.PlanChange{SubscriptionSale: commands.SubscriptionSale{PlanID: 4054, Quantity: 1}}, plan: 4054, invoiced: 1000},
		{name: "an upgrade paid with a token given", owner: ann, card: card,
			change: commands.PlanChange{SubscriptionSale: commands.SubscriptionSale{PlanID: 4054, Quantity: 1, Payment: commands.SubscriptionPayment{Token: "tok_mastercard"}}},
			plan:   4054, invoiced: 1000},
		{name: "a downgrade half way becomes credit", on: premium, owner: ann, card: card,
			change: commands.PlanChange{SubscriptionSale: commands.SubscriptionSale{PlanID: 4051, Quantity: 1}}, plan: 4051, credit: 1500 - 500},
		{name: "a declined card changes nothing", owner: ann, card: card,
			change:  commands.PlanChange{SubscriptionSale: commands.SubscriptionSale{PlanID: 4054, Quantity: 1, Payment: commands.SubscriptionPayment{Token: "tok_chargeDeclined"}}},
			refusal: errDeclined, plan: 4051},
		{name: "an upgrade of a subscription without a card of its own is charged to the default card", owner: ann,
			change: commands.PlanChange{SubscriptionSale: commands.SubscriptionSale{PlanID: 4054, Quantity: 1}}, plan: 4054, invoiced: 1000},
		{name: "nothing to charge an upgrade to: no card named, none of its own, no default", owner: cy, by: cy,
			change: commands.PlanChange{SubscriptionSale: commands.SubscriptionSale{PlanID: 4054, Quantity: 1}}, refusal: commands.ErrPaymentMeansRequired, plan: 4051},
		{name: "another customer's subscription", owner: bob, card: card,
			change: commands.PlanChange{SubscriptionSale: commands.SubscriptionSale{PlanID: 4054, Quantity: 1}}, refusal: subscription.ErrNotFound, plan: 4051},
		{name: "the plan it has", owner: ann, card: card,
			change: commands.PlanChange{SubscriptionSale: commands.SubscriptionSale{PlanID: 4051, Quantity: 1}}, refusal: subscription.ErrSamePlan, plan: 4051},
		{name: "a plan in another currency", owner: ann, card: card,
			change: commands.PlanChange{SubscriptionSale: commands.SubscriptionSale{PlanID: 4070, Quantity: 1}}, refusal: subscription.ErrCurrencyMismatch, plan: 4051},
		{name: "an unknown plan", owner: ann, card: card,
			change: commands.PlanChange{SubscriptionSale: commands.SubscriptionSale{PlanID: 1, Quantity: 1}}, refusal: commands.ErrPlanNotFound, plan: 4051},
		{name: "a quantity out of range", owner: ann, card: card,
			change: commands.PlanChange{SubscriptionSale: commands.SubscriptionSale{PlanID: 4054, Quantity: subscription.MaxQuantity + 1}}, refusal: subscription.ErrInvalid, plan: 4051},
	}
	// given a subscription per case (monthly, 1000 unless on says otherwise), half way through its first period
	ids := make([]int64, len(cases))
	for i, c := range cases {
		ids[i] = w.subscribe(t, c.owner, c.card, func(n *subscription.New) {
			if c.on != (subscription.Terms{}) {
				n.Terms, n.PeriodAmount = c.on, c.on.Amount
			}
		})
	}
	w.at(halfWay)
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			id := ids[i]
			// when ann changes its plan
			in := c.change
			in.Target, in.SubscriptionID = target(cmp.Or(c.by, ann)), id
			changed, err := w.subs.Change(t.Context(), newEnv(), in)
			// then
			assertRefusal(t, err, c.refusal)
			s := w.subscription(t, id)
			if s.Terms.PlanID != c.plan || s.Credit != c.credit {
				t.Errorf("plan %d credit %d, want plan %d credit %d", s.Terms.PlanID, s.Credit, c.plan, c.credit)
			}
			var paid []int64
			for _, i := range w.invoicesOf(t, id) {
				if i.Status == invoice.StatusPaid {
					paid = append(paid, i.Total)
				} else if i.Status != invoice.StatusVoid {
					t.Errorf("invoice %d left %s", i.ID, i.Status)
				}
			}
			if c.invoiced != 0 && (changed.Charged != c.invoiced || len(paid) != 1 || paid[0] != c.invoiced) ||
				c.invoiced == 0 && c.credit == 0 && len(paid) != 0 {
				t.Errorf("charged %d, paid invoices %v, want %d", changed.Charged, paid, c.invoiced)
			}
		})
	}
}

// assertRefusal fails unless err is want (nil: no error; errDeclined, the creation tests' stand-in: a
// decline).
func assertRefusal(t *testing.T, err, want error) {
	t.Helper()
	if want == errDeclined {
		if !errors.As(err, new(*payments.Declined)) {
			t.Fatalf("error = %v, want a decline", err)
		}
		return
	}
	if !errors.Is(err, want) || (want == nil) != (err == nil) {
		t.Fatalf("error = %v, want %v", err, want)
	}
}

// target is the customer's target in account 1, site 1.
func target(customerID int64) commands.Target {
	return commands.Target{CustomerID: customerID, AccountID: 1, SiteID: 1}
}

func TestAChangeInvoiceShowsTheTaxItsProrationHolds(t *testing.T) {
	t.Parallel()
	// given a taxed catalog (5 % GST and 9.975 % QST in Québec) and a monthly subscription of 4051 (1000 +
	// 150 of tax) shipped to Québec
	w := newSubscriptionWorld(t)
	taxed := w.subs.Catalog.(fakeCatalog)
	taxed.taxesEnabled = true
	w.subs.Catalog, w.subs.Pricer.Catalog = taxed, taxed
	ann := w.register(t, "ann@example.com", "ann")
	_, address, err := w.customers.AddAddress(t.Context(), newEnv(), commands.NewAddress{Target: target(ann),
		Address: customer.Address{Type: customer.AddressShipping, Line1: "1 Main St", Country: "CA", State: "QC",
			IsDefault: true}})
	if err != nil {
		t.Fatal(err)
	}
	created, err := w.subs.Create(t.Context(), newEnv(), commands.NewSubscription{Target: target(ann),
		PlanID: 4051, AddressID: address, Token: "tok_visa"})
	if err != nil {
		t.Fatal(err)
	}
	// when it moves half way to 4054 (3000 + 449 of tax): half of 3449 less half of 1150
	w.at(halfWay)
	changed, err := w.subs.Change(t.Context(), newEnv(), commands.PlanChange{SubscriptionSale: commands.SubscriptionSale{
		Target: target(ann), SubscriptionID: created.SubscriptionID, PlanID: 4054, Quantity: 1}})
	if err != nil {
		t.Fatal(err)
	}
	// then the invoice bills 1150: 1000 and its 150 of tax, the new price's share (449 / 3449)
	bill := w.state(t, changed.InvoiceID)
	var opened invoice.Created
	if err := json.Unmarshal(w.recorded(t, changed.InvoiceID)[0].Data, &opened); err != nil {
		t.Fatal(err)
	}
	amounts := opened.Amounts
	if bill.Total != 1150 || amounts.Subtotal != 1000 || amounts.Tax != 150 {
		t.Errorf("change invoice: %+v (total %d), want subtotal 1000, tax 150, total 1150", amounts, bill.Total)
	}
}
