package catalogfile

import (
	"testing"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/parser"
)

// FuzzShapeIsNeverShallowerThanTheParsedTree checks the property the depth limit rests on: for every input
// the YAML parser accepts, measureShape's depth is at least the depth of the tree the parser builds, so no
// input can reach the parser's quadratic work by nesting past the limit unseen. Its seeds run in every
// `go test`; `go test -fuzz=FuzzShape ./internal/catalogfile` explores further.
func FuzzShapeIsNeverShallowerThanTheParsedTree(f *testing.F) {
	for _, seed := range []string{
		"a:\n  b:\n    - c\n    - [d, {e: f}]\n",
		"key:\n- a\n- b\nnext:\n  deeper: [1, [2, [3]]]\n",
		"- - - x\n",
		"- a: 1\n  b:\n  - c: {d: [e]}\n",
		"&x a:\n  &y b: 1\n  c: 2\n",
		"? [a, b]\n: {c: d}\n",
		"[a: [b: {c: d}]]\n",
		"!!map {a: !!seq [b]}\n",
		"a: |\n  [[[not nested\nb: 'x: [y'\n",
		"---\na: [1]\n---\n- b\n",
		// Inputs the fuzzer found the measure too shallow on, each fixed since.
		"[- 0]", "-\n0:", "00:\n- \n0:", "- 0: !\n-", "!0 0:\n 0:",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data string) {
		tokens := lexer.Tokenize(data)
		measured := measureShape(tokens)
		if measured.refusal != "" {
			return // refused before parsing, whatever its real depth
		}
		file, err := parser.Parse(lexer.Tokenize(data), 0)
		if err != nil {
			return
		}
		for _, doc := range file.Docs {
			if depth := treeDepth(doc.Body); depth > measured.depth {
				t.Fatalf("parsed tree is %d levels deep, measureShape saw %d", depth, measured.depth)
			}
		}
	})
}

// treeDepth counts the collections on the deepest path of the parser's tree. A one-pair mapping is a bare
// MappingValueNode; inside a MappingNode it is one of the mapping's pairs, not a level of its own.
func treeDepth(node ast.Node) int {
	switch n := node.(type) {
	case nil:
		return 0
	case *ast.MappingNode:
		return 1 + deepest(n.Values, pairDepth)
	case *ast.MappingValueNode:
		return 1 + pairDepth(n)
	case *ast.SequenceNode:
		return 1 + deepest(n.Values, treeDepth)
	case *ast.AnchorNode:
		return treeDepth(n.Value)
	case *ast.TagNode:
		return treeDepth(n.Value)
	case *ast.MappingKeyNode:
		return treeDepth(n.Value)
	}
	return 0
}

// deepest is the greatest depth of nodes.
func deepest[N any](nodes []N, depth func(N) int) int {
	d := 0
	for _, n := range nodes {
		d = max(d, depth(n))
	}
	return d
}

func pairDepth(pair *ast.MappingValueNode) int {
	return max(treeDepth(pair.Key), treeDepth(pair.Value))
}
