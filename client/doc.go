// Package client is a typed client for the iEXExchanger API v3.
//
// # Method names
//
// Every operation of openapi.yaml has one method, named by one pattern:
//
//   - Resource reads one thing: Order, Route, WebhookEndpoint, UploadIntent.
//   - Resources (the plural) lists: Orders, Routes, Reviews, WebhookEvents.
//     Paginated lists return iter.Seq2[T, error], which walks every page (in
//     page mode, or cursor mode with PageOptions.Cursor) and stops on the
//     first error, when the context is done, or when the loop breaks;
//     dictionaries return a slice (Scopes, OrderStatuses).
//   - CreateResource, UpdateResource and DeleteResource write: CreateOrder,
//     UpdateWebhookEndpoint, DeleteOrder.
//   - VerbResource is any other action: ConfirmOrder, CancelOrder,
//     PreflightOrder, RotateWebhookSecret, RetryWebhookDelivery, TestWebhook,
//     SubmitOrderVerification, SimulateOrder, UploadFile.
//   - A ResourceQualifier suffix names a second way to reach the same thing:
//     RouteDetailsByPair, RouteCapabilitiesByPair, OrderActions,
//     IdentityVerificationActions.
//   - The token-less twin of a private read starts with Public:
//     PublicContracts, PublicSchema, PublicOrderStatuses.
//
// Parameters are typed structs named after the method (CreateOrderParams,
// QuoteParams, OrderListOptions); zero fields are not sent, and the SDK
// sends the field names of openapi.yaml, not their documented aliases.
// Amounts are decimal strings on the way out and Decimal on the way back,
// never floats. Fields that openapi.yaml leaves free-form are map[string]any
// or json.RawMessage. Each method's documentation names its HTTP operation
// and the scope it needs ("Scope: public-api:orders:read."); a scope_denied
// error names it too.
package client
