/// Names and lists journal segments: `journal/<first-seq, 20 digits>.jsonl`.
package enum Journal {
    package static func pad(_ n: UInt64) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, 20 - s.count)) + s
    }

    package static func segmentName(_ first: UInt64) -> String { pad(first) + ".jsonl" }

    /// The segments in a journal directory, by first sequence number, ascending.
    package static func segments(in dir: String, fs: any FileSystem) throws(StoreError) -> [(first: UInt64, path: String)] {
        var out: [(UInt64, String)] = []
        for name in try fs.list(dir) where name.hasSuffix(".jsonl") && name.count == 26 {
            if let n = UInt64(name.prefix(20)) { out.append((n, dir + "/" + name)) }
        }
        return out.sorted { $0.0 < $1.0 }.map { (first: $0.0, path: $0.1) }
    }
}
