package main

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// composeFile is the part of docker-compose.yml these tests read.
type composeFile struct {
	Services map[string]struct {
		Ports       []string          `yaml:"ports"`
		Environment map[string]string `yaml:"environment"`
	} `yaml:"services"`
}

// TestComposePublishesOnlyTheAPI: `docker compose up` runs the production shape without taking the host's
// PostgreSQL port (the quick start's and the tests' server) and without exposing the EventStoreDB node,
// which runs without TLS or authentication.
func TestComposePublishesOnlyTheAPI(t *testing.T) {
	t.Parallel()
	// Given the compose file of the repository
	data, err := os.ReadFile("../../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var compose composeFile
	if err := yaml.Unmarshal(data, &compose); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}

	// Then it runs the three services, the API on EventStoreDB, and only the API's port reaches the host
	for _, name := range []string{"eventstore", "postgres", "api"} {
		if _, ok := compose.Services[name]; !ok {
			t.Errorf("service %q is missing", name)
		}
	}
	if url := compose.Services["api"].Environment["PELCRO_EVENTSTORE_URL"]; !strings.HasPrefix(url, "esdb://eventstore:") {
		t.Errorf("the api's PELCRO_EVENTSTORE_URL = %q, want the eventstore service", url)
	}
	for name, service := range compose.Services {
		want := []string(nil)
		if name == "api" {
			want = []string{"8080:8080"}
		}
		if !slices.Equal(service.Ports, want) {
			t.Errorf("service %q publishes %q, want %q", name, service.Ports, want)
		}
	}
}

// TestDockerignoreKeepsHistoryAndBuildsOutOfTheImage: the build context leaves out the git history and
// what local builds and runs leave behind.
func TestDockerignoreKeepsHistoryAndBuildsOutOfTheImage(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../../.dockerignore")
	if err != nil {
		t.Fatal(err)
	}
	patterns := strings.Split(string(data), "\n")
	for _, want := range []string{".git", "bin/", "data/", "**/*.test"} {
		if !slices.Contains(patterns, want) {
			t.Errorf(".dockerignore does not leave out %q", want)
		}
	}
}
