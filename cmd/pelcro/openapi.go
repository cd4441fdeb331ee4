package main

import (
	"github.com/spf13/cobra"

	"github.com/pelcro-oss/pelcro-api/transport"
)

// newOpenAPICommand prints the OpenAPI document the server serves at /api/v1/sdk/openapi.json, assembled
// from transport/openapi, without a database: client generators and the OpenAPI lint of `make test` read it.
func newOpenAPICommand() *cobra.Command {
	return &cobra.Command{
		Use:   "openapi",
		Short: "Print the OpenAPI 3 document of the API (JSON), as GET /api/v1/sdk/openapi.json serves it",
		Args:  cobra.NoArgs,
		// The document needs no configuration: a malformed environment must not stop it.
		PersistentPreRunE: func(*cobra.Command, []string) error { return nil },
		RunE: func(cmd *cobra.Command, _ []string) error {
			document, err := transport.OpenAPIDocument()
			if err != nil {
				return err
			}
			_, err = cmd.OutOrStdout().Write(append(document, '\n'))
			return err
		},
	}
}
