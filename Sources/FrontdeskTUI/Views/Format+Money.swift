import FrontdeskCore

extension Format {
    /// Symbols for the currencies a desk most often shows; others are written with their code.
    private static let currencySymbols: [String: String] = ["GBP": "£", "EUR": "€", "USD": "$", "JPY": "¥"]

    /// An amount as the desk shows it, with its currency's decimals: `£38.00`, `-£0.50`,
    /// `¥1200`, `2.125 BHD`.
    package static func money(_ m: Money) -> String {
        guard let symbol = currencySymbols[m.currency.code] else { return m.description }
        let plain = m.plain
        return plain.hasPrefix("-") ? "-" + symbol + plain.dropFirst() : symbol + plain
    }

    /// `minor` units of `currency` as ``money(_:)`` writes them.
    package static func money(_ minor: Int64, _ currency: Currency) -> String {
        money(Money(minorUnits: minor, currency: currency))
    }
}
