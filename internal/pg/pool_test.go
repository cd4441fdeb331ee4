package pg

import "testing"

func TestClientURLTakesThePoolSizeOut(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, dsn, want string
		size            int
		wantErr         bool
	}{
		{name: "absent", dsn: "postgres://u@h/db?sslmode=disable", want: "postgres://u@h/db?sslmode=disable", size: maxOpenConns},
		{name: "given", dsn: "postgres://u@h/db?pool_max_conns=4&sslmode=disable", want: "postgres://u@h/db?sslmode=disable", size: 4},
		{name: "key/value string", dsn: "host=h dbname=db", want: "host=h dbname=db", size: maxOpenConns},
		{name: "zero", dsn: "postgres://u@h/db?pool_max_conns=0", wantErr: true},
		{name: "not a number", dsn: "postgres://u@h/db?pool_max_conns=many", wantErr: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// when the URL is split, then lib/pq gets it without our parameter, and the pool its size
			got, size, err := ClientURL(tc.dsn)
			if tc.wantErr != (err != nil) || (err == nil && (got != tc.want || size != tc.size)) {
				t.Fatalf("ClientURL(%q) = %q, %d, %v", tc.dsn, got, size, err)
			}
		})
	}
}
