/// An amount of one currency in integer minor units (pence, cents, yen, fils).
///
/// Never a floating-point number: amounts are read from text digit by digit, kept as `Int64`
/// minor units and added with overflow checks, so `0.10 + 0.20` is exactly `0.30`.
public struct Money: Hashable, Sendable {
    /// The amount in the currency's minor unit; negative for a credit.
    public let minorUnits: Int64
    public let currency: Currency

    public init(minorUnits: Int64, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// Zero of `currency`.
    public static func zero(_ currency: Currency) -> Money { Money(minorUnits: 0, currency: currency) }

    // MARK: Reading

    /// Reads `text` as a non-negative amount of `currency`: digits, optionally a point and at
    /// most the currency's decimals (`10`, `10.5`, `10.50` in GBP; `1200` in JPY; `2.125` in BHD).
    ///
    /// - Throws: ``MoneyError`` for empty text, a sign, a symbol, spaces, a second point, a point
    ///   with no digits on one side, too many decimals, or an amount beyond `Int64` minor units.
    /// - Complexity: O(characters).
    public static func parse(_ text: String, in currency: Currency) throws(MoneyError) -> Money {
        guard !text.isEmpty else { throw .empty }
        let bytes = Array(text.utf8)
        var whole: Int64 = 0
        var fraction: Int64 = 0
        var decimals = 0
        var wholeDigits = 0
        var sawPoint = false
        for c in bytes {
            if c == UInt8(ascii: ".") {
                guard !sawPoint else { throw .notAnAmount(text: text) }
                sawPoint = true
                continue
            }
            guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { throw .notAnAmount(text: text) }
            let digit = Int64(c - UInt8(ascii: "0"))
            if sawPoint {
                decimals += 1
                guard decimals <= currency.exponent else { throw .tooManyDecimals(text: text, currency: currency) }
                fraction = fraction * 10 + digit
            } else {
                wholeDigits += 1
                whole = try checked(whole.multipliedReportingOverflow(by: 10))
                whole = try checked(whole.addingReportingOverflow(digit))
            }
        }
        guard wholeDigits > 0, !sawPoint || decimals > 0 else { throw .notAnAmount(text: text) }
        if sawPoint && currency.exponent == 0 { throw .tooManyDecimals(text: text, currency: currency) }
        for _ in decimals..<currency.exponent { fraction *= 10 }
        let major = try checked(whole.multipliedReportingOverflow(by: currency.minorPerMajor))
        return Money(minorUnits: try checked(major.addingReportingOverflow(fraction)), currency: currency)
    }

    // MARK: Arithmetic

    /// The sum, checked for overflow and for matching currencies.
    public func adding(_ other: Money) throws(MoneyError) -> Money {
        guard currency == other.currency else { throw .currencyMismatch(currency, other.currency) }
        return Money(minorUnits: try Money.checked(minorUnits.addingReportingOverflow(other.minorUnits)), currency: currency)
    }

    /// The difference, checked for overflow and for matching currencies.
    public func subtracting(_ other: Money) throws(MoneyError) -> Money {
        guard currency == other.currency else { throw .currencyMismatch(currency, other.currency) }
        return Money(minorUnits: try Money.checked(minorUnits.subtractingReportingOverflow(other.minorUnits)), currency: currency)
    }

    /// The sum of minor-unit amounts, checked for overflow.
    public static func sum<S: Sequence>(_ amounts: S) throws(MoneyError) -> Int64 where S.Element == Int64 {
        var total: Int64 = 0
        for a in amounts { total = try checked(total.addingReportingOverflow(a)) }
        return total
    }

    static func checked(_ r: (partialValue: Int64, overflow: Bool)) throws(MoneyError) -> Int64 {
        guard !r.overflow else { throw .overflow }
        return r.partialValue
    }

    // MARK: Writing

    /// The amount with the currency's decimals and no code: `10.00`, `1200`, `2.125`, `-0.50`.
    public var plain: String {
        let negative = minorUnits < 0
        // The magnitude as unsigned, so `Int64.min` has one too.
        let magnitude = minorUnits.magnitude
        let per = UInt64(currency.minorPerMajor)
        var text = String(magnitude / per)
        if currency.exponent > 0 {
            let minor = String(magnitude % per)
            text += "." + String(repeating: "0", count: currency.exponent - minor.count) + minor
        }
        return negative ? "-" + text : text
    }
}

extension Money: CustomStringConvertible {
    /// The amount with its code: `10.00 GBP`, `1200 JPY`.
    public var description: String { plain + " " + currency.code }
}
