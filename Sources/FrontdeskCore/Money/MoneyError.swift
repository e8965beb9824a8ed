/// Why an amount could not be read or computed. Each case names the problem; the engine turns
/// them into ``CoreError/invalidInput(field:message:)`` naming the field.
public enum MoneyError: Error, Hashable, Sendable {
    /// The text is empty.
    case empty
    /// The text has something other than digits and one decimal point (a sign, a symbol, a space).
    case notAnAmount(text: String)
    /// More decimals than the currency's minor unit has (`10.001` in GBP, `5.5` in JPY).
    case tooManyDecimals(text: String, currency: Currency)
    /// The amount does not fit in 64-bit minor units.
    case overflow
    /// Two amounts in different currencies were combined.
    case currencyMismatch(Currency, Currency)
    /// No currency code of that name is known.
    case unknownCurrency(code: String)
}

extension MoneyError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .empty: "an amount is needed, like 10.00"
        case .notAnAmount(let t): "\"\(t)\" is not an amount; use digits with an optional decimal point, like 10.00 (no sign, symbol or spaces)"
        case .tooManyDecimals(let t, let c):
            c.exponent == 0 ? "\"\(t)\" has decimals, but \(c.code) has no minor unit; use a whole number"
                : "\"\(t)\" has more than \(c.exponent) decimal\(c.exponent == 1 ? "" : "s"), the most \(c.code) has"
        case .overflow: "the amount is too large"
        case .currencyMismatch(let a, let b): "amounts in \(a.code) and \(b.code) cannot be combined"
        case .unknownCurrency(let code): "\"\(code)\" is not a currency this build knows; use one of \(Currency.codes.joined(separator: ", "))"
        }
    }
}
