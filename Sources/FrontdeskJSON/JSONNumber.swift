/// Conversions of validated JSON number text to Swift numbers, exact or not at all.
package enum JSONNumber {
    /// The number as a sign and magnitude if it is a whole number whose magnitude fits in
    /// `UInt64`; nil otherwise. Fractions and exponents are honoured exactly (`1.0`, `1e2`, `-0`),
    /// with no Double round-trip.
    ///
    /// - Complexity: O(length of the text).
    package static func integer(_ raw: UnsafeBufferPointer<UInt8>, plain: Bool) -> (negative: Bool, magnitude: UInt64)? {
        let n = raw.count
        guard n > 0 else { return nil }
        let negative = raw[0] == 0x2D
        var i = negative ? 1 : 0
        if plain {
            var v: UInt64 = 0
            while i < n {
                let (m, o1) = v.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(UInt64(raw[i] &- 0x30))
                if o1 || o2 { return nil }
                v = s
                i += 1
            }
            return (negative, v)
        }
        // Digits before and after the point, then the exponent.
        let intStart = i
        while i < n, raw[i] >= 0x30, raw[i] <= 0x39 { i += 1 }
        let intEnd = i
        var fracStart = i, fracEnd = i
        if i < n, raw[i] == 0x2E {
            i += 1
            fracStart = i
            while i < n, raw[i] >= 0x30, raw[i] <= 0x39 { i += 1 }
            fracEnd = i
        }
        var exponent = 0
        if i < n, raw[i] == 0x65 || raw[i] == 0x45 {
            i += 1
            var expNegative = false
            if i < n, raw[i] == 0x2B || raw[i] == 0x2D { expNegative = raw[i] == 0x2D; i += 1 }
            while i < n {
                exponent = min(exponent * 10 + Int(raw[i] &- 0x30), 1_000_000)   // saturate: 1e999999999 is just "too big"
                i += 1
            }
            if expNegative { exponent = -exponent }
        }
        // The significant digits are int ++ frac, scaled by 10^(exponent - fraction length).
        let total = (intEnd - intStart) + (fracEnd - fracStart)
        @inline(__always) func digit(_ k: Int) -> UInt64 {
            let idx = k < intEnd - intStart ? intStart + k : fracStart + (k - (intEnd - intStart))
            return UInt64(raw[idx] &- 0x30)
        }
        var first = 0
        while first < total, digit(first) == 0 { first += 1 }
        if first == total { return (negative, 0) }
        var last = total
        var scale = exponent - (fracEnd - fracStart)
        while digit(last - 1) == 0 { last -= 1; scale += 1 }
        guard scale >= 0, last - first + scale <= 20 else { return nil }
        var v: UInt64 = 0
        for k in first..<last {
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(digit(k))
            if o1 || o2 { return nil }
            v = s
        }
        for _ in 0..<scale {
            let (m, o) = v.multipliedReportingOverflow(by: 10)
            if o { return nil }
            v = m
        }
        return (negative, v)
    }

    /// A signed integer type's value of the number, or nil if it is not whole or does not fit.
    @inline(__always)
    package static func signed<T: FixedWidthInteger & SignedInteger>(_ raw: UnsafeBufferPointer<UInt8>, plain: Bool, as: T.Type) -> T? {
        guard let (negative, magnitude) = integer(raw, plain: plain) else { return nil }
        if negative {
            if magnitude == UInt64(T.max) + 1 { return T.min }
            guard let m = T(exactly: magnitude) else { return nil }
            return -m
        }
        return T(exactly: magnitude)
    }

    /// An unsigned integer type's value of the number, or nil if it is not whole, negative or too big.
    @inline(__always)
    package static func unsigned<T: FixedWidthInteger & UnsignedInteger>(_ raw: UnsafeBufferPointer<UInt8>, plain: Bool, as: T.Type) -> T? {
        guard let (negative, magnitude) = integer(raw, plain: plain) else { return nil }
        if negative { return magnitude == 0 ? 0 : nil }
        return T(exactly: magnitude)
    }

    /// ``signed(_:plain:as:)`` for `Int64`, not generic: the schema readers call it for every
    /// number from another module, where a generic call is not specialized.
    package static func int64(_ raw: UnsafeBufferPointer<UInt8>, plain: Bool) -> Int64? {
        signed(raw, plain: plain, as: Int64.self)
    }

    /// ``unsigned(_:plain:as:)`` for `UInt64`, not generic (see ``int64(_:plain:)``).
    package static func uint64(_ raw: UnsafeBufferPointer<UInt8>, plain: Bool) -> UInt64? {
        unsigned(raw, plain: plain, as: UInt64.self)
    }

    /// The nearest Double, or nil if the number is out of Double's finite range.
    package static func double(_ raw: UnsafeBufferPointer<UInt8>) -> Double? {
        guard let d = Double(String(decoding: raw, as: UTF8.self)), d.isFinite else { return nil }
        return d
    }
}
