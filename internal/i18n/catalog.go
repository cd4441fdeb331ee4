package i18n

// Messages of the public catalog endpoints (spec 2.3 and 2.10).
const (
	PlanIDInteger MessageID = "catalog.plan_id.integer"
	PlanNotFound  MessageID = "catalog.plan.not_found"
	EmailInvalid  MessageID = "catalog.email.email"
	NoPlansFound  MessageID = "catalog.plans.not_found"
)
