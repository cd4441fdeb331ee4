package catalog

import (
	"fmt"
	"time"
)

// AccountAttributes are an account's editable fields.
type AccountAttributes struct {
	Name                         string `json:"name"`
	ImmediateCancellationEnabled bool   `json:"immediate_cancellation_enabled"`
	// DunningRetryDays are the days after a renewal charge first failed on which it is tried again, and
	// DunningFinalStatus the status a subscription ends in after the last retry failed. Their defaults apply
	// when the file leaves them out (the decoder's default tag) and to accounts defined before they existed
	// (the upcaster of catalog.account_defined); an empty value (an account built in code) means the
	// default too. Warning: changing a default changes stored accounts as well.
	DunningRetryDays   []int64 `json:"dunning_retry_days" default:"[3, 5, 7]"`
	DunningFinalStatus string  `json:"dunning_final_status" default:"\"canceled\""`
	// DaysUntilDue is how many days an invoice sent to be paid (a subscription paid by invoice) gives the
	// customer; 0, in accounts defined before it existed or built in code, means the default (30).
	DaysUntilDue int64 `json:"days_until_due" default:"30"`
}

// AccountPatch holds the changed account fields; nil means unchanged.
type AccountPatch struct {
	Name                         *string  `json:"name,omitempty"`
	ImmediateCancellationEnabled *bool    `json:"immediate_cancellation_enabled,omitempty"`
	DunningRetryDays             *[]int64 `json:"dunning_retry_days,omitempty"`
	DunningFinalStatus           *string  `json:"dunning_final_status,omitempty"`
	DaysUntilDue                 *int64   `json:"days_until_due,omitempty"`
}

// Account is the desired state of a merchant account, the owner of sites (customers' emails are unique per
// account). It is the payload of DefineAccount and ChangeAccount.
type Account struct {
	ID int64 `json:"id"`
	AccountAttributes
}

// Problems lists the account's broken value rules.
func (a Account) Problems() Problems {
	c := textsChecked(a.AccountAttributes)
	c.positiveID("id", a.ID)
	c.required("name", a.Name)
	c.retryDays("dunning_retry_days", a.DunningRetryDays)
	if a.DunningFinalStatus != "" {
		c.oneOf("dunning_final_status", a.DunningFinalStatus, DunningFinalCanceled, DunningFinalUnpaid)
	}
	if a.DaysUntilDue < 0 || a.DaysUntilDue > MaxDaysUntilDue {
		c.add("days_until_due", "must be from 1 to %d days (0: the default), got %d", MaxDaysUntilDue, a.DaysUntilDue)
	}
	return c.problems
}

// The statuses a subscription may end in after its last dunning retry failed.
const (
	DunningFinalCanceled = "canceled"
	DunningFinalUnpaid   = "unpaid"
)

// MaxDaysUntilDue bounds days_until_due: a year to pay an invoice.
const MaxDaysUntilDue = 365

// MaxDunningRetries bounds dunning_retry_days: each retry is a charge attempt on the customer's card.
const MaxDunningRetries = 10

// retryDays accepts at most MaxDunningRetries positive, strictly increasing day counts (none: the
// default).
func (c *checker) retryDays(field string, days []int64) {
	if len(days) > MaxDunningRetries {
		c.add(field, "must list at most %d retries, got %d", MaxDunningRetries, len(days))
	}
	for i, day := range days {
		switch {
		case day < 1:
			c.add(fmt.Sprintf("%s[%d]", field, i), "must be a positive number of days, got %d", day)
		case i > 0 && day <= days[i-1]:
			c.add(fmt.Sprintf("%s[%d]", field, i), "must come after the retry before it (day %d), got %d", days[i-1], day)
		}
	}
}

// AccountEvent is an event of an account stream.
type AccountEvent interface {
	Event
	isAccountEvent()
}

// AccountDefined records a new account.
type AccountDefined struct {
	AccountID int64 `json:"account_id"`
	AccountAttributes
	DefinedAt time.Time `json:"defined_at"`
}

// AccountChanged records the account fields that changed.
type AccountChanged struct {
	AccountID int64        `json:"account_id"`
	Changes   AccountPatch `json:"changes"`
	ChangedAt time.Time    `json:"changed_at"`
}

func (AccountDefined) isAccountEvent() {}
func (AccountChanged) isAccountEvent() {}

// Subject tells importers which account was created.
func (e AccountDefined) Subject() Subject { return created(KindAccount, e.AccountID) }

// Subject tells importers which account changed.
func (e AccountChanged) Subject() Subject { return changed(KindAccount, e.AccountID) }

// AccountState is an account as its stream tells it; the zero value is an account never defined.
type AccountState struct {
	Defined bool
	Account Account
}

// EvolveAccount folds one event into the state.
func EvolveAccount(s AccountState, e AccountEvent) AccountState {
	switch e := e.(type) {
	case AccountDefined:
		s = AccountState{Defined: true, Account: Account{ID: e.AccountID, AccountAttributes: e.AccountAttributes}}
	case AccountChanged:
		s.Account.AccountAttributes = applyPatch(s.Account.AccountAttributes, e.Changes)
	}
	return s
}

// DefineAccount creates the account.
func DefineAccount(s AccountState, c Account, now time.Time) ([]AccountEvent, error) {
	if err := guardDefine(s.Defined, c.Problems()); err != nil {
		return nil, err
	}
	return []AccountEvent{AccountDefined{AccountID: c.ID, AccountAttributes: c.AccountAttributes, DefinedAt: now}}, nil
}

// ChangeAccount brings the account to c: one AccountChanged with the differing fields, or no event.
func ChangeAccount(s AccountState, c Account, now time.Time) ([]AccountEvent, error) {
	if err := guardChange(s.Defined, true, c.Problems()); err != nil {
		return nil, err
	}
	return changeEvents(s.Account.AccountAttributes, c.AccountAttributes, func(p AccountPatch) AccountEvent {
		return AccountChanged{AccountID: c.ID, Changes: p, ChangedAt: now}
	}), nil
}
