import FrontdeskCore

/// A database store as the server's lanes hold it: a `BookingStorage` on one connection that
/// can forget what its requests read, so a lane that lives for days holds only the reference
/// data between requests. `frontdesk-server` makes `PostgresBookingStorage` one; this module
/// links no database client.
public protocol ServerDatabase: BookingStorage {
    /// Drops the bookings, customers and idempotency records read so far from memory (not from
    /// the store), keeping the reference data.
    func forgetLoaded()
    /// Closes the connection; the storage is not used again.
    func close()
}
