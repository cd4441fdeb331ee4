package i18n

// Messages of the public catalog endpoints (spec 2.3 and 2.10).
const (
	PlanIDRequired MessageID = "catalog.plan_id.required"
	PlanIDInteger  MessageID = "catalog.plan_id.integer"
	PlanNotFound   MessageID = "catalog.plan.not_found"
	EmailRequired  MessageID = "catalog.email.required"
	EmailInvalid   MessageID = "catalog.email.email"
	NoPlansFound   MessageID = "catalog.plans.not_found"
)
