import FrontdeskCore
import FrontdeskJSON

/// One JSON value of a persisted file and where it is, read as a schema type with errors that
/// name that place: the general path of the schema readers (``SchemaObject`` reads objects'
/// members through it).
package struct SchemaValue {
    package let doc: JSONDocument
    /// The value's token in `doc`.
    package let index: Int
    /// Where the value is, for messages (`[3].policy.bufferBefore`).
    package let path: String

    /// The root value of `bytes`.
    ///
    /// - Throws: `JSONSyntaxError` for text that is not JSON.
    package static func root(_ bytes: [UInt8]) throws -> SchemaValue {
        let doc = try bytes.withUnsafeBytes { raw throws(JSONSyntaxError) in try JSONDocument(raw) }
        return SchemaValue(doc: doc, index: 0, path: "")
    }

    /// The root value of a hand-edited file's `bytes` (the deliverer's files): one trailing
    /// comma in an array or object allowed, as ``JSONTree/init(parsing:)`` allows it, and a
    /// syntax error reported with its line and column.
    ///
    /// - Throws: ``SchemaError`` (empty path) for text that is not JSON.
    package static func root(parsingHandEdited bytes: [UInt8]) throws(SchemaError) -> SchemaValue {
        let parsed = bytes.withUnsafeBytes { raw in
            Result { () throws(JSONSyntaxError) in try JSONDocument(raw, allowingTrailingCommas: true) }
        }
        switch parsed {
        case .success(let doc): return SchemaValue(doc: doc, index: 0, path: "")
        case .failure(let error): throw SchemaError(path: "", message: JSONTreeError(error.message, at: error.offset, in: bytes).description)
        }
    }

    package var token: JSONToken { doc.tokens[index] }

    /// An error at this value.
    package func error(_ message: String) -> SchemaError { SchemaError(path: path, message: message) }

    private func expected(_ what: String) -> SchemaError { error("expected \(what), found \(SchemaObject.kind(token))") }

    package func string() throws(SchemaError) -> String {
        guard token.kind == .string else { throw expected("a string") }
        return doc.string(token)
    }

    package func bool() throws(SchemaError) -> Bool {
        switch token.kind {
        case .true: return true
        case .false: return false
        default: throw expected("a boolean")
        }
    }

    /// A whole number that fits `T`.
    package func integer<T: FixedWidthInteger>(_: T.Type) throws(SchemaError) -> T {
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
    package func duration() throws(SchemaError) -> TimeSpan { TimeSpan(seconds: try integer(Int64.self)) }

    /// A time: `YYYY-MM-DDTHH:MM:SSZ` (any ISO 8601 form ``Instant/init(iso8601:)`` takes),
    /// inside ``SupportedRange``.
    package func instant() throws(SchemaError) -> Instant {
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
    package func date() throws(SchemaError) -> LocalDate {
        let text = try string()
        guard let d = LocalDate(text) else { throw error("expected a date like 2027-03-01, got \"\(text)\"") }
        return d
    }

    /// A range: `{"start":T,"end":T}`.
    package func range() throws(SchemaError) -> TimeRange {
        let o = try object()
        return TimeRange(start: try o.value("start").instant(), end: try o.value("end").instant())
    }

    /// An actor: `{"user","origin","source"}`.
    package func actor() throws(SchemaError) -> Author {
        let o = try object()
        let source = try o.value("source")
        let text = try source.string()
        guard let s = BookingSource(rawValue: text) else { throw source.error("unknown source \"\(text)\"") }
        return Author(user: try o.value("user").string(), origin: try o.value("origin").string(), source: s)
    }

    package func object() throws(SchemaError) -> SchemaObject { try SchemaObject(doc, at: index, path: path) }

    /// The elements of an array, each with its path (`path[i]`).
    package func elements() throws(SchemaError) -> [SchemaValue] {
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
    package func array<T>(_ read: (SchemaValue) throws(SchemaError) -> T) throws(SchemaError) -> [T] {
        var out: [T] = []
        for e in try elements() { out.append(try read(e)) }
        return out
    }
}
