import FrontdeskCore

/// The file store is a `BookingStorage`: `write` plans under the write lock after catching up,
/// `subscribe` watches the journal (`StoreSubscription`).
extension Store: BookingStorage {
    /// Read-only when the journal cannot be read to its end (what is loaded may lack bookings)
    /// or writes are refused; busy when the last write gave up waiting for the lock.
    public var mode: StorageMode {
        if let m = missingRecords { return .readOnly("DAMAGED, bookings shown may be incomplete: \(m); run frontdesk repair") }
        if let r = readOnlyReason { return .readOnly(r) }
        if let b = busyHolder { return .busy(b) }
        return .live
    }

    /// A planning refusal (bare or as `StoreError.core`) phrased with the names in the state;
    /// any other store error in its own words.
    public func describe(_ error: any Error) -> (refusal: CoreError?, message: String) {
        if let e = error as? CoreError { return (e, e.description(in: state)) }
        if let s = error as? StoreError {
            if case .core(let e) = s { return (e, e.description(in: state)) }
            return (nil, s.description)
        }
        return (nil, String(describing: error))
    }
}
