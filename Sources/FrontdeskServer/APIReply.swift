import FrontdeskCLI
import FrontdeskCore
import FrontdeskJSON
import FrontdeskStore

/// One HTTP answer before it is written: status, extra headers and a JSON body. Built on the
/// store's thread and handed to the event loop, so it holds only values.
struct APIReply: Sendable {
    var status: Int
    var headers: [(String, String)] = []
    var body: JSONTree
    /// `application/json`, or `application/problem+json` for errors.
    var contentType = "application/json"
    /// The body's exact bytes when they are fixed already (a booking's 201 answer, stored with
    /// its idempotency key and replayed as it was); nil: `body` serialized.
    var raw: [UInt8]? = nil

    static func json(_ status: Int, _ body: JSONTree, headers: [(String, String)] = []) -> APIReply {
        APIReply(status: status, headers: headers, body: body)
    }

    /// An RFC 9457 problem: `type` (a URN naming `code`), `title`, `status`, `detail`, and the
    /// stable `code` the command line's `--json` errors use, plus `extra` members.
    static func problem(status: Int, code: String, title: String, detail: String, extra: [String: JSONTree] = [:],
                        headers: [(String, String)] = []) -> APIReply {
        var o = extra
        o["type"] = .string("urn:frontdesk:problem:" + code)
        o["title"] = .string(title)
        o["status"] = .integer(status)
        o["detail"] = .string(detail)
        o["code"] = .string(code)
        return APIReply(status: status, headers: headers, body: .object(o), contentType: "application/problem+json")
    }

    /// The problem for a refusal of the HTTP layer.
    static func problem(_ e: ServerError) -> APIReply {
        switch e {
        case .unauthenticated(let d):
            return problem(status: 401, code: "unauthenticated", title: "Unauthenticated", detail: d, headers: [("WWW-Authenticate", "Bearer")])
        case .malformedJSON(let d):
            return problem(status: 400, code: "invalid_input", title: "Malformed JSON", detail: d, extra: ["field": .string("body")])
        case .invalidField(let f, let m):
            return problem(status: 400, code: "invalid_input", title: "Invalid input", detail: "\(f): \(m)", extra: ["field": .string(f)])
        case .preconditionRequired:
            return problem(status: 428, code: "precondition_required", title: "Precondition required",
                           detail: "send If-Match with the booking's ETag (its version) to change it")
        case .payloadTooLarge(let limit):
            return problem(status: 413, code: "payload_too_large", title: "Payload too large", detail: "the body is longer than \(limit) bytes")
        case .unsupportedMediaType(let t):
            return problem(status: 415, code: "unsupported_media_type", title: "Unsupported media type",
                           detail: "the body must be application/json, not \(t)")
        case .rateLimited(let s):
            return problem(status: 429, code: "rate_limited", title: "Too many requests",
                           detail: "this token's request rate is exceeded; retry after \(s) s", headers: [("Retry-After", String(s))])
        case .keyInFlight(let k):
            return problem(status: 409, code: "idempotency_key_in_flight", title: "Request in flight",
                           detail: "a request with Idempotency-Key \(k) is still being processed; retry it later for its answer")
        case .noRoute(let p):
            return problem(status: 404, code: "not_found", title: "Not found", detail: "no endpoint at \(p); see /v1/openapi.json")
        case .methodNotAllowed(let allowed):
            return problem(status: 405, code: "method_not_allowed", title: "Method not allowed",
                           detail: "this endpoint takes \(allowed.joined(separator: ", "))", headers: [("Allow", allowed.joined(separator: ", "))])
        }
    }

    /// The problem for an error of the core, the store or the command line's input parsing,
    /// with the command line's error code (``APIBridge/describe(_:state:)``).
    static func problem(for error: Error, state: BookingState?) -> APIReply {
        if let e = error as? ServerError { return problem(e) }
        let (_, code, message, extra) = APIBridge.describe(error, state: state)
        var more = extra
        switch code {
        case "invalid_input": return problem(status: 400, code: code, title: "Invalid input", detail: message, extra: more)
        case "not_found": return problem(status: 404, code: code, title: "Not found", detail: message, extra: more)
        case "conflict": return problem(status: 409, code: code, title: "Conflict", detail: message, extra: more)
        case "stale_version": return problem(status: 412, code: code, title: "Stale version", detail: message, extra: more)
        case "policy":
            more["rule"] = .string(policyRule(error))
            return problem(status: 422, code: code, title: "Refused by a policy", detail: message, extra: more)
        case "idempotency_key_reused":
            return problem(status: 422, code: code, title: "Idempotency key reused", detail: message, extra: more)
        case "not_permitted": return problem(status: 403, code: code, title: "Not permitted", detail: message, extra: more)
        case "busy": return problem(status: 503, code: code, title: "Store busy", detail: message, extra: more, headers: [("Retry-After", "1")])
        case "io", "no_store":
            return problem(status: 503, code: code, title: "Store unavailable", detail: message, extra: more, headers: [("Retry-After", "30")])
        default: return problem(status: 500, code: "internal", title: "Internal error", detail: message, extra: more)
        }
    }

    /// Which policy refused: `opening_hours`, `blackout`, `minimum_notice`, `maximum_advance`,
    /// `cancellation_notice`.
    static func policyRule(_ error: Error) -> String {
        let core: CoreError? = (error as? CoreError) ?? { if case .core(let c)? = error as? StoreError { return c } else { return nil } }()
        switch core {
        case .outsideOpeningHours?: return "opening_hours"
        case .blackout?: return "blackout"
        case .insideMinimumNotice?: return "minimum_notice"
        case .beyondMaximumAdvance?: return "maximum_advance"
        case .insideCancellationNotice?: return "cancellation_notice"
        default: return "policy"
        }
    }
}
