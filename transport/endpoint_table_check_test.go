package transport

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/gorilla/mux"
)

// endpointTablePath is the page that lists every endpoint with its status, from the repository's root; the
// tests keep it true.
const endpointTablePath = "docs/api.md"

// apiPathColumn is the header of a path column whose paths are relative to APIBasePath; a column named
// "path" holds absolute paths.
const apiPathColumn = "path under " + APIBasePath

// endpoint is one method on one path template, the unit both the route table and the page list.
type endpoint struct{ method, path string }

func (e endpoint) String() string { return e.method + " " + e.path }

// endpointRow is one row of the page: the endpoint, its status and its spec number ("" outside the spec).
type endpointRow struct {
	endpoint
	served bool
	number string
	line   int
}

// parseEndpointTables reads every Markdown table of the page that has method, path and status columns.
// Rows it cannot read are problems, so a typo does not silently drop a row from the check.
func parseEndpointTables(page string) (rows []endpointRow, problems []string) {
	lines := strings.Split(page, "\n")
	var columns map[string]int
	for i, line := range lines {
		cells, isRow := tableCells(line)
		switch {
		case !isRow:
			columns = nil
		case i+1 < len(lines) && strings.HasPrefix(lines[i+1], "|---"):
			columns = map[string]int{}
			for j, name := range cells {
				columns[name] = j
			}
		case strings.HasPrefix(line, "|---") || columns == nil:
		default:
			row, err := readEndpointRow(cells, columns, i+1)
			if err != nil {
				problems = append(problems, err.Error())
			} else if row != nil {
				rows = append(rows, *row)
			}
		}
	}
	return rows, problems
}

// tableCells splits a Markdown table line into its trimmed cells.
func tableCells(line string) ([]string, bool) {
	line = strings.TrimSpace(line)
	if !strings.HasPrefix(line, "|") || !strings.HasSuffix(line, "|") {
		return nil, false
	}
	cells := strings.Split(strings.Trim(line, "|"), "|")
	for i := range cells {
		cells[i] = strings.TrimSpace(cells[i])
	}
	return cells, true
}

// readEndpointRow reads one row of a table; a table without method, path and status columns is not an
// endpoint table (nil row, no error).
func readEndpointRow(cells []string, columns map[string]int, line int) (*endpointRow, error) {
	method, hasMethod := columns["method"]
	status, hasStatus := columns["status"]
	path, relative := columns[apiPathColumn]
	if !relative {
		var absolute bool
		if path, absolute = columns["path"]; !absolute {
			return nil, nil
		}
	}
	if !hasMethod || !hasStatus {
		return nil, nil
	}
	if len(cells) != len(columns) {
		return nil, fmt.Errorf("%s:%d: %d cells, the table has %d columns", endpointTablePath, line, len(cells), len(columns))
	}
	row := endpointRow{endpoint: endpoint{method: cells[method], path: strings.Trim(cells[path], "`")}, line: line}
	if relative {
		row.path = APIBasePath + row.path
	}
	if n, ok := columns["#"]; ok {
		row.number = cells[n]
	}
	switch cells[status] {
	case "served":
		row.served = true
	case "not yet":
	default:
		return nil, fmt.Errorf("%s:%d: status %q of %s is neither \"served\" nor \"not yet\"", endpointTablePath, line, cells[status], row.endpoint)
	}
	return &row, nil
}

// routedEndpoints walks the router and returns every method and path template it serves. HEAD is left out
// (the page does not list it) and a route without a method matcher is listed as method ANY.
func routedEndpoints(router *mux.Router) ([]endpoint, error) {
	var routed []endpoint
	err := router.Walk(func(route *mux.Route, _ *mux.Router, _ []*mux.Route) error {
		if route.GetHandler() == nil {
			return nil // a subrouter: its routes are walked on their own
		}
		path, err := route.GetPathTemplate()
		if err != nil {
			return fmt.Errorf("a route without a path template: %w", err)
		}
		methods, err := route.GetMethods()
		if err != nil {
			methods = []string{"ANY"}
		}
		for _, method := range methods {
			if method != http.MethodHead {
				routed = append(routed, endpoint{method: method, path: withoutVariablePatterns(path)})
			}
		}
		return nil
	})
	return routed, err
}

// variablePattern matches a path variable's regular expression, as in {id:[0-9]+}.
var variablePattern = regexp.MustCompile(`\{([^{}:]+):[^{}]*\}`)

// withoutVariablePatterns writes {id:[0-9]+} as {id}, the way the page names variables.
func withoutVariablePatterns(template string) string {
	return variablePattern.ReplaceAllString(template, "{$1}")
}

// endpointTableProblems compares the page's rows with the routes: each problem names the row to add or
// change. specEndpoints is how many numbered endpoints the spec has; each number from 1 to it must appear.
func endpointTableProblems(rows []endpointRow, routed []endpoint, specEndpoints int) []string {
	var problems []string
	listed := map[endpoint]endpointRow{}
	numbers := map[string]bool{}
	for _, row := range rows {
		if earlier, twice := listed[row.endpoint]; twice {
			problems = append(problems, fmt.Sprintf("%s:%d: %s is listed again (first on line %d)", endpointTablePath, row.line, row.endpoint, earlier.line))
		}
		listed[row.endpoint] = row
		numbers[row.number] = true
	}
	for n := 1; n <= specEndpoints; n++ {
		if !numbers[strconv.Itoa(n)] {
			problems = append(problems, fmt.Sprintf("%s: no row numbered #%d", endpointTablePath, n))
		}
	}
	for _, route := range routed {
		row, ok := listed[route]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("%s: the router serves %s but no row lists it: add a row %s",
				endpointTablePath, route, suggestedRow(route)))
		case !row.served:
			problems = append(problems, fmt.Sprintf("%s:%d: the router serves %s: mark the row \"served\"", endpointTablePath, row.line, route))
		}
	}
	for _, row := range rows {
		if row.served && !slices.Contains(routed, row.endpoint) {
			problems = append(problems, fmt.Sprintf("%s:%d: %s is marked \"served\" but the router has no such route: fix the path or mark it \"not yet\"",
				endpointTablePath, row.line, row.endpoint))
		}
	}
	return problems
}

// suggestedRow is the row a newly routed endpoint needs, in the table of its section.
func suggestedRow(e endpoint) string {
	if relative, ok := strings.CutPrefix(e.path, APIBasePath+"/"); ok {
		return fmt.Sprintf("\"| # | %s | `/%s` | public or token | served | what it does |\" to its section", e.method, relative)
	}
	return fmt.Sprintf("\"| %s | `%s` | served | what it does |\" to \"Outside the Open API\"", e.method, e.path)
}
