/// A failure of the storage behind a ``BookingStorage`` that is not the engine's refusal: the
/// store could not be reached, refused a statement, or holds what this program cannot read.
///
/// A storage module's error type conforms (PostgreSQL's `PostgresStoreError`) so that the
/// command line, which links no storage module but the file store, reports it as an I/O
/// failure with its own words instead of an internal error.
public protocol StorageBackendFailure: Error, CustomStringConvertible {}

extension StorageRefusal: StorageBackendFailure {}
