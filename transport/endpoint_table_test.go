package transport

import (
	"net/http"
	"os"
	"strings"
	"testing"
)

// specEndpoints is how many numbered endpoints (#1–#54) the Open API has; docs/api.md lists each.
const specEndpoints = 54

// TestEndpointTableMatchesRoutes keeps docs/api.md true: every route the router serves is a row marked
// served, every row marked served is routed, and every numbered endpoint of the Open API has a row.
func TestEndpointTableMatchesRoutes(t *testing.T) {
	t.Parallel()
	// Given the page and the route table the binary serves (profile photos mounted, as cmd/pelcro does)
	page, err := os.ReadFile("../" + endpointTablePath)
	if err != nil {
		t.Fatal(err)
	}
	rows, problems := parseEndpointTables(string(page))
	router := routeTable(Dependencies{Media: http.NotFoundHandler()}.withDefaults())

	// When the routes are compared with the rows
	routed, err := routedEndpoints(router)
	if err != nil {
		t.Fatal(err)
	}
	problems = append(problems, endpointTableProblems(rows, routed, specEndpoints)...)

	// Then they agree
	if len(problems) > 0 {
		t.Errorf("docs/api.md and the route table (transport/routes.go) disagree:\n%s", strings.Join(problems, "\n"))
	}
	if len(routed) < 30 {
		t.Errorf("walked only %d routes: the walk misses most of the router", len(routed))
	}
}

// TestEndpointTableProblems shows what the check reports for each way the page and the routes can disagree.
func TestEndpointTableProblems(t *testing.T) {
	t.Parallel()
	const header = "| # | method | path under /api/v1/sdk | access | status | what it does |\n|---|---|---|---|---|---|\n"
	const outside = "\n| method | path | status | what it does |\n|---|---|---|---|\n| GET | `/healthz` | served | up |\n"
	routes := []endpoint{{"GET", "/healthz"}, {"POST", "/api/v1/sdk/auth/register"}, {"GET", "/api/v1/sdk/plan/{plan_id}"}}
	cases := []struct {
		name string
		page string
		want []string // substrings, one problem each; none means the page agrees
	}{
		{
			name: "every route listed as served, every number present",
			page: header + "| 1 | POST | `/auth/register` | public | served | r |\n| 2 | GET | `/plan/{plan_id}` | public | served | p |\n| 3 | POST | `/order` | token | not yet | o |\n" + outside,
		},
		{
			name: "a served route without a row",
			page: header + "| 1 | POST | `/auth/register` | public | served | r |\n| 2 | POST | `/order` | token | not yet | o |\n| 3 | GET | `/x` | public | not yet | x |\n" + outside,
			want: []string{"serves GET /api/v1/sdk/plan/{plan_id} but no row lists it: add a row \"| # | GET | `/plan/{plan_id}`"},
		},
		{
			name: "a served route marked not yet",
			page: header + "| 1 | POST | `/auth/register` | public | not yet | r |\n| 2 | GET | `/plan/{plan_id}` | public | served | p |\n| 3 | POST | `/order` | token | not yet | o |\n" + outside,
			want: []string{":3: the router serves POST /api/v1/sdk/auth/register: mark the row \"served\""},
		},
		{
			name: "a row marked served without a route, a missing number, a route outside the API without a row",
			page: header + "| 1 | POST | `/auth/register` | public | served | r |\n| 2 | GET | `/plan/{plan_id}` | public | served | p |\n| 4 | POST | `/order` | token | served | o |\n",
			want: []string{"no row numbered #3", "serves GET /healthz but no row lists it: add a row \"| GET | `/healthz` | served", ":5: POST /api/v1/sdk/order is marked \"served\" but the router has no such route"},
		},
		{
			name: "a row listed twice, a status misspelt, a row with a cell missing",
			page: header + "| 1 | POST | `/auth/register` | public | served | r |\n| 1 | POST | `/auth/register` | public | served | r |\n| 2 | GET | `/plan/{plan_id}` | public | served | p |\n| 3 | POST | `/order` | token | not yet | o |\n| 3 | GET | `/y` | public | soon | y |\n| 3 | GET | `/x` | public | served |\n" + outside,
			want: []string{":7: status \"soon\"", ":8: 5 cells, the table has 6 columns", ":4: POST /api/v1/sdk/auth/register is listed again (first on line 3)"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// Given a page, when it is checked against the routes
			rows, problems := parseEndpointTables(tc.page)
			problems = append(problems, endpointTableProblems(rows, routes, 3)...)

			// Then each expected problem is reported, and nothing else
			if len(problems) != len(tc.want) {
				t.Fatalf("problems:\n%s\nwant %d: %q", strings.Join(problems, "\n"), len(tc.want), tc.want)
			}
			for i, want := range tc.want {
				if !strings.Contains(problems[i], want) {
					t.Errorf("problem %d = %q, want it to contain %q", i, problems[i], want)
				}
			}
		})
	}
}

// TestRoutedEndpointsNamesVariablesAsThePageDoes: a variable's pattern is left out of the template.
func TestRoutedEndpointsNamesVariablesAsThePageDoes(t *testing.T) {
	t.Parallel()
	for template, want := range map[string]string{
		"/address/{address_id:[0-9]+}": "/address/{address_id}",
		"/a/{x}/b/{y:[a-z]{2}}":        "/a/{x}/b/{y:[a-z]{2}}", // nested braces are beyond the rewrite; the row must spell it
		"/site":                        "/site",
	} {
		if got := withoutVariablePatterns(template); got != want {
			t.Errorf("withoutVariablePatterns(%q) = %q, want %q", template, got, want)
		}
	}
}
