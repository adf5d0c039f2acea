package webhook

// Event types of spec section 5. Subscribing to "*" delivers all of them.
const (
	TypeAPITest                           = "api.test"
	TypeOrderCreated                      = "order.created"
	TypeOrderPreflight                    = "order.preflight"
	TypeOrderStatusChanged                = "order.status_changed"
	TypeOrderPaymentReceived              = "order.payment_received"
	TypeVerificationIdentityCreated       = "verification.identity.created"
	TypeVerificationIdentityStatusChanged = "verification.identity.status_changed"
	TypeVerificationCardCreated           = "verification.card.created"
	TypeVerificationCardStatusChanged     = "verification.card.status_changed"
	TypeFileUploaded                      = "file.uploaded"
	TypeSandboxSimulated                  = "api.sandbox.simulated"
	TypeReviewCreated                     = "review.created"
	TypePartnerPayoutPaid                 = "partner.payout.paid"
)

// KnownTypes lists the event types that Payload decodes into a typed value.
func KnownTypes() []string {
	return []string{
		TypeAPITest, TypeOrderCreated, TypeOrderPreflight, TypeOrderStatusChanged,
		TypeOrderPaymentReceived, TypeVerificationIdentityCreated,
		TypeVerificationIdentityStatusChanged, TypeVerificationCardCreated,
		TypeVerificationCardStatusChanged, TypeFileUploaded, TypeSandboxSimulated,
		TypeReviewCreated, TypePartnerPayoutPaid,
	}
}
