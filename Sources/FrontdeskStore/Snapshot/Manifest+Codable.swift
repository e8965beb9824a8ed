import FrontdeskCore

extension Manifest: Codable {
    enum CodingKeys: String, CodingKey {
        case format, generation, lastSequence, counters, maxBookingSeconds, files
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let table = try c.decode(FileTable.self, forKey: .files)
        self.init(format: try c.decode(Int.self, forKey: .format),
                  generation: try c.decode(UInt64.self, forKey: .generation),
                  lastSequence: try c.decode(UInt64.self, forKey: .lastSequence),
                  counters: try c.decode(Counters.self, forKey: .counters),
                  maxBookingSeconds: try c.decode(Int64.self, forKey: .maxBookingSeconds),
                  files: table.entries, partitionsInOrder: table.partitionsInOrder)
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(format, forKey: .format)
        try c.encode(generation, forKey: .generation)
        try c.encode(lastSequence, forKey: .lastSequence)
        try c.encode(counters, forKey: .counters)
        try c.encode(maxBookingSeconds, forKey: .maxBookingSeconds)
        try c.encode(files, forKey: .files)
    }

    /// The `files` object, read straight from the store decoder's tokens when it has the usual
    /// shape.
    ///
    /// Every process reads the manifest when it opens the store, and a million-booking store's
    /// manifest lists thousands of files: through `Decodable` (a container and two keyed lookups
    /// per entry) reading them would be most of an open. Anything unusual (another decoder, an
    /// escaped key, a missing or extra field, a wrong type) takes the `Decodable` path, which
    /// reports it as it reports any malformed manifest.
    struct FileTable: Decodable {
        var entries: [String: FileEntry]
        /// The partition keys in the order the text lists them (writers sort their keys).
        var partitionsInOrder: [String]

        init(from decoder: any Decoder) throws {
            if let d = decoder as? JSONValueDecoder, let fast = FileTable.read(d.doc, object: d.current) {
                self = fast
            } else {
                entries = try [String: FileEntry](from: decoder)
                partitionsInOrder = entries.keys.compactMap(Manifest.partitionKey)
            }
        }

        init(entries: [String: FileEntry], partitionsInOrder: [String]) {
            self.entries = entries
            self.partitionsInOrder = partitionsInOrder
        }

        /// The entries of the object at token `object`, or nil if it is not the plain shape
        /// `{"path": {"crc": "hex", "size": integer}, ...}` with unescaped ASCII keys.
        ///
        /// - Complexity: O(entries).
        static func read(_ doc: JSONDocument, object: Int) -> FileTable? {
            let header = doc.tokens[object]
            guard header.kind == .object, header.flags & JSONToken.Flag.slowKeys == 0 else { return nil }
            var entries: [String: FileEntry] = [:]
            entries.reserveCapacity(Int(header.a))
            var partitions: [String] = []
            partitions.reserveCapacity(Int(header.a))
            var pos = object + 1
            let end = Int(header.b)
            while pos < end {
                let key = doc.tokens[pos], value = doc.tokens[pos + 1]
                guard key.flags == 0, value.kind == .object, value.a == 2, value.flags & JSONToken.Flag.slowKeys == 0 else { return nil }
                var crc: String?, size: Int64?
                var member = pos + 2
                for _ in 0..<2 {
                    let name = doc.tokens[member], v = doc.tokens[member + 1]
                    guard name.flags == 0 else { return nil }
                    if doc.raw(name).elementsEqual("crc".utf8), v.kind == .string, v.flags == 0 {
                        crc = doc.string(v)
                    } else if doc.raw(name).elementsEqual("size".utf8), v.kind == .number {
                        size = JSONNumber.signed(doc.raw(v), plain: v.flags == 0, as: Int64.self)
                    }
                    member = doc.next(at: member + 1)
                }
                guard let crc, let size else { return nil }
                let path = doc.string(key)
                if let partition = Manifest.partitionKey(path) { partitions.append(partition) }
                entries[path] = FileEntry(crc: crc, size: size)
                pos = Int(value.b)
            }
            return FileTable(entries: entries, partitionsInOrder: partitions)
        }
    }
}
