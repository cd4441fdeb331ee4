package esdbtest

import (
	"context"
	"net"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/protos/gossip"
	"github.com/EventStore/EventStore-Client-Go/v4/protos/serverfeatures"
	"github.com/EventStore/EventStore-Client-Go/v4/protos/shared"
	"github.com/google/uuid"
)

// serverVersion is what ServerFeatures reports. Warning: the client parses the
// first three dot-separated parts with strconv.Atoi and fails discovery on
// anything else, so a suffix such as "-rc1" would break every client.
const serverVersion = "24.10.0"

// streamsServiceName is the gRPC service name the client looks up in the
// supported-methods list.
const streamsServiceName = "event_store.client.streams.streams"

// featuresService answers the call the client makes right after connecting.
type featuresService struct {
	serverfeatures.UnimplementedServerFeaturesServer
}

// GetSupportedMethods lists the Streams methods this server implements.
// Persistent subscriptions are not listed: they are not served here.
func (featuresService) GetSupportedMethods(context.Context, *shared.Empty) (*serverfeatures.SupportedMethods, error) {
	methods := make([]*serverfeatures.SupportedMethod, 0, 4)
	for _, name := range []string{"read", "append", "delete", "tombstone"} {
		methods = append(methods, &serverfeatures.SupportedMethod{ServiceName: streamsServiceName, MethodName: name})
	}
	return &serverfeatures.SupportedMethods{Methods: methods, EventStoreServerVersion: serverVersion}, nil
}

// gossipService presents the server as a one-node cluster whose leader is
// itself, so that esdb+discover:// connection strings work.
type gossipService struct {
	gossip.UnimplementedGossipServer
	instanceID uuid.UUID
	address    *net.TCPAddr
}

func newGossipService(address *net.TCPAddr) *gossipService {
	return &gossipService{instanceID: uuid.New(), address: address}
}

// Read returns the single alive leader member.
func (g *gossipService) Read(context.Context, *shared.Empty) (*gossip.ClusterInfo, error) {
	return &gossip.ClusterInfo{Members: []*gossip.MemberInfo{{
		InstanceId:   uuidToProto(g.instanceID, false),
		TimeStamp:    time.Now().UnixNano() / 100,
		State:        gossip.MemberInfo_Leader,
		IsAlive:      true,
		HttpEndPoint: &gossip.EndPoint{Address: g.address.IP.String(), Port: uint32(g.address.Port)},
	}}}, nil
}
