/// Names and lists journal segments: `journal/<first-seq, 20 digits>.jsonl`.
package enum Journal {
    /// `n` in 20 decimal digits (the most a `UInt64` has), zero-padded; written straight into
    /// the string, since a writer names two segments on every commit (`catchUp`).
    package static func pad(_ n: UInt64) -> String {
        String(unsafeUninitializedCapacity: 20) { out in
            var m = n
            for i in stride(from: 19, through: 0, by: -1) {
                out[i] = UInt8(ascii: "0") + UInt8(m % 10)
                m /= 10
            }
            return 20
        }
    }

    static func segmentName(_ first: UInt64) -> String { pad(first) + ".jsonl" }

    /// The segments in a journal directory, by first sequence number, ascending.
    package static func segments(in dir: String, fs: any FileSystem) throws(StoreError) -> [(first: UInt64, path: String)] {
        var out: [(UInt64, String)] = []
        for name in try fs.list(dir) where name.hasSuffix(".jsonl") && name.count == 26 {
            if let n = UInt64(name.prefix(20)) { out.append((n, dir + "/" + name)) }
        }
        return out.sorted { $0.0 < $1.0 }.map { (first: $0.0, path: $0.1) }
    }
}
