-- +goose Up
-- The sandbox's payment intents that set a saved card up for later charges (a charge asked with
-- SetUpCard, Stripe's setup_future_usage): once one of them succeeded, the card is chargeable without
-- 3-D Secure even though its own setup intent still waits.
CREATE TABLE payments_sandbox_card_setups (
    card   text NOT NULL REFERENCES payments_sandbox_cards (id),
    intent text NOT NULL REFERENCES payments_sandbox_intents (id),
    PRIMARY KEY (card, intent)
);

-- +goose Down
DROP TABLE payments_sandbox_card_setups;
