package wallet

import (
	"regexp"
	"strconv"
	"time"
)

// Expiry is a card's expiry month. A card works through the last day of that month.
type Expiry struct {
	Month int
	Year  int
}

// ccExp is `cc_exp` of PUT /source/{id} (spec #44): two-digit month, slash, two-digit year.
var ccExp = regexp.MustCompile(`^(\d{2})/(\d{2})$`)

// ParseCCExp reads an `MM/YY` expiry, the year in this century; ErrExpiryMalformed otherwise.
func ParseCCExp(s string) (Expiry, error) {
	m := ccExp.FindStringSubmatch(s)
	if m == nil {
		return Expiry{}, ErrExpiryMalformed
	}
	month, _ := strconv.Atoi(m[1])
	year, _ := strconv.Atoi(m[2])
	e := Expiry{Month: month, Year: 2000 + year}
	if month < 1 || month > 12 {
		return Expiry{}, ErrExpiryMalformed
	}
	return e, nil
}

// ValidMonth reports whether m is a month, 1–12.
func ValidMonth(m int) bool { return m >= 1 && m <= 12 }

// ValidYear reports whether y is a four-digit year.
func ValidYear(y int) bool { return y >= 1000 && y <= 9999 }

// Check refuses a month outside 1–12 (ErrExpiryMonth) or a year outside four digits (ErrExpiryYear), both
// ErrExpiryMalformed, and an expiry whose month ended before now (ErrExpiryPast).
func (e Expiry) Check(now time.Time) error {
	switch {
	case !ValidMonth(e.Month):
		return ErrExpiryMonth
	case !ValidYear(e.Year):
		return ErrExpiryYear
	}
	if !time.Date(e.Year, time.Month(e.Month)+1, 1, 0, 0, 0, 0, time.UTC).After(now) {
		return ErrExpiryPast
	}
	return nil
}
