extension Access {
    /// `customer` as this account may see it: without phone and e-mail unless it may read
    /// contact details (``AccessAction/readContactDetails``).
    public func visible(_ customer: Customer) -> Customer {
        guard !allows(.readContactDetails) else { return customer }
        var shown = customer
        shown.phone = nil
        shown.email = nil
        return shown
    }
}
