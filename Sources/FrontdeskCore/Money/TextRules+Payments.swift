extension TextRules {
    /// A payment's reference or a refund's reason, trimmed (empty means none): one line of at
    /// most 200 visible characters that holds nothing like a card number.
    ///
    /// - Throws: ``CoreError/invalidInput(field:message:)`` naming `field`.
    public static func paymentReference(_ value: String?, field: String = "reference") throws(CoreError) -> String {
        guard let v = try optional(value, field: field, maxLength: 200) else { return "" }
        if CardNumberGuard.containsCardNumber(v) {
            throw .invalidInput(field: field, message: "looks like a card number; card data is never stored, so give a receipt or gateway reference instead")
        }
        return v
    }
}
