/// Every way the HTTP layer refuses a request before (or instead of) the core and the store;
/// each becomes an `application/problem+json` answer (``APIReply/problem(_:)``).
enum ServerError: Error, Sendable {
    /// No `Authorization: Bearer` header, or a token that is unknown or revoked.
    case unauthenticated(String)
    /// The body is not JSON, or not the object the endpoint takes.
    case malformedJSON(String)
    /// A member, header or query parameter has the wrong form; `field` names it.
    case invalidField(field: String, message: String)
    /// `If-Match` is required for this change and was not sent.
    case preconditionRequired
    /// The body is longer than the server accepts.
    case payloadTooLarge(limit: Int)
    /// The body is not `application/json`.
    case unsupportedMediaType(String)
    /// The token sent more requests than its rate allows; retry after `retryAfter` seconds.
    case rateLimited(retryAfter: Int)
    /// A request with the same idempotency key is still being processed.
    case keyInFlight(String)
    /// No endpoint at this path.
    case noRoute(String)
    /// The endpoint exists but not with this method; `allowed` lists the ones it takes.
    case methodNotAllowed(allowed: [String])
}
