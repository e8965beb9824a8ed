import Foundation
import Testing
@testable import FrontdeskCore

/// Amounts: reading text per currency without floating point, writing it back with the right
/// decimals, checked arithmetic, and the card-number guard on payment references.
@Suite struct MoneyTests {
    static let gbp = Currency(code: "GBP")!, jpy = Currency(code: "JPY")!, bhd = Currency(code: "BHD")!

    @Test func currenciesHaveTheirISODecimals() {
        #expect(Self.gbp.exponent == 2 && Self.gbp.minorPerMajor == 100)
        #expect(Self.jpy.exponent == 0 && Self.jpy.minorPerMajor == 1)
        #expect(Self.bhd.exponent == 3 && Self.bhd.minorPerMajor == 1000)
        #expect(Currency(code: "eur")?.code == "EUR")
        #expect(Currency(code: "XXX") == nil && Currency(code: "") == nil && Currency(code: "GB") == nil)
        for code in ["USD", "CHF", "KWD", "ISK"] { #expect(Currency(code: code) != nil, "\(code)") }
    }

    @Test("amounts read in each currency's decimals", arguments: [
        ("GBP", "10", 1000), ("GBP", "10.5", 1050), ("GBP", "10.00", 1000), ("GBP", "0.01", 1), ("GBP", "007.10", 710),
        ("JPY", "1200", 1200), ("JPY", "0", 0), ("BHD", "2.125", 2125), ("BHD", "2.1", 2100), ("BHD", "3", 3000),
    ] as [(String, String, Int64)])
    func parses(code: String, text: String, minor: Int64) throws {
        let c = try #require(Currency(code: code))
        #expect(try Money.parse(text, in: c) == Money(minorUnits: minor, currency: c))
    }

    @Test("refused: signs, symbols, garbage, too many decimals", arguments: [
        ("GBP", "", MoneyError.empty), ("GBP", "-5", .notAnAmount(text: "-5")), ("GBP", "+5", .notAnAmount(text: "+5")),
        ("GBP", "£5", .notAnAmount(text: "£5")), ("GBP", "5 00", .notAnAmount(text: "5 00")), ("GBP", "1,000", .notAnAmount(text: "1,000")),
        ("GBP", "1e3", .notAnAmount(text: "1e3")), ("GBP", ".5", .notAnAmount(text: ".5")), ("GBP", "5.", .notAnAmount(text: "5.")),
        ("GBP", "1.2.3", .notAnAmount(text: "1.2.3")), ("GBP", "NaN", .notAnAmount(text: "NaN")), ("GBP", "١٠", .notAnAmount(text: "١٠")),
        ("GBP", "10.001", .tooManyDecimals(text: "10.001", currency: Currency(code: "GBP")!)),
        ("JPY", "5.5", .tooManyDecimals(text: "5.5", currency: Currency(code: "JPY")!)),
        ("JPY", "5.0", .tooManyDecimals(text: "5.0", currency: Currency(code: "JPY")!)),
        ("BHD", "1.0001", .tooManyDecimals(text: "1.0001", currency: Currency(code: "BHD")!)),
        ("GBP", "92233720368547758.08", .overflow), ("JPY", "9223372036854775808", .overflow),
    ] as [(String, String, MoneyError)])
    func refuses(code: String, text: String, error: MoneyError) throws {
        let c = try #require(Currency(code: code))
        #expect(throws: error) { try Money.parse(text, in: c) }
        #expect(!error.description.isEmpty)
    }

    @Test func theLargestAmountReadsAndWritesBack() throws {
        let max = try Money.parse("92233720368547758.07", in: Self.gbp)
        #expect(max.minorUnits == Int64.max)
        #expect(max.plain == "92233720368547758.07")
        #expect(Money(minorUnits: Int64.min, currency: Self.gbp).plain == "-92233720368547758.08")
    }

    @Test func writesTheCurrencysDecimals() {
        #expect(Money(minorUnits: 1000, currency: Self.gbp).description == "10.00 GBP")
        #expect(Money(minorUnits: 5, currency: Self.gbp).plain == "0.05")
        #expect(Money(minorUnits: -50, currency: Self.gbp).plain == "-0.50")
        #expect(Money(minorUnits: 1200, currency: Self.jpy).description == "1200 JPY")
        #expect(Money(minorUnits: 2005, currency: Self.bhd).description == "2.005 BHD")
    }

    /// Every amount written reads back as itself, in every listed currency.
    @Test func writingAndReadingRoundTrip() throws {
        var rng = SplitMix64(seed: 24)
        for code in Currency.codes {
            let c = try #require(Currency(code: code))
            for _ in 0..<200 {
                let m = Money(minorUnits: Int64(rng.next() >> 1) >> Int64(rng.next() % 60), currency: c)
                #expect(try Money.parse(m.plain, in: c) == m, "\(m)")
            }
        }
    }

    @Test func arithmeticIsCheckedAndExact() throws {
        let a = try Money.parse("0.10", in: Self.gbp), b = try Money.parse("0.20", in: Self.gbp)
        #expect(try a.adding(b) == Money.parse("0.30", in: Self.gbp))
        #expect(try a.subtracting(b).plain == "-0.10")
        #expect(throws: MoneyError.overflow) { try Money(minorUnits: .max, currency: Self.gbp).adding(Money(minorUnits: 1, currency: Self.gbp)) }
        #expect(throws: MoneyError.overflow) { try Money(minorUnits: .min, currency: Self.gbp).subtracting(Money(minorUnits: 1, currency: Self.gbp)) }
        #expect(throws: MoneyError.currencyMismatch(Self.gbp, Self.jpy)) { try a.adding(Money(minorUnits: 1, currency: Self.jpy)) }
        #expect(throws: MoneyError.overflow) { try Money.sum([Int64.max, 1]) }
        #expect(try Money.sum([1, 2, 3]) == 6)
    }

    @Test func cardNumbersAreFoundInReferences() throws {
        for card in ["4111111111111111", "4111 1111 1111 1111", "4111-1111-1111-1111", "card 5555555555554444 ok", "378282246310005", "6011111111111117", "4111  1111 1111 1111"] {
            #expect(CardNumberGuard.containsCardNumber(card), "\(card)")
        }
        for fine in ["4111111111111112", "receipt 1234", "INV-2027-000123", "12345678901234567890123", "4111 1111 1111", "ref 12 34", ""] {
            #expect(!CardNumberGuard.containsCardNumber(fine), "\(fine)")
        }
        #expect(throws: CoreError.self) { try TextRules.paymentReference("paid with 4111 1111 1111 1111") }
        #expect(try TextRules.paymentReference("  Till 42 ") == "Till 42")
        #expect(try TextRules.paymentReference(nil) == "")
        #expect(throws: CoreError.self) { try TextRules.paymentReference("line\nbreak") }
    }

    /// The money code holds no floating-point type: every amount is an integer of minor units.
    @Test func noFloatingPointInTheMoneyFolder() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources/FrontdeskCore/Money").standardized
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }
        #expect(files.count >= 8, "\(files)")
        for f in files {
            let words = Self.identifiers(try String(contentsOf: folder.appendingPathComponent(f), encoding: .utf8))
            #expect(words.isDisjoint(with: Self.floatingPointTypes), "\(f) uses \(words.intersection(Self.floatingPointTypes))")
        }
        let engine = Self.identifiers(try String(contentsOf: folder.appendingPathComponent("../Engine/BookingEngine+Money.swift").standardized, encoding: .utf8))
        #expect(engine.isDisjoint(with: Self.floatingPointTypes))
    }

    static let floatingPointTypes: Set<String> = ["Double", "Float", "Float16", "Float32", "Float64", "Float80", "CGFloat", "Decimal", "NSNumber", "NSDecimalNumber"]

    /// The identifiers of Swift source text (runs of letters, digits and underscores).
    static func identifiers(_ text: String) -> Set<String> {
        Set(text.split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init))
    }
}
