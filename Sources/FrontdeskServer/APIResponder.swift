import FrontdeskCLI
import FrontdeskCore
import FrontdeskDelivery
import FrontdeskJSON
import HTTPTypes
import Hummingbird
import NIOCore

/// Routes every request under `/v1`: authenticates the bearer token, applies its rate limit,
/// reads the JSON body within the size limit, and answers through ``APIHandlers``; every
/// refusal is an `application/problem+json` answer.
struct APIResponder: HTTPResponder {
    typealias Context = APIContext
    let handlers: APIHandlers
    let tokens: TokenBook
    let rate: RateLimiter
    let maxBodyBytes: Int

    func respond(to request: Request, context: APIContext) async throws -> Response {
        var request = request
        let reply: APIReply
        do { reply = try await route(&request, context) } catch { reply = APIReply.problem(for: error, state: nil) }
        return reply.response
    }

    func route(_ request: inout Request, _ context: APIContext) async throws -> APIReply {
        let path = request.uri.path
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        guard parts.first == "v1" else { throw ServerError.noRoute(path) }
        let rest = Array(parts.dropFirst())
        let method = request.method
        if rest == ["openapi.json"] {
            guard method == .get else { throw ServerError.methodNotAllowed(allowed: ["GET"]) }
            return APIReply(status: 200, body: OpenAPIDocument.tree)
        }
        let token = try authenticate(request)
        try rate.take(token.name)
        func allow(_ methods: [HTTPRequest.Method]) throws {
            guard methods.contains(method) else { throw ServerError.methodNotAllowed(allowed: methods.map(\.rawValue)) }
        }
        let body = method == .post ? try await readBody(&request) : nil
        var query: [String: String] = [:]
        for (k, v) in request.uri.queryParameters { query[String(k)] = String(v) }
        var headers: [String: String] = [:]
        for f in request.headers { headers[f.name.canonicalName] = f.value }
        let r = APIRequest(token: token, origin: context.origin, query: query, headers: headers, body: body)
        switch rest.count {
        case 1 where rest[0] == "bookings":
            try allow([.get, .post])
            return method == .post ? try await handlers.createBooking(r) : try await handlers.listBookings(r)
        case 1 where rest[0] == "availability":
            try allow([.get]); return try await handlers.availability(r)
        case 1 where rest[0] == "resources":
            try allow([.get]); return try await handlers.resources(r)
        case 1 where rest[0] == "customers":
            try allow([.get]); return try await handlers.customers(r)
        case 2 where rest[0] == "bookings" && !rest[1].isEmpty:
            try allow([.get]); return try await handlers.booking(rest[1], r)
        case 3 where rest[0] == "bookings" && !rest[1].isEmpty:
            guard let action = APIHandlers.Action(rawValue: rest[2]) else { throw ServerError.noRoute(path) }
            try allow([.post]); return try await handlers.change(rest[1], action, r)
        default:
            throw ServerError.noRoute(path)
        }
    }

    /// The token of `Authorization: Bearer SECRET`.
    func authenticate(_ request: Request) throws -> FrontdeskDelivery.APIToken {
        guard let value = request.headers[.authorization] else {
            throw ServerError.unauthenticated("send 'Authorization: Bearer TOKEN' with a token from 'frontdesk token add'")
        }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw ServerError.unauthenticated("the Authorization header must be 'Bearer TOKEN'")
        }
        return try tokens.authenticate(String(parts[1]).trimmingSpacesAPI)
    }

    /// The JSON body (nil when empty), refused when it is not `application/json`, longer than
    /// the limit, or not JSON.
    func readBody(_ request: inout Request) async throws -> JSONTree? {
        if let cl = request.headers[.contentLength], let n = Int(cl), n > maxBodyBytes { throw ServerError.payloadTooLarge(limit: maxBodyBytes) }
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: maxBodyBytes) } catch is NIOTooManyBytesError {
            throw ServerError.payloadTooLarge(limit: maxBodyBytes)
        }
        let bytes = Array(buffer.readableBytesView)
        if bytes.isEmpty { return nil }
        if let ct = request.headers[.contentType], !ct.lowercased().hasPrefix("application/json") {
            throw ServerError.unsupportedMediaType(ct)
        }
        do { return try JSONTree(parsing: bytes) } catch {
            throw ServerError.malformedJSON("the body is not JSON: \(error)")
        }
    }
}

extension APIReply {
    /// The Hummingbird response.
    var response: Response {
        var h = HTTPFields()
        h[.contentType] = contentType
        for (n, v) in headers { if let name = HTTPField.Name(n) { h[name] = v } }
        let bytes = raw ?? body.serialized()
        return Response(status: .init(code: status), headers: h, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

