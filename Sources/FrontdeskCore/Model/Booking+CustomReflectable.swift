extension Booking: CustomReflectable {
    /// The fields, not the box: `print`, string interpolation and test failures show a
    /// booking as `Booking(id: …, ref: …, …)`, like a plain struct, not as its storage box.
    public var customMirror: Mirror {
        Mirror(self, children: Mirror(reflecting: fields).children, displayStyle: .struct)
    }
}
