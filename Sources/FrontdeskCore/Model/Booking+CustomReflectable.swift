extension Booking: CustomReflectable {
    /// The fields, not the box: `print`, string interpolation and test failures show a
    /// booking as `Booking(id: …, ref: …, …)`, as they did before the fields moved into a box.
    public var customMirror: Mirror {
        Mirror(self, children: Mirror(reflecting: fields).children, displayStyle: .struct)
    }
}
