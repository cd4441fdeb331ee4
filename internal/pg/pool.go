package pg

import (
	"fmt"
	"net/url"
	"strconv"
)

// PoolSizeParam is the connection-URL parameter that sets how many connections one pool may open (the name
// pgx uses, so operators know it), e.g. postgres://host/pelcro?pool_max_conns=16. It is ours, not the
// server's: ClientURL removes it before lib/pq sees the URL.
const PoolSizeParam = "pool_max_conns"

// ClientURL splits a connection URL into what lib/pq accepts and the pool size it names (maxOpenConns when
// absent). Connection strings that are not URLs pass through unchanged.
func ClientURL(dsn string) (string, int, error) {
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme == "" {
		return dsn, maxOpenConns, nil
	}
	query := u.Query()
	raw, present := query[PoolSizeParam]
	if !present {
		return dsn, maxOpenConns, nil
	}
	size, err := strconv.Atoi(raw[len(raw)-1])
	if err != nil || size < 1 {
		return "", 0, fmt.Errorf("%s=%q in %s: want a positive number", PoolSizeParam, raw[len(raw)-1], Redact(dsn))
	}
	query.Del(PoolSizeParam)
	u.RawQuery = query.Encode()
	return u.String(), size, nil
}
