extension StringProtocol {
    /// The text cut or padded with spaces to exactly `length` characters: the label column of
    /// `frontdesk show` and of benchmark reports.
    ///
    /// Foundation's `padding(toLength:withPad:" ",startingAt:0)` did this for the same ASCII
    /// labels; it counted UTF-16 units, so it could cut an emoji in half, which this cannot.
    package func padded(toLength length: Int) -> String {
        let n = count
        if n >= length { return String(prefix(length)) }
        return String(self) + String(repeating: " ", count: length - n)
    }
}
