package postgres

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestBinaryConnectionsConnectAsTheirPoolDoes: where a URL leaves TLS unsaid, lib/pq requires it and never
// falls back to plaintext; the binary connections must not either. Keys only lib/pq reads must not reach the
// server as settings. (No t.Parallel: the cases set the environment.)
func TestBinaryConnectionsConnectAsTheirPoolDoes(t *testing.T) {
	cases := []struct {
		name, url       string
		wantTLS         bool
		wantPlainBackup bool
	}{
		{"URL without sslmode", "postgres://u@db.example/pelcro", true, false},
		{"key=value without sslmode", "host=db.example user=u dbname=pelcro", true, false},
		{"URL with sslmode=disable", "postgres://u@db.example/pelcro?sslmode=disable", false, false},
		{"URL with sslmode=prefer", "postgres://u@db.example/pelcro?sslmode=prefer", true, true},
		{"lib/pq-only keys", "postgres://u@db.example/pelcro?sslmode=disable&binary_parameters=yes&fallback_application_name=x&disable_prepared_binary_result=yes", false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// given no TLS settings in the environment
			t.Setenv("PGSSLMODE", "")
			t.Setenv("PGSSLROOTCERT", "")
			t.Setenv("HOME", t.TempDir())
			// when the URL is read for the binary connections
			config, err := binaryConnConfig(c.url)
			if err != nil {
				t.Fatal(err)
			}
			// then TLS is asked for exactly where the pool asks for it, with a plaintext retry only where the URL allows one
			if got := config.TLSConfig != nil; got != c.wantTLS {
				t.Errorf("TLS %v, want %v", got, c.wantTLS)
			}
			plainBackup := false
			for _, f := range config.Fallbacks {
				plainBackup = plainBackup || f.TLSConfig == nil
			}
			if plainBackup != c.wantPlainBackup {
				t.Errorf("plaintext fallback %v, want %v", plainBackup, c.wantPlainBackup)
			}
			for _, key := range libpqOnlyKeys {
				if _, sent := config.RuntimeParams[key]; sent {
					t.Errorf("%s would be sent to the server as a setting", key)
				}
			}
		})
	}
}

// TestBinaryConnectionsCheckTheServerAgainstTheDefaultRootCertificate: lib/pq verifies the server's
// certificate against ~/.postgresql/root.crt when it exists and the URL names no root certificate.
func TestBinaryConnectionsCheckTheServerAgainstTheDefaultRootCertificate(t *testing.T) {
	// given a home with a root certificate
	home := t.TempDir()
	writeRootCertificate(t, filepath.Join(home, ".postgresql", "root.crt"))
	t.Setenv("HOME", home)
	t.Setenv("PGSSLMODE", "")
	t.Setenv("PGSSLROOTCERT", "")
	// when a URL without TLS settings is read
	config, err := binaryConnConfig("postgres://u@db.example/pelcro")
	if err != nil {
		t.Fatal(err)
	}
	// then the server's certificate is checked against it
	if config.TLSConfig == nil || config.TLSConfig.RootCAs == nil {
		t.Fatalf("TLS config %+v: want the home's root certificate as the CA", config.TLSConfig)
	}
	// and a URL that asks for no TLS neither reads it nor fails on it, as lib/pq does not
	if err := os.WriteFile(filepath.Join(home, ".postgresql", "root.crt"), []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, url := range []string{"postgres://u@db.example/pelcro?sslmode=disable", "host=db.example sslmode=disable"} {
		config, err := binaryConnConfig(url)
		if err != nil {
			t.Errorf("%s: %v; want no error", url, err)
		} else if config.TLSConfig != nil {
			t.Errorf("%s: TLS config %v; want none", url, config.TLSConfig)
		}
	}
}

func writeRootCertificate(t *testing.T, path string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	template := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"},
		NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}
