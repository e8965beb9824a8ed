extension PostgresStoreError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .invalidURL(let url, let message): "\(url): \(message)"
        case .passwordFile(let path, let message): "\(path): \(message)"
        case .serviceFile(let path, let message): "\(path): \(message)"
        case .certificate(let path, let message): "\(path): \(message)"
        case .connect(let url, let message): "\(url): cannot connect: \(message)"
        case .server(let state, let message, let detail, _):
            "the database refused (\(state)): \(message)" + (detail.map { " (\($0))" } ?? "")
        case .newerSchema(let found, let supported):
            "the database's schema is version \(found), newer than this frontdesk knows (\(supported)): use a newer frontdesk"
        case .schemaBehind(let found, let required):
            found == 0 ? "the database has no Frontdesk schema: run frontdesk migrate-schema (or init) first"
                : "the database's schema is version \(found), this frontdesk needs \(required): run frontdesk migrate-schema"
        case .damagedSchemaVersion(let message): "schema_version: \(message)"
        case .damagedDocument(let message): "a stored document cannot be read: \(message)"
        case .retriesExhausted(let attempts, let state):
            "the database refused the write \(attempts) times (\(state)): other writers keep changing the same rows; try again"
        }
    }
}
