package mail

import (
	"context"
	"fmt"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// SMTPSender sends messages to the SMTP server PELCRO_SMTP_URL names, one connection per message.
type SMTPSender struct {
	cfg SMTPConfig
}

// SMTPConfig is what an SMTP URL says; see ParseSMTPURL.
type SMTPConfig struct {
	Host     string
	Port     int
	Username string // empty: no authentication
	Password string
	From     string // the sender address of every message
	// ImplicitTLS is set by smtps://: TLS from the first byte.
	ImplicitTLS bool
	// STARTTLS is the policy of smtp:// for upgrading the connection: "required" (the default: refuse to
	// send in clear), "opportunistic" (upgrade when the server offers it) or "none" (never; for a local test
	// server only).
	STARTTLS string
}

// The STARTTLS policies of an smtp:// URL.
var startTLSPolicies = map[string]gomail.TLSPolicy{
	"required":      gomail.TLSMandatory,
	"opportunistic": gomail.TLSOpportunistic,
	"none":          gomail.NoTLS,
}

// ParseSMTPURL reads an SMTP server URL of the form
//
//	smtp://[user[:password]@]host[:port]?from=ADDRESS[&starttls=required|opportunistic|none]
//	smtps://[user[:password]@]host[:port]?from=ADDRESS
//
// smtp:// connects in clear and upgrades with STARTTLS (required unless starttls says otherwise), port 587
// by default; smtps:// speaks TLS from the start, port 465 by default. The user and password, when given,
// authenticate with the best mechanism the server offers over TLS (with starttls=none: PLAIN, towards
// localhost only). Percent-encode reserved characters in them, and "+" in from as %2B.
// from, required, is the sender address.
func ParseSMTPURL(raw string) (SMTPConfig, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return SMTPConfig{}, fmt.Errorf("mail: SMTP URL: %w", err)
	}
	cfg := SMTPConfig{Host: u.Hostname(), STARTTLS: "required"}
	switch strings.ToLower(u.Scheme) {
	case "smtp":
		cfg.Port = 587
	case "smtps":
		cfg.Port, cfg.ImplicitTLS = 465, true
	default:
		return SMTPConfig{}, fmt.Errorf("mail: SMTP URL: scheme %q is neither smtp nor smtps", u.Scheme)
	}
	if cfg.Host == "" {
		return SMTPConfig{}, fmt.Errorf("mail: SMTP URL: no host")
	}
	if p := u.Port(); p != "" {
		if cfg.Port, err = strconv.Atoi(p); err != nil || cfg.Port < 1 || cfg.Port > 65535 {
			return SMTPConfig{}, fmt.Errorf("mail: SMTP URL: port %q", p)
		}
	}
	if u.User != nil {
		cfg.Username = u.User.Username()
		cfg.Password, _ = u.User.Password()
	}
	query := u.Query()
	from, err := mail.ParseAddress(query.Get("from"))
	if err != nil {
		return SMTPConfig{}, fmt.Errorf("mail: SMTP URL: from=%q is not an email address", query.Get("from"))
	}
	cfg.From = from.Address
	if policy := query.Get("starttls"); policy != "" {
		if _, ok := startTLSPolicies[policy]; !ok || cfg.ImplicitTLS {
			return SMTPConfig{}, fmt.Errorf("mail: SMTP URL: starttls=%q (smtp:// only: required, opportunistic or none)", policy)
		}
		cfg.STARTTLS = policy
	}
	return cfg, nil
}

// NewSMTPSender checks the SMTP URL (see ParseSMTPURL) and returns a sender for it. It does not connect.
func NewSMTPSender(rawURL string) (*SMTPSender, error) {
	cfg, err := ParseSMTPURL(rawURL)
	if err != nil {
		return nil, err
	}
	return &SMTPSender{cfg: cfg}, nil
}

// Send delivers m in one SMTP session; ctx's deadline bounds it.
func (s *SMTPSender) Send(ctx context.Context, m Message) error {
	msg, err := s.build(m)
	if err != nil {
		return err
	}
	options := []gomail.Option{gomail.WithPort(s.cfg.Port)}
	if s.cfg.ImplicitTLS {
		options = append(options, gomail.WithSSL())
	} else {
		options = append(options, gomail.WithTLSPolicy(startTLSPolicies[s.cfg.STARTTLS]))
	}
	if s.cfg.Username != "" {
		// Auto-discovery offers credentials in clear to no one; a server reached without TLS (starttls=none)
		// gets PLAIN, which go-mail allows only towards localhost.
		auth := gomail.SMTPAuthAutoDiscover
		if s.cfg.STARTTLS == "none" && !s.cfg.ImplicitTLS {
			auth = gomail.SMTPAuthPlain
		}
		options = append(options, gomail.WithSMTPAuth(auth),
			gomail.WithUsername(s.cfg.Username), gomail.WithPassword(s.cfg.Password))
	}
	if deadline, ok := ctx.Deadline(); ok {
		options = append(options, gomail.WithTimeout(max(time.Until(deadline), time.Millisecond)))
	}
	client, err := gomail.NewClient(s.cfg.Host, options...)
	if err != nil {
		return fmt.Errorf("mail: SMTP client: %w", err)
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("mail: SMTP %s: %w", client.ServerAddr(), err)
	}
	return nil
}

// build makes the MIME message: plain-text UTF-8 body, and a Message-ID made of the outbox id, so every
// attempt at one message carries the same id.
func (s *SMTPSender) build(m Message) (*gomail.Msg, error) {
	msg := gomail.NewMsg()
	if err := msg.From(s.cfg.From); err != nil {
		return nil, fmt.Errorf("mail: from %q: %w", s.cfg.From, err)
	}
	if err := msg.To(m.Recipient); err != nil {
		return nil, fmt.Errorf("mail: recipient %q: %w", m.Recipient, err)
	}
	msg.Subject(m.Subject)
	msg.SetDateWithValue(m.CreatedAt)
	msg.SetMessageIDWithValue(m.ID.String() + "@" + domainOf(s.cfg.From))
	msg.SetBodyString(gomail.TypeTextPlain, m.Body)
	return msg, nil
}

// domainOf is the part of an address after its last "@".
func domainOf(address string) string {
	return address[strings.LastIndex(address, "@")+1:]
}
