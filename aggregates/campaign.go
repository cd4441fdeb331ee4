package aggregates

// RuleCampaignKey is broken by a campaign key that is not 3–191 characters of ASCII letters, digits, - and _
// (rule 16). Subscriptions and e-commerce orders record the key a sale came through, under one rule.
const RuleCampaignKey Rule = "campaign_key"

// Limits of a campaign key's length.
const (
	campaignKeyMin = 3
	campaignKeyMax = 191
)

// CampaignKeyProblems are the broken rules of an optional campaign key named field: none when it is empty
// (no campaign) or well formed.
func CampaignKeyProblems(field, key string) FieldProblems {
	if key == "" || isCampaignKey(key) {
		return nil
	}
	return FieldProblems{{Field: field, Rule: RuleCampaignKey}}
}

// isCampaignKey: 3–191 characters of ASCII letters, digits, - and _.
func isCampaignKey(key string) bool {
	if len(key) < campaignKeyMin || len(key) > campaignKeyMax {
		return false
	}
	for _, r := range key {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}
