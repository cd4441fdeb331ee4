package queries

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"
)

// Newsletter is the Newsletter resource (spec 3.11), read from the newsletters table of
// projections/newsletter. Times are Unix seconds, as the spec gives them.
type Newsletter struct {
	ID          int64  `db:"id" json:"id"`
	Email       string `db:"email" json:"email"`
	FirstName   string `db:"first_name" json:"first_name"`
	LastName    string `db:"last_name" json:"last_name"`
	Source      string `db:"source" json:"source"`
	Lists       string `db:"lists" json:"lists"`
	PostalCode  string `db:"postal_code" json:"postal_code"`
	ConsentURL  string `db:"consent_url" json:"consent_url"`
	ConsentIP   string `db:"consent_ip" json:"consent_ip"`
	ConsentText string `db:"consent_text" json:"consent_text"`
	ConsentType string `db:"consent_type" json:"consent_type"`
	CreatedAt   int64  `db:"created_at" json:"created_at"`
	UpdatedAt   int64  `db:"updated_at" json:"updated_at"`
}

// Newsletters answers the newsletter queries. Its methods may be called concurrently.
type Newsletters struct {
	db *sqlx.DB
}

// NewNewsletters returns the newsletter queries over the read-model database db.
func NewNewsletters(db *sqlx.DB) *Newsletters { return &Newsletters{db: db} }

var selectNewsletter = `SELECT id, email, first_name, last_name, source, lists, postal_code, consent_url,
	consent_ip, consent_text, consent_type,
	` + unixSeconds("created_at") + ` AS created_at, ` + unixSeconds("updated_at") + ` AS updated_at
	FROM newsletters WHERE site_id = $1 AND email = $2`

// Newsletter returns the site's entry for the email, false when there is none. The email must be normalised
// (newsletter.NormaliseEmail) as the read model stores it.
func (n *Newsletters) Newsletter(ctx context.Context, siteID int64, email string) (Newsletter, bool, error) {
	if !Storable(email) {
		return Newsletter{}, false, nil
	}
	var entry Newsletter
	err := n.db.GetContext(ctx, &entry, selectNewsletter, siteID, email)
	if errors.Is(err, sql.ErrNoRows) {
		return Newsletter{}, false, nil
	}
	if err != nil {
		return Newsletter{}, false, fmt.Errorf("queries: newsletter of site %d: %w", siteID, err)
	}
	return entry, true, nil
}
