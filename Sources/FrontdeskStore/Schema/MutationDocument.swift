import FrontdeskCore
import FrontdeskJSON

/// One domain object as the canonical JSON document the journal writes for it
/// (``RecordSchema``'s mutation object, `{"booking":{…}}`), and back: what another storage
/// (PostgreSQL's `doc` columns) keeps, so every backend stores the same shape.
package enum MutationDocument {
    /// The document of `m`: an object with one member naming its kind.
    ///
    /// - Throws: `StoreError.core(.outsideSupportedRange)` for a time the reader could not take
    ///   back (nothing is returned).
    package static func text(_ m: Mutation) throws(StoreError) -> String {
        var out = JSONWriter()
        do {
            try RecordSchema.writeMutation(m, to: &out)
        } catch EncodingError.invalidValue(let value as Instant, _) {
            throw .core(.outsideSupportedRange(field: "time", value: value.iso8601))
        } catch {
            throw .damaged(path: "(encoding)", detail: "cannot encode a mutation: \(error)")
        }
        return String(decoding: out.bytes, as: UTF8.self)
    }

    /// The mutation `text` holds (members in any order, as a database may reorder them).
    ///
    /// - Throws: ``SchemaError`` naming what does not fit, or `JSONSyntaxError`.
    package static func mutation(_ text: String) throws -> Mutation {
        try RecordSchema.mutation(SchemaValue.root(Array(text.utf8)))
    }

    /// The document of the actor `a` (`{"user":…,"origin":…,"source":…}`).
    package static func actor(_ a: Author) -> String {
        var out = JSONWriter()
        BookingSchema.actor(a, to: &out)
        return String(decoding: out.bytes, as: UTF8.self)
    }
}
