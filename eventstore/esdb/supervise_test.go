package esdb

import (
	"slices"
	"testing"

	esdbclient "github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"google.golang.org/grpc/codes"

	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/eventstore/esdbtest"
	"github.com/pelcro-oss/pelcro-api/eventstore/storetest"
)

// The test server alone can refuse resubscriptions, so these cases do not run against a real node.
func TestSupervisorRetriesUnavailableAndStopsOnRefusal(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		// refusals are the failures of the resubscription attempts after the drop.
		refusals []codes.Code
		// wantEnd is the client error code ending the subscription; zero means it must recover.
		wantEnd esdbclient.ErrorCode
	}{
		{name: "node unavailable twice", refusals: []codes.Code{codes.Unavailable, codes.Unavailable}},
		{name: "access denied", refusals: []codes.Code{codes.PermissionDenied}, wantEnd: esdbclient.ErrorCodeAccessDenied},
		{name: "unauthenticated", refusals: []codes.Code{codes.Unauthenticated}, wantEnd: esdbclient.ErrorCodeUnauthenticated},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			server := esdbtest.Start(t)
			e := newEnv(t, server.URL(), server)
			// Given a subscription that delivered two of four events.
			written := newEvents(4)
			e.append(e.stream("events"), eventstore.NoStream(), written...)
			sub := e.subscribe(eventstore.AllStart(), e.ownFilter())
			delivered := receiveEvents(t, e.ctx, sub, 2)
			// When it drops and the node refuses the next resubscriptions.
			for _, code := range tc.refusals {
				server.FailNext(code)
			}
			server.DropSubscriptions()
			// Then a passing refusal is waited out and the rest arrives once; a lasting one ends Recv.
			if tc.wantEnd == 0 {
				delivered = append(delivered, receiveEvents(t, e.ctx, sub, 2)...)
				if !slices.Equal(storetest.RecordedIDs(delivered), storetest.IDs(written)) {
					t.Fatalf("delivered %v, want %v", storetest.RecordedIDs(delivered), storetest.IDs(written))
				}
				storetest.RequireNoEventWithin(t, e.ctx, sub, quietPeriod)
				return
			}
			for {
				message, err := sub.Recv(e.ctx)
				if err != nil {
					if !hasErrorCode(err, tc.wantEnd) {
						t.Fatalf("Recv error = %v, want client code %d", err, tc.wantEnd)
					}
					return
				}
				if message.Event != nil && slices.Contains(storetest.IDs(written[:2]), message.Event.ID) {
					t.Fatalf("event %s delivered twice", message.Event.ID)
				}
			}
		})
	}
}
