/// `frontdesk status`'s view of the store.
extension Store {
    /// The store's health facts without a full scan (see ``StoreStatus``): the generation in
    /// use from its manifest, `journal/` and `events/` from their listings and sizes, the
    /// retention pin, one idempotency shard (verified) to estimate the keys. Settles a finished
    /// background compaction first, so the generation is current.
    ///
    /// - Complexity: O(files the manifest lists + segments); reads the pin and the largest
    ///   idempotency shard, and the manifest and reference files of a generation newer than the
    ///   one in use (the store fell back from it, or another process has just written it).
    public func status() -> StoreStatus {
        settleCompaction(waiting: false)
        let m = generation.manifest
        var unusable: [String] = []
        let files: [String: Manifest.FileEntry]
        do { files = try m.allFiles() } catch {
            files = [:]
            unusable.append("snapshot generation \(m.generation) in use has a damaged section list (\(error))")
        }
        let generationBytes = files.values.reduce(Int64(0)) { $0 + $1.size }
            + (fs.stat(generation.path + "/manifest.json")?.size ?? 0)
        let onDisk = (try? Generation.list(snapshotsDir, fs: fs)) ?? []
        for g in onDisk where g > m.generation {
            do { _ = try referenceData(try Generation.open(snapshotsDir + "/" + Manifest.name(g), fs: fs)) } catch {
                unusable.append("snapshot generation \(g) does not verify (\(error)): the store fell back to generation \(m.generation)")
            }
        }
        let live = (try? Journal.segments(in: journalDir, fs: fs)) ?? []
        var journalBytes: Int64 = 0
        for seg in live {
            // The open segment's end is its valid end: the rest is preallocated zeros.
            if segment != nil, seg.first == segmentFirst { journalBytes += offset } else { journalBytes += fs.stat(seg.path)?.size ?? 0 }
        }
        let folded = (try? Journal.segments(in: eventsDir, fs: fs)) ?? []
        let eventBytes = folded.reduce(Int64(0)) { $0 + (fs.stat($1.path)?.size ?? 0) }
        let keyShards = files.filter { $0.key.hasPrefix(IdempotencyLayout.directory) || $0.key == IdempotencyLayout.legacyPath }
        var unreadable: [String] = []
        var estimate: Int?
        let keyBytes = keyShards.values.reduce(Int64(0)) { $0 + $1.size }
        if let sample = keyShards.max(by: { ($0.value.size, $1.key) < ($1.value.size, $0.key) }) {
            do {
                if let bytes = try generation.bytes(sample.key, fs: fs) {
                    let keys = try IdempotencySchema.readList(bytes).count
                    estimate = sample.value.size > 0 ? Int(Double(keys) * Double(keyBytes) / Double(sample.value.size)) : 0
                }
            } catch {
                unreadable.append("\(generation.path)/\(sample.key): \(error)")
            }
        }
        var pin: UInt64?
        var pinProblem: String?
        do { pin = try retentionPin() } catch { pinProblem = error.description }
        return StoreStatus(
            format: format, lastSequence: lastSequence, generation: m.generation, generationLastSequence: m.lastSequence,
            generationWrittenAt: fs.modificationTime(generation.path + "/manifest.json"), generationBytes: generationBytes,
            newestGenerationOnDisk: onDisk.first, generationsOnDisk: onDisk.count, unusableGenerations: unusable,
            journalRecords: lastSequence >= m.lastSequence ? lastSequence - m.lastSequence : 0, journalBytes: journalBytes,
            journalSegments: live.count, eventSegments: folded.count, eventBytes: eventBytes,
            oldestEventSequence: folded.first?.first, oldestEventWrittenAt: folded.first.flatMap { fs.modificationTime($0.path) },
            idempotencyShards: keyShards.count, idempotencyBytes: keyBytes,
            idempotencyKeysInJournal: touchedKeys.count, idempotencyKeysEstimate: estimate, unreadable: unreadable, retentionPin: pin, retentionPinProblem: pinProblem,
            damage: damage, missingRecords: missingRecords, readOnlyReason: readOnlyReason, notices: notices)
    }
}
