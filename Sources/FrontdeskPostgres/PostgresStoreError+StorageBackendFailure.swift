import FrontdeskCore

extension PostgresStoreError: StorageBackendFailure {}
