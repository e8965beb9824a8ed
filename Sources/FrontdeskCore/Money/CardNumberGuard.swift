/// Finds text that looks like a payment card number, so none is ever stored.
///
/// A card number is a run of 13 to 19 digits, possibly grouped by spaces or hyphens
/// (`4111 1111 1111 1111`), whose Luhn check digit is right. A longer run of digits is some
/// other number (a bank reference) and is let through.
public enum CardNumberGuard {
    /// Whether `text` holds a run of 13 to 19 digits (spaces or hyphens between them allowed)
    /// that passes the Luhn check.
    ///
    /// - Complexity: O(characters).
    public static func containsCardNumber(_ text: String) -> Bool {
        var digits: [UInt8] = []
        for c in text.utf8 {
            if c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") {
                digits.append(c - UInt8(ascii: "0"))
            } else if c == UInt8(ascii: " ") || c == UInt8(ascii: "-") {
                // Grouping keeps the run going, however it is spaced: a card typed with
                // double spaces is still a card.
                continue
            } else {
                if isCardNumber(digits) { return true }
                digits.removeAll(keepingCapacity: true)
            }
        }
        return isCardNumber(digits)
    }

    /// Whether `digits` (values 0-9) are 13 to 19 long and pass the Luhn check.
    static func isCardNumber(_ digits: [UInt8]) -> Bool {
        guard (13...19).contains(digits.count) else { return false }
        var sum = 0
        for (i, d) in digits.reversed().enumerated() {
            var v = Int(d)
            if i % 2 == 1 {
                v *= 2
                if v > 9 { v -= 9 }
            }
            sum += v
        }
        return sum % 10 == 0
    }
}
