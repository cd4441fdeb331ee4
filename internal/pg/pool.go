package pg

import (
	"fmt"
	"net/url"
	"strconv"
	"time"
)

// Connection-URL parameters for our pools, with the names pgx gives them so operators know them (e.g.
// postgres://host/pelcro?pool_max_conns=16). They are ours, not the server's: ClientURL removes them before
// lib/pq sees the URL.
const (
	// PoolSizeParam sets how many connections one pool may open at once.
	PoolSizeParam = "pool_max_conns"
	// PoolIdleTimeParam sets how long (a Go duration, e.g. 2s) a connection may stay idle before the pool
	// closes it. Tests set it short: a test waiting for its parallel subtests keeps its pools open, and
	// dozens of such pools full of idle connections once exhausted the server's max_connections.
	PoolIdleTimeParam = "pool_max_conn_idle_time"
)

// Pool is what a connection URL says of the pool that serves it.
type Pool struct {
	MaxConns    int
	MaxIdleTime time.Duration
}

// ClientURL splits a connection URL into what lib/pq accepts and the pool it names (maxOpenConns
// connections closed after connMaxIdleTime idle, where absent). Connection strings that are not URLs pass
// through unchanged.
func ClientURL(dsn string) (string, Pool, error) {
	pool := Pool{MaxConns: maxOpenConns, MaxIdleTime: connMaxIdleTime}
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme == "" {
		return dsn, pool, nil
	}
	query := u.Query()
	if raw, present := query[PoolSizeParam]; present {
		size, err := strconv.Atoi(raw[len(raw)-1])
		if err != nil || size < 1 {
			return "", Pool{}, fmt.Errorf("%s=%q in %s: want a positive number", PoolSizeParam, raw[len(raw)-1], Redact(dsn))
		}
		pool.MaxConns = size
	}
	if raw, present := query[PoolIdleTimeParam]; present {
		idle, err := time.ParseDuration(raw[len(raw)-1])
		if err != nil || idle <= 0 {
			return "", Pool{}, fmt.Errorf("%s=%q in %s: want a positive duration such as 30s", PoolIdleTimeParam, raw[len(raw)-1], Redact(dsn))
		}
		pool.MaxIdleTime = idle
	}
	if !query.Has(PoolSizeParam) && !query.Has(PoolIdleTimeParam) {
		return dsn, pool, nil // as given, parameters in their order
	}
	query.Del(PoolSizeParam)
	query.Del(PoolIdleTimeParam)
	u.RawQuery = query.Encode()
	return u.String(), pool, nil
}
