package esdbtest

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/EventStore/EventStore-Client-Go/v4/protos/streams"
)

// defaultSearchWindow is the client's default MaxSearchWindow, used when the
// request asks for a count window instead of a maximum.
const defaultSearchWindow = 32

// eventFilter selects the events a filtered $all subscription sends and
// decides when it sends a checkpoint. A nil *eventFilter lets everything
// through and never checkpoints.
type eventFilter struct {
	field           func(*record) string
	prefixes        []string
	regex           *regexp.Regexp // when set, prefixes are ignored
	checkpointEvery uint64         // considered events between checkpoints
	considered      uint64
}

// newEventFilter compiles the request's filter; it returns nil for no filter.
// Regexes are Go RE2, where a real node uses .NET regexes: lookarounds and
// backreferences are rejected here.
func newEventFilter(o *streams.ReadReq_Options_FilterOptions) (*eventFilter, error) {
	if o == nil {
		return nil, nil
	}
	f := &eventFilter{}
	expression := o.GetStreamIdentifier()
	f.field = func(r *record) string { return r.stream }
	if o.GetEventType() != nil {
		expression = o.GetEventType()
		f.field = func(r *record) string { return r.eventType }
	}
	if expression == nil {
		return nil, fmt.Errorf("the filter needs a stream identifier or an event type expression")
	}
	if pattern := expression.GetRegex(); pattern != "" {
		regex, err := regexp.Compile(pattern)
		if err != nil {
			return nil, fmt.Errorf("invalid filter regex: %w", err)
		}
		f.regex = regex
	}
	f.prefixes = expression.GetPrefix()
	window := uint64(defaultSearchWindow)
	if o.GetCount() == nil && o.GetMax() > 0 {
		window = uint64(o.GetMax())
	}
	f.checkpointEvery = window * uint64(max(o.GetCheckpointIntervalMultiplier(), 1))
	return f, nil
}

// matches reports whether the subscription sends r.
func (f *eventFilter) matches(r *record) bool {
	if f == nil {
		return true
	}
	value := f.field(r)
	if f.regex != nil {
		return f.regex.MatchString(value)
	}
	for _, prefix := range f.prefixes {
		if strings.HasPrefix(value, prefix) {
			return true
		}
	}
	return false
}

// checkpointDue counts one more considered event and reports whether a
// checkpoint at its position is due. A real node checkpoints at page
// granularity, so only "a checkpoint eventually arrives" carries over.
func (f *eventFilter) checkpointDue() bool {
	if f == nil {
		return false
	}
	f.considered++
	return f.considered%f.checkpointEvery == 0
}
