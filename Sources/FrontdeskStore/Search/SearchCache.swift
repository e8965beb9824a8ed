/// Search index files of one generation already read and decoded: search-as-you-type asks for
/// the same table, chunks and customer index shards keystroke after keystroke.
struct SearchCache {
    /// Chunks, pages and customer index shards kept at most each; beyond, that kind starts over.
    static let capacity = 256
    var generation: UInt64 = 0
    var table: SearchIndex.Table?
    var chunks: [Int: [SearchIndex.Term]] = [:]
    var pages: [Int: [SearchIndex.Posting]] = [:]
    var customerShards: [Int: CustomerIndex.Shard] = [:]

    /// Forgets everything unless it belongs to `generation`.
    mutating func use(_ generation: UInt64) {
        guard generation != self.generation else { return }
        self = SearchCache()
        self.generation = generation
    }
}
