package mail

import (
	"context"
	"errors"
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/pelcro-oss/pelcro-api/projections/projectiontest"
)

func TestParseSMTPURL(t *testing.T) {
	t.Parallel()
	cases := []struct {
		raw     string
		want    SMTPConfig
		wantErr string
	}{
		{raw: "smtp://mailer:p%40ss@mail.example.com?from=noreply@example.com",
			want: SMTPConfig{Host: "mail.example.com", Port: 587, Username: "mailer", Password: "p@ss",
				From: "noreply@example.com", STARTTLS: "required"}},
		{raw: "smtps://mail.example.com:2465?from=noreply@example.com",
			want: SMTPConfig{Host: "mail.example.com", Port: 2465, From: "noreply@example.com", ImplicitTLS: true, STARTTLS: "required"}},
		{raw: "smtp://127.0.0.1:1025?from=dev@example.com&starttls=none",
			want: SMTPConfig{Host: "127.0.0.1", Port: 1025, From: "dev@example.com", STARTTLS: "none"}},
		{raw: "http://mail.example.com?from=a@example.com", wantErr: "scheme"},
		{raw: "smtp://?from=a@example.com", wantErr: "no host"},
		{raw: "smtp://mail.example.com:99999?from=a@example.com", wantErr: "port"},
		{raw: "smtp://mail.example.com", wantErr: "from"},
		{raw: "smtp://mail.example.com?from=a@example.com&starttls=maybe", wantErr: "starttls"},
		{raw: "smtps://mail.example.com?from=a@example.com&starttls=none", wantErr: "starttls"},
	}
	for _, tc := range cases {
		t.Run(tc.raw, func(t *testing.T) {
			t.Parallel()
			got, err := ParseSMTPURL(tc.raw)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want one about %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("ParseSMTPURL = %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}

// received is one message an in-test SMTP server accepted.
type received struct {
	from, to, data string
}

// smtpServer is an in-test SMTP server on the loopback: it requires AUTH PLAIN as mailer/secret and refuses
// every recipient with a 451 while refuse is set.
type smtpServer struct {
	mu     sync.Mutex
	got    []received
	refuse bool
	addr   string
}

func startSMTPServer(t *testing.T) *smtpServer {
	t.Helper()
	s := &smtpServer{}
	server := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &smtpSession{server: s}, nil }))
	server.Domain = "localhost"
	server.AllowInsecureAuth = true
	server.ReadTimeout, server.WriteTimeout = 10*time.Second, 10*time.Second
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	s.addr = listener.Addr().String()
	go func() { _ = server.Serve(listener) }()
	t.Cleanup(func() { _ = server.Close() })
	return s
}

func (s *smtpServer) messages() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.got...)
}

type smtpSession struct {
	server   *smtpServer
	authed   bool
	from, to string
}

func (s *smtpSession) AuthMechanisms() []string { return []string{sasl.Plain} }
func (s *smtpSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, username, password string) error {
		if username != "mailer" || password != "s3cret/+" {
			return errors.New("invalid credentials")
		}
		s.authed = true
		return nil
	}), nil
}
func (s *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	if !s.authed {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}
func (s *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.server.mu.Lock()
	defer s.server.mu.Unlock()
	if s.server.refuse {
		return &smtp.SMTPError{Code: 451, Message: "mailbox busy, try later"}
	}
	s.to = to
	return nil
}
func (s *smtpSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.server.mu.Lock()
	defer s.server.mu.Unlock()
	s.server.got = append(s.server.got, received{from: s.from, to: s.to, data: string(data)})
	return nil
}
func (s *smtpSession) Reset()        { s.from, s.to = "", "" }
func (s *smtpSession) Logout() error { return nil }

func senderFor(t *testing.T, server *smtpServer) *SMTPSender {
	t.Helper()
	sender, err := NewSMTPSender("smtp://mailer:" + url.QueryEscape("s3cret/+") + "@" + server.addr +
		"?from=noreply@daily.example.com&starttls=none")
	if err != nil {
		t.Fatalf("NewSMTPSender: %v", err)
	}
	return sender
}

func TestSMTPSenderDeliversToAServer(t *testing.T) {
	t.Parallel()
	server := startSMTPServer(t)
	sender := senderFor(t, server)
	m := messageTo("ann@example.com", issuedAt)
	m.Subject = "Réinitialisez votre mot de passe"

	// when a message is sent
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if err := sender.Send(ctx, m); err != nil {
		t.Fatalf("Send: %v", err)
	}

	// then the server got it from the configured address, to the recipient, with its headers and body
	got := server.messages()
	if len(got) != 1 || got[0].from != "noreply@daily.example.com" || got[0].to != "ann@example.com" {
		t.Fatalf("server received %+v", got)
	}
	data := got[0].data
	for _, want := range []string{
		"Message-ID: <" + m.ID.String() + "@daily.example.com>",
		"Subject: =?UTF-8?q?R=C3=A9initialisez_votre_mot_de_passe?=",
		"Date: Sun, 01 Mar 2026 09:00:00 +0000",
		"Content-Type: text/plain; charset=UTF-8",
		"view=3Dpasswordless-login&token=3D42.x", // quoted-printable
	} {
		if !strings.Contains(data, want) {
			t.Errorf("message lacks %q:\n%s", want, data)
		}
	}
}

func TestSMTPDeliveryRetriesWhileTheServerRefuses(t *testing.T) {
	t.Parallel()
	db := projectiontest.ReadModels(t)
	server := startSMTPServer(t)
	server.refuse = true
	c := newClock(issuedAt)
	d := &Deliverer{DB: db, Sender: senderFor(t, server), Now: c.Now, SendTimeout: 10 * time.Second}
	m := messageTo("ann@example.com", issuedAt)
	queue(t, db, m)

	// given a server that answers 451 to the recipient
	if _, err := d.DeliverDue(t.Context()); err == nil {
		t.Fatal("a refused recipient was reported delivered")
	}
	if s := stored(t, db, m.ID); s.Status != StatusPending || !strings.Contains(s.LastError, "451") {
		t.Fatalf("after the refusal: %+v, want pending with the server's answer", s)
	}

	// when the server accepts again and the retry is due
	server.mu.Lock()
	server.refuse = false
	server.mu.Unlock()
	c.advance(time.Hour)
	if _, err := d.DeliverDue(t.Context()); err != nil {
		t.Fatalf("DeliverDue: %v", err)
	}

	// then the message arrived once and is marked sent
	if got := server.messages(); len(got) != 1 {
		t.Fatalf("server received %d messages, want 1", len(got))
	}
	if s := stored(t, db, m.ID); s.Status != StatusSent || s.Attempts != 2 {
		t.Fatalf("after the retry: %+v, want sent after 2 attempts", s)
	}
}
