import Foundation
import FrontdeskCore
import FrontdeskStore

/// Opens the terminal front desk (wired to FrontdeskTUI when that module lands).
enum TUILauncher {
    static func run(global: GlobalOptions, date: String?, theme: String?, demo: Bool) throws -> Int32 {
        let dir = global.dataDirectory
        if demo && !FileManager.default.fileExists(atPath: dir + "/FORMAT") {
            let store = try Store.create(at: dir, clock: SystemClock(), options: Session.storeOptions(user: Session.currentActor(source: .tui).user))
            _ = try DemoSeeder.seed(store, actor: Session.currentActor(source: .tui))
        }
        throw CLIError.usage("the terminal front desk is not available in this build; use the subcommands (frontdesk --help)")
    }
}
