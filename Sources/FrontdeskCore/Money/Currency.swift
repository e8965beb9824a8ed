/// An ISO 4217 currency this build knows: its code and how many decimals its minor unit has.
///
/// Only listed codes are accepted, so an amount's decimals are never guessed: `JPY` has none,
/// `GBP` two, `BHD` three.
public struct Currency: Hashable, Sendable {
    /// The three-letter ISO 4217 code (`GBP`).
    public let code: String
    /// How many digits the minor unit takes after the point (2 for pence and cents, 0 for yen, 3 for fils).
    public let exponent: Int

    /// The currency with `code` (letters in any case), or nil when this build does not list it.
    public init?(code: String) {
        let upper = code.uppercased()
        guard let e = Currency.exponents[upper] else { return nil }
        self.code = upper
        exponent = e
    }

    /// Minor units in one major unit (100 for GBP, 1 for JPY, 1000 for BHD).
    public var minorPerMajor: Int64 {
        var m: Int64 = 1
        for _ in 0..<exponent { m *= 10 }
        return m
    }

    /// Every listed code, sorted (for messages).
    public static var codes: [String] { exponents.keys.sorted() }

    /// The listed currencies and their minor-unit exponents (ISO 4217).
    static let exponents: [String: Int] = [
        "AUD": 2, "BHD": 3, "BRL": 2, "CAD": 2, "CHF": 2, "CNY": 2, "CZK": 2, "DKK": 2, "EUR": 2, "GBP": 2,
        "HKD": 2, "HUF": 2, "ILS": 2, "INR": 2, "ISK": 0, "JOD": 3, "JPY": 0, "KRW": 0, "KWD": 3, "MXN": 2,
        "NOK": 2, "NZD": 2, "OMR": 3, "PLN": 2, "SEK": 2, "SGD": 2, "TND": 3, "USD": 2, "ZAR": 2,
    ]
}
