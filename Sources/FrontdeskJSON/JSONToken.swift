/// One JSON value in a ``JSONDocument``'s flat token array.
///
/// Scalars are one token; an array or object is a header token followed by its contents in
/// document order (for objects: key token, value token(s), key token, …), so any value can be
/// skipped in O(1) through ``next(at:)``.
package struct JSONToken {
    /// What kind of value the token is.
    package enum Kind: UInt8 {
        case null, `true`, `false`, number, string, array, object
    }

    /// Bits of ``flags``.
    package enum Flag {
        /// A string containing at least one backslash escape.
        package static let escaped: UInt8 = 1
        /// A string containing bytes ≥ 0x80.
        static let nonASCII: UInt8 = 2
        /// A number with a fraction or an exponent.
        package static let notInteger: UInt8 = 4
        /// An object whose keys cannot be matched by byte comparison with a moving cursor:
        /// it has a duplicate key, or a key that is escaped or not ASCII.
        package static let slowKeys: UInt8 = 8
    }

    package var kind: Kind
    package var flags: UInt8
    /// Strings: ``tag(_:)`` of the raw bytes, so key lookups rarely touch the text (fits in padding).
    package var tag: UInt16 = 0
    /// Strings and numbers: first byte (inside the quotes). Arrays and objects: element or member count.
    package var a: Int32
    /// Strings and numbers: end byte (exclusive, before the closing quote). Arrays and objects:
    /// index of the first token after the container.
    package var b: Int32

    /// The first and last byte of a non-empty string (0 for an empty one).
    @inline(__always)
    package static func tag(_ raw: UnsafeBufferPointer<UInt8>) -> UInt16 {
        guard let first = raw.first, let last = raw.last else { return 0 }
        return UInt16(first) << 8 | UInt16(last)
    }

    /// A short description of the kind for error messages, as JSONDecoder words it.
    var kindDescription: String {
        switch kind {
        case .null: "null"
        case .true, .false: "bool"
        case .number: "number"
        case .string: "a string"
        case .array: "an array"
        case .object: "a dictionary"
        }
    }
}
