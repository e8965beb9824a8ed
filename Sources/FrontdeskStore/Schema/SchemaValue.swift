import FrontdeskCore
import FrontdeskJSON

/// One JSON value of a persisted file and where it is, read as a schema type with errors that
/// name that place: the general path of the schema readers (``SchemaObject`` reads objects'
/// members through it).
struct SchemaValue {
    let doc: JSONDocument
    /// The value's token in `doc`.
    let index: Int
    /// Where the value is, for messages (`[3].policy.bufferBefore`).
    let path: String

    /// The root value of `bytes`.
    ///
    /// - Throws: `JSONSyntaxError` for text that is not JSON.
    static func root(_ bytes: [UInt8]) throws -> SchemaValue {
        let doc = try bytes.withUnsafeBytes { raw throws(JSONSyntaxError) in try JSONDocument(raw) }
        return SchemaValue(doc: doc, index: 0, path: "")
    }

    var token: JSONToken { doc.tokens[index] }

    /// An error at this value.
    func error(_ message: String) -> SchemaError { SchemaError(path: path, message: message) }

    private func expected(_ what: String) -> SchemaError { error("expected \(what), found \(SchemaObject.kind(token))") }

    func string() throws(SchemaError) -> String {
        guard token.kind == .string else { throw expected("a string") }
        return doc.string(token)
    }

    func bool() throws(SchemaError) -> Bool {
        switch token.kind {
        case .true: return true
        case .false: return false
        default: throw expected("a boolean")
        }
    }

    /// A whole number that fits `T`.
    func integer<T: FixedWidthInteger>(_: T.Type) throws(SchemaError) -> T {
        let t = token
        guard t.kind == .number else { throw expected("a number") }
        let plain = t.flags & JSONToken.Flag.notInteger == 0
        let text = String(decoding: doc.raw(t), as: UTF8.self)
        guard let (negative, magnitude) = JSONNumber.integer(doc.raw(t), plain: plain) else {
            throw error("\(text) is not a whole number that fits")
        }
        let value: T?
        if negative {
            value = magnitude == 0 ? 0 : T.isSigned && magnitude <= UInt64(T.max) + 1 ? T(truncatingIfNeeded: 0 &- magnitude) : nil
        } else {
            value = T(exactly: magnitude)
        }
        guard let value else { throw error("\(text) does not fit in \(T.self)") }
        return value
    }

    /// A duration: whole seconds.
    func duration() throws(SchemaError) -> TimeSpan { TimeSpan(seconds: try integer(Int64.self)) }

    /// A time: `YYYY-MM-DDTHH:MM:SSZ` (any ISO 8601 form ``Instant/init(iso8601:)`` takes),
    /// inside ``SupportedRange``.
    func instant() throws(SchemaError) -> Instant {
        let text = try string()
        guard let parsed = Instant(iso8601: text) else {
            throw error("expected a UTC time like 2027-03-01T09:00:00Z, got \"\(text)\"")
        }
        guard SupportedRange.contains(parsed) else {
            throw error("\"\(text)\" is outside the supported range (\(SupportedRange.text))")
        }
        return parsed
    }

    /// A date: `YYYY-MM-DD`.
    func date() throws(SchemaError) -> LocalDate {
        let text = try string()
        guard let d = LocalDate(text) else { throw error("expected a date like 2027-03-01, got \"\(text)\"") }
        return d
    }

    /// A range: `{"start":T,"end":T}`.
    func range() throws(SchemaError) -> TimeRange {
        let o = try object()
        return TimeRange(start: try o.value("start").instant(), end: try o.value("end").instant())
    }

    /// An actor: `{"user","origin","source"}`.
    func actor() throws(SchemaError) -> Author {
        let o = try object()
        let source = try o.value("source")
        let text = try source.string()
        guard let s = BookingSource(rawValue: text) else { throw source.error("unknown source \"\(text)\"") }
        return Author(user: try o.value("user").string(), origin: try o.value("origin").string(), source: s)
    }

    func object() throws(SchemaError) -> SchemaObject { try SchemaObject(doc, at: index, path: path) }

    /// The elements of an array, each with its path (`path[i]`).
    func elements() throws(SchemaError) -> [SchemaValue] {
        let header = token
        guard header.kind == .array else { throw expected("an array") }
        var out: [SchemaValue] = []
        out.reserveCapacity(Int(header.a))
        var pos = index + 1
        while pos < Int(header.b) {
            out.append(SchemaValue(doc: doc, index: pos, path: path + "[\(out.count)]"))
            pos = doc.next(at: pos)
        }
        return out
    }

    /// The elements of an array, each read by `read`.
    func array<T>(_ read: (SchemaValue) throws(SchemaError) -> T) throws(SchemaError) -> [T] {
        var out: [T] = []
        for e in try elements() { out.append(try read(e)) }
        return out
    }
}
