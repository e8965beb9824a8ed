import FrontdeskCore
#if canImport(Glibc)
import Glibc
#endif

/// The retention pin: a seam for backups (docs/STORAGE.md, *Retention*).
extension Store {
    /// The pin file's path.
    var retentionPinPath: String { directory + "/" + RetentionPinSchema.fileName }

    /// Pins `events/`: from now on compaction keeps every segment holding a record at or after
    /// `sequence` (a backup pins the first record it still needs to roll forward through);
    /// nil removes the pin.
    ///
    /// Written holding the compaction lock (waiting up to `lockTimeout`), which every pruning
    /// compaction holds, so once this returns no compaction prunes past the pin: a segment
    /// present now and at or after `sequence` stays until the pin moves. The file is written
    /// in `tmp/` under a `compact-` name (which only a holder of that lock removes), fsynced,
    /// renamed over the pin and the store directory fsynced.
    ///
    /// - Throws: `.busy` if a compaction holds the lock past `lockTimeout`; I/O errors naming the file.
    public func pinRetention(from sequence: UInt64?, by user: String) throws(StoreError) {
        guard let held = try CompactionLock.acquire(storeDirectory: directory, fs: fs, timeout: options.lockTimeout) else {
            throw .busy(holder: "another process is compacting (\(directory)/snapshots is locked)")
        }
        defer { held.release() }
        guard let sequence else {
            if fs.stat(retentionPinPath) != nil {
                try fs.unlink(retentionPinPath)
                try fs.fsyncDirectory(directory)
            }
            return
        }
        let temp = tmpDir + "/\(Store.compactionPrefix)pin-\(getpid())-\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"
        let bytes = RetentionPinSchema.bytes(retainFrom: sequence, by: user, at: engine.clock.now())
        do {
            try fs.writeNewFile(temp, bytes)
            try fs.rename(temp, to: retentionPinPath)
        } catch {
            try? fs.unlink(temp)
            throw error
        }
        try fs.fsyncDirectory(directory)
    }

    /// The pinned sequence (`retain_from`), nil without a pin.
    ///
    /// - Throws: `.damaged` naming the file when it exists but has no readable `retain_from`
    ///   (compaction then prunes nothing: see ``Compaction/pruneEvents(now:)``).
    public func retentionPin() throws(StoreError) -> UInt64? {
        try Store.retentionPin(in: directory, fs: fs)
    }

    /// The pin of the store in `directory`, as ``retentionPin()``.
    static func retentionPin(in directory: String, fs: any FileSystem) throws(StoreError) -> UInt64? {
        let path = directory + "/" + RetentionPinSchema.fileName
        guard fs.stat(path) != nil else { return nil }
        let bytes = try fs.readFile(path)
        do { return try RetentionPinSchema.retainFrom(in: bytes) } catch {
            throw .damaged(path: path, detail: "no readable retain_from (\(error))")
        }
    }
}
