import FrontdeskCore

/// Random 80-bit identifiers in Crockford base 32, like the core's `RandomIdentifierSource`,
/// but drawn from two 64-bit random numbers instead of sixteen (each draw is a `getrandom`
/// system call on Linux, which showed up in the commit path). The store's default.
public struct FastRandomIdentifiers: IdentifierSource {
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    public init() {}

    public func next() -> String {
        var g = SystemRandomNumberGenerator()
        var hi = g.next() as UInt64
        var lo = g.next() as UInt64
        var out = [UInt8](repeating: 0, count: 16)
        for i in 0..<16 {
            out[i] = Self.alphabet[Int(lo & 31)]
            lo = (lo >> 5) | ((hi & 31) << 59)
            hi >>= 5
        }
        return String(decoding: out, as: UTF8.self)
    }
}
