#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import FrontdeskJSON

/// A fast streaming JSON encoder for `Encodable` types, the store's replacement for Foundation's
/// `JSONEncoder` on its write paths (journal records, snapshot files, manifests).
///
/// It writes UTF-8 straight into one growing byte array while the types' `encode(to:)` run
/// (``JSONValueEncoder``): no intermediate tree of values, no dictionary per object. Every
/// `Encodable` type works unchanged through the standard `Encoder` protocol, and the output is
/// what `JSONEncoder` writes with `.withoutEscapingSlashes` and default strategies, except:
/// - object keys come in the order the type encodes them (declaration order for synthesized
///   conformances), not sorted; but a `Dictionary`'s members are sorted by key bytes, so equal
///   values always give identical bytes (`JSONEncoder` without `.sortedKeys` follows the
///   dictionary's iteration order, which differs between equal dictionaries);
/// - containers stream: a container can only be written to while it is the innermost one still
///   open at its depth (what every synthesized and ordinary hand-written conformance does);
///   writing to one after its parent moved on throws `EncodingError.invalidValue` instead of
///   reordering output, and a key encoded twice in one object appears twice (JSONEncoder keeps
///   the last; decoders read the first).
///
/// Like `JSONEncoder`'s defaults: non-finite `Double`/`Float` throw `EncodingError.invalidValue`;
/// `Date` encodes itself (`deferredToDate`: seconds since 2001 as a number); `Data` is written as
/// a base64 string, `URL` as its absolute string, `Decimal` as a number (a NaN `Decimal` throws,
/// where JSONEncoder would write invalid text). The store encodes none of these four today.
package struct CompactJSONEncoder: Sendable {
    package init() {}

    /// The JSON text of `value`, as UTF-8.
    ///
    /// - Throws: `EncodingError.invalidValue` for a non-finite number, a container used after
    ///   streaming closed it, or a top-level value that encodes nothing; and whatever the types'
    ///   `encode(to:)` throw.
    /// - Complexity: O(n) in the output's length plus the work of the types' `encode(to:)`;
    ///   each dictionary adds O(k log k) to sort its k keys.
    package func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        try encode(value, appendingTo: &out)
        return out
    }

    /// Appends the JSON text of `value` to `bytes` (left unchanged if it throws).
    package func encode<T: Encodable>(_ value: T, appendingTo bytes: inout [UInt8]) throws {
        let start = bytes.count
        let encoder = JSONValueEncoder(output: [])
        swap(&encoder.out.bytes, &bytes)
        defer { swap(&encoder.out.bytes, &bytes) }
        do { try encoder.encodeRoot(value) } catch {
            encoder.out.bytes.removeSubrange(start...)
            throw error
        }
    }
}
