package idblock

// State is a counter: the last id any block handed out. The zero value is a counter that has handed out
// nothing.
type State struct {
	Last int64
}

// Evolve folds one event into the state. It holds no rules: events are facts. Because a Reserved carries
// the counter's new value whole, folding only a stream's last event gives the same state as folding all.
func Evolve(s State, e Event) State {
	if e, ok := e.(Reserved); ok {
		s.Last = e.Last
	}
	return s
}
