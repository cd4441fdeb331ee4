package pg

import (
	"testing"
	"time"
)

func TestClientURLTakesThePoolSettingsOut(t *testing.T) {
	t.Parallel()
	defaults := Pool{MaxConns: maxOpenConns, MaxIdleTime: connMaxIdleTime}
	cases := []struct {
		name, dsn, want string
		pool            Pool
		wantErr         bool
	}{
		{name: "absent", dsn: "postgres://u@h/db?sslmode=disable", want: "postgres://u@h/db?sslmode=disable", pool: defaults},
		{name: "size given", dsn: "postgres://u@h/db?pool_max_conns=4&sslmode=disable", want: "postgres://u@h/db?sslmode=disable",
			pool: Pool{MaxConns: 4, MaxIdleTime: connMaxIdleTime}},
		{name: "idle time given", dsn: "postgres://u@h/db?pool_max_conn_idle_time=1500ms&sslmode=disable", want: "postgres://u@h/db?sslmode=disable",
			pool: Pool{MaxConns: maxOpenConns, MaxIdleTime: 1500 * time.Millisecond}},
		{name: "both given", dsn: "postgres://u@h/db?pool_max_conn_idle_time=2s&pool_max_conns=3", want: "postgres://u@h/db",
			pool: Pool{MaxConns: 3, MaxIdleTime: 2 * time.Second}},
		{name: "key/value string", dsn: "host=h dbname=db", want: "host=h dbname=db", pool: defaults},
		{name: "zero size", dsn: "postgres://u@h/db?pool_max_conns=0", wantErr: true},
		{name: "size not a number", dsn: "postgres://u@h/db?pool_max_conns=many", wantErr: true},
		{name: "idle time without a unit", dsn: "postgres://u@h/db?pool_max_conn_idle_time=30", wantErr: true},
		{name: "negative idle time", dsn: "postgres://u@h/db?pool_max_conn_idle_time=-1s", wantErr: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// when the URL is split, then lib/pq gets it without our parameters, and the pool its settings
			got, pool, err := ClientURL(tc.dsn)
			if tc.wantErr != (err != nil) || (err == nil && (got != tc.want || pool != tc.pool)) {
				t.Fatalf("ClientURL(%q) = %q, %+v, %v; want %q, %+v", tc.dsn, got, pool, err, tc.want, tc.pool)
			}
		})
	}
}
