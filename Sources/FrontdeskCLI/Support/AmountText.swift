import FrontdeskCore
import FrontdeskTUI

/// Amounts as staff type and read them: decimal text with up to two decimals (`38`, `38.5`,
/// `38.00`, `.50`) to integer minor units and back, without floating point. Two decimals is
/// the store's until a store currency says otherwise.
enum AmountText {
    /// Decimals of the minor unit.
    static let decimals = 2

    /// `text` in minor units: digits, an optional `.` and at most ``decimals`` digits after it.
    ///
    /// - Throws: `CLIError.invalidInput` naming `field`.
    static func parse(_ text: String, field: String) throws -> Int64 {
        let t = text.trimming(.whitespaces)
        func bad(_ why: String) -> CLIError {
            CLIError.invalidInput(field: field, message: "\"\(Format.safe(t))\" is not an amount (\(why)); use forms like 38, 38.50 or .50")
        }
        let parts = t.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, !t.isEmpty, t != "." else { throw bad("one number, at most one decimal point") }
        let whole = parts[0], fraction = parts.count == 2 ? parts[1] : ""
        guard whole.allSatisfy({ $0.isASCII && $0.isNumber }), fraction.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw bad("digits only, no sign or currency symbol")
        }
        guard fraction.count <= decimals else { throw bad("at most \(decimals) decimals") }
        guard whole.count <= 13 else { throw bad("too large") }
        var units: Int64 = 0
        for c in whole { units = units * 10 + Int64(c.wholeNumberValue!) }
        var minor: Int64 = 0
        for c in fraction { minor = minor * 10 + Int64(c.wholeNumberValue!) }
        for _ in fraction.count..<decimals { minor *= 10 }
        var scale: Int64 = 1
        for _ in 0..<decimals { scale *= 10 }
        let (product, overflow) = units.multipliedReportingOverflow(by: scale)
        guard !overflow, product <= Service.maximumAmount - minor else { throw bad("too large") }
        return product + minor
    }

    /// Minor units as text with ``decimals`` decimals (`3800` → `38.00`).
    static func text(_ minor: Int64) -> String {
        var scale: Int64 = 1
        for _ in 0..<decimals { scale *= 10 }
        let sign = minor < 0 ? "-" : ""
        let m = minor.magnitude
        let frac = String(m % UInt64(scale))
        return "\(sign)\(m / UInt64(scale)).\(String(repeating: "0", count: decimals - frac.count))\(frac)"
    }
}
