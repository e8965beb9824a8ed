import FrontdeskJSON

/// What the single-value and unkeyed containers share: each primitive is written the same way
/// once the container has begun its value (`beginValue`: marks the slot filled, or writes the
/// array's comma).
protocol JSONScalarContainer {
    var encoder: JSONValueEncoder { get }
    /// Starts the next value, or throws if the container can no longer take one.
    func beginValue() throws
    /// The coding path of the value just begun (for a non-finite number's error).
    var valuePath: [any CodingKey] { get }
}

extension JSONScalarContainer {
    mutating func encodeNil() throws { try beginValue(); encoder.out.null() }
    mutating func encode(_ value: Bool) throws { try beginValue(); encoder.out.bool(value) }
    mutating func encode(_ value: String) throws { try beginValue(); encoder.out.string(value) }
    mutating func encode(_ value: Double) throws { try beginValue(); try encoder.float(value, path: valuePath) }
    mutating func encode(_ value: Float) throws { try beginValue(); try encoder.float(value, path: valuePath) }
    mutating func encode(_ value: Int) throws { try beginValue(); encoder.out.signed(Int64(value)) }
    mutating func encode(_ value: Int8) throws { try beginValue(); encoder.out.signed(Int64(value)) }
    mutating func encode(_ value: Int16) throws { try beginValue(); encoder.out.signed(Int64(value)) }
    mutating func encode(_ value: Int32) throws { try beginValue(); encoder.out.signed(Int64(value)) }
    mutating func encode(_ value: Int64) throws { try beginValue(); encoder.out.signed(value) }
    mutating func encode(_ value: UInt) throws { try beginValue(); encoder.out.unsigned(UInt64(value)) }
    mutating func encode(_ value: UInt8) throws { try beginValue(); encoder.out.unsigned(UInt64(value)) }
    mutating func encode(_ value: UInt16) throws { try beginValue(); encoder.out.unsigned(UInt64(value)) }
    mutating func encode(_ value: UInt32) throws { try beginValue(); encoder.out.unsigned(UInt64(value)) }
    mutating func encode(_ value: UInt64) throws { try beginValue(); encoder.out.unsigned(value) }
}
