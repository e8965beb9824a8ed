import Foundation
import FrontdeskCore
import FrontdeskStore
#if canImport(Glibc)
import Glibc
#endif

/// `frontdesk-storetool bench ...`: the store's side of Benchmarks/run-store-bench.sh.
enum StoreBench {
    static func run(_ args: [String]) {
        print("bench: not yet")
    }
}
