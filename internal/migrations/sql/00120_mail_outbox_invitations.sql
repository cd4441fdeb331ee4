-- +goose Up
-- The invitation mail limit (mail.InvitationMailAllowed): the mail_outbox.v1 projection counts, for each
-- invitation, the invitation mails of its site to its address within the hour before it.
CREATE INDEX mail_outbox_invitations ON mail_outbox (site_id, recipient, created_at)
    WHERE kind = 'membership_invitation';

-- +goose Down
DROP INDEX mail_outbox_invitations;
