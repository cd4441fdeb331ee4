package operator

import (
	"fmt"
	"strings"
)

// describer turns a decoded event into one plain English sentence. There is one per registered event name
// (describers_test.go checks every name of every aggregate): a new event type without one fails that test.
type describer func(value any) string

// describers maps event names to their describer; built from the per-family tables below.
var describers = merge(customerDescribers, walletDescribers, invoiceDescribers, newsletterDescribers,
	catalogDescribers, infrastructureDescribers, subscriptionDescribers, orderDescribers)

// describeAs adapts a typed sentence function; an event whose payload is not an E (never, for a registered
// name) is described by its name.
func describeAs[E any](sentence func(E) string) describer {
	return func(value any) string {
		if e, ok := value.(E); ok {
			return sentence(e)
		}
		return fmtType(value)
	}
}

// fmtType names a value's Go type: the sentence of a payload a describer was not written for.
func fmtType(value any) string { return fmt.Sprintf("%T", value) }

func merge(tables ...map[string]describer) map[string]describer {
	all := map[string]describer{}
	for _, t := range tables {
		for name, d := range t {
			all[name] = d
		}
	}
	return all
}

// Describe is the plain English sentence for an entry: its describer's, or, for an event type this build
// does not know, a sentence naming the type.
func Describe(e Entry) string {
	if d, ok := describers[e.Type]; ok && e.value != nil {
		return d(e.value)
	}
	return "Unknown event " + e.Type + " (written by a newer version?)"
}

// ActorText says who acted in plain words: "customer 42", "operator (cli)", "system (renewals)".
func ActorText(actor string) string {
	kind, id, found := strings.Cut(actor, ":")
	switch {
	case actor == "":
		return "unknown"
	case !found:
		return actor
	case kind == "customer":
		return "customer " + id
	case kind == "operator" || kind == "admin":
		return "operator (" + id + ")"
	case kind == "system":
		return "system (" + id + ")"
	}
	return kind + " " + id
}

// money spells an amount of minor units: "12.50 USD", or "500 JPY" for currencies without minor units.
func money(amount int64, currency string) string {
	code := strings.ToUpper(currency)
	if zeroDecimal[currency] {
		return fmt.Sprintf("%d %s", amount, code)
	}
	sign := ""
	if amount < 0 {
		sign, amount = "-", -amount
	}
	return fmt.Sprintf("%s%d.%02d %s", sign, amount/100, amount%100, code)
}

// zeroDecimal are the currencies whose amounts have no minor unit (Stripe's list).
var zeroDecimal = map[string]bool{"bif": true, "clp": true, "djf": true, "gnf": true, "jpy": true, "kmf": true,
	"krw": true, "mga": true, "pyg": true, "rwf": true, "ugx": true, "vnd": true, "vuv": true, "xaf": true,
	"xof": true, "xpf": true}
