import ArgumentParser
import FrontdeskCore
import FrontdeskStore

/// `frontdesk init [--demo]`.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Create a store in the data directory.")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Fill it with realistic sample data around today.") var demo = false

    func run() throws {
        let dir = global.dataDirectory
        let clock = Session.clock
        try Session.createParentDirectories(of: dir)
        let store = try Store.create(at: dir, clock: clock, options: Session.storeOptions(user: Session.currentActor(source: .cli).user))
        var summary = "Created store in \(dir)"
        if demo {
            let n = try DemoSeeder.seed(store, actor: Session.currentActor(source: .cli))
            summary += " with demo data (\(store.state.resources.count) resources, \(n) bookings)"
        }
        if global.json {
            Console.out(Format.json(["data": dir, "resources": String(store.state.resources.count)]))
        } else {
            Console.out(summary)
        }
    }
}

enum DemoSeeder {
    static func seed(_ store: Store, actor: Actor) throws -> Int {
        let zone = Session.displayZone
        return try store.write("init --demo") { state, engine throws(CoreError) in
            try DemoData.plan(in: state, engine: engine, actor: actor, zone: zone)
        }
    }
}
