package catalogfile

import (
	"fmt"

	"github.com/goccy/go-yaml/token"
)

// Limits on the shape of a catalog file, checked on the tokens before the YAML parser builds its tree.
// Anchors, aliases and tags are refused there too: the decoder could not use them anyway, an alias is
// the tool of expansion bombs, and the parser nests a value under a tag or anchor left at the end of its
// line without indenting, which would hide its depth from the column-based measure below.
// The parser's time grows with the square of the nesting depth (100,000 nested '[' took 50 s) and of the
// number of keys in one mapping (100,000 keys took 26 s), while the lexer is linear. A real catalog nests
// about six levels (catalog → products → product → plans → plan → domains) and its entities have a few
// dozen fields, so these limits refuse only files nobody writes, and keep the parser's work on a
// limit-sized construct to milliseconds.
const (
	maxNestingDepth = 64
	maxMappingKeys  = 1000
)

// shape is what measureShape found in a token stream.
type shape struct {
	// depth is the deepest nesting, keys the most keys counted in one mapping.
	depth, keys int
	// refusal is the first reason to refuse the file before parsing it, and where is where it was found;
	// "" and nil when there is none.
	refusal string
	where   *token.Token
}

// collection is one open collection while scanning: a flow '[' or '{', one that an entry of a flow
// collection opens without brackets (implicit: the one-pair mapping of "[a: 1]"), or a block sequence or
// mapping whose entries start at column.
type collection struct {
	flow     bool
	mapping  bool
	implicit bool
	column   int
	entries  int
}

// shapeScan follows the nesting of a token stream. It approximates YAML's block structure by columns (an
// entry at a deeper column opens a collection, one at the same column is a sibling, a shallower one closes
// what is deeper): exact for the files the decoder accepts and never shallower than the parser's tree for
// the others (FuzzShapeIsNeverShallowerThanTheParsedTree). A key it does not count as a sibling opens one
// more level instead, so neither limit can be dodged by misleading it.
type shapeScan struct {
	shape
	open []collection
	// explicitKey is set by '?': the ':' that follows belongs to a key already counted.
	explicitKey bool
	// afterDash is set by a block "-", and entryValue is then the index of the first token after it that is
	// not a comment: the parser makes a key at the sequence's column the value of an entry left empty
	// ("-\nkey: v" is a sequence of a mapping), which nests without indenting.
	afterDash  bool
	entryValue int
}

// measureShape measures tokens, the whole lexer output of a file, in one pass.
func measureShape(tokens token.Tokens) shape {
	var s shapeScan
	for i, tk := range tokens {
		if s.afterDash && s.entryValue == 0 && tk.Type != token.CommentType {
			s.entryValue = i
		}
		switch tk.Type {
		case token.AnchorType, token.AliasType, token.TagType:
			s.refuse(tk, "YAML anchors, aliases and tags are not supported; write the value out")
		case token.DocumentHeaderType:
			s.open = s.open[:0]
		case token.SequenceStartType, token.MappingStartType:
			s.push(collection{flow: true, mapping: tk.Type == token.MappingStartType})
		case token.SequenceEndType, token.MappingEndType:
			s.closeFlow()
		case token.CollectEntryType:
			s.closeImplicit()
		case token.SequenceEntryType:
			if s.inFlow() {
				// YAML has no "-" entries in flow context, but the parser reads "[- a]" as a nested sequence.
				s.push(collection{flow: true, implicit: true})
			} else {
				s.afterDash, s.entryValue = true, 0
				s.blockEntry(collection{column: tk.Position.Column}, false)
			}
		case token.MappingKeyType:
			s.explicitKey = true
			s.key(tk.Position.Column, s.afterDash && s.entryValue == i)
		case token.MappingValueType:
			if !s.explicitKey && i > 0 {
				tk = tokens[i-1] // the key, where a reader looks
				s.key(tk.Position.Column, s.afterDash && s.entryValue == i-1)
			}
			s.explicitKey = false
		}
		s.check(tk)
	}
	return s.shape
}

// check records tk as the place where a limit was first exceeded, if one just was.
func (s *shapeScan) check(tk *token.Token) {
	switch {
	case s.depth > maxNestingDepth:
		s.refuse(tk, fmt.Sprintf("values are nested more than %d levels deep", maxNestingDepth))
	case s.keys > maxMappingKeys:
		s.refuse(tk, fmt.Sprintf("a mapping holds more than %d keys", maxMappingKeys))
	}
}

// refuse records the first reason to refuse the file.
func (s *shapeScan) refuse(tk *token.Token, reason string) {
	if s.refusal == "" {
		s.refusal, s.where = reason, tk
	}
}

func (s *shapeScan) top() *collection {
	if len(s.open) == 0 {
		return nil
	}
	return &s.open[len(s.open)-1]
}

func (s *shapeScan) inFlow() bool { return s.top() != nil && s.top().flow }

func (s *shapeScan) push(c collection) {
	s.open = append(s.open, c)
	s.depth = max(s.depth, len(s.open))
}

// sequenceUnderKey tells a sequence written at its key's column ("key:\n- a\nnext: b"), which the next
// key of that column ends.
func (s *shapeScan) sequenceUnderKey(key collection) bool {
	n := len(s.open)
	if !key.mapping || n < 2 {
		return false
	}
	sequence, parent := s.open[n-1], s.open[n-2]
	return !sequence.mapping && sequence.column == key.column && parent.mapping && !parent.flow && parent.column == key.column
}

func (s *shapeScan) countKey(c *collection) {
	c.entries++
	s.keys = max(s.keys, c.entries)
}

// closeFlow ends the innermost flow collection and what was opened inside it.
func (s *shapeScan) closeFlow() {
	for len(s.open) > 0 {
		closed := s.open[len(s.open)-1]
		s.open = s.open[:len(s.open)-1]
		if closed.flow && !closed.implicit {
			return
		}
	}
}

// closeImplicit ends the collections a flow entry opened implicitly, at the ',' after it.
func (s *shapeScan) closeImplicit() {
	for top := s.top(); top != nil && top.implicit; top = s.top() {
		s.open = s.open[:len(s.open)-1]
	}
}

// key counts a mapping key that starts at column; valueOfEmptyEntry says it is the first thing after a
// block "-".
func (s *shapeScan) key(column int, valueOfEmptyEntry bool) {
	switch {
	case !s.inFlow():
		s.blockEntry(collection{mapping: true, column: column}, valueOfEmptyEntry)
	case s.top().mapping:
		s.countKey(s.top())
	default: // a key inside a flow sequence: "[a: 1]" is a sequence of a one-pair mapping
		s.push(collection{flow: true, mapping: true, implicit: true})
		s.countKey(s.top())
	}
}

// blockEntry places a block sequence entry or mapping key: deeper block collections end, a collection of
// the same kind at the same column gets one more entry, anything else opens a new level.
func (s *shapeScan) blockEntry(entry collection, valueOfEmptyEntry bool) {
	for top := s.top(); top != nil && !top.flow; top = s.top() {
		deeper := top.column > entry.column
		if !deeper && (valueOfEmptyEntry || !s.sequenceUnderKey(entry)) {
			break
		}
		s.open = s.open[:len(s.open)-1]
	}
	top := s.top()
	if top == nil || top.flow || top.column != entry.column || top.mapping != entry.mapping {
		s.push(entry)
		top = s.top()
	}
	if entry.mapping {
		s.countKey(top)
	}
}
