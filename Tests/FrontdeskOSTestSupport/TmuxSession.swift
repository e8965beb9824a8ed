import Foundation

/// A tmux server of a test's own, with one session `fd`: keys in, screen out, as a person at
/// the terminal would use the front desk.
package final class TmuxSession {
    package let socket = "fdtest-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"

    package init() {}

    /// Runs a tmux command with posix_spawn and waitpid. Foundation's Process is not used:
    /// the first command starts the tmux server, which inherits the descriptors Process
    /// watches for the child's exit, so waiting on it never returns.
    @discardableResult
    package func run(_ args: [String], capture: Bool = false) -> String {
        let out = NSTemporaryDirectory() + "fdtmux-\(UUID().uuidString)"
        defer { unlink(out) }
        let argv = ["/usr/bin/env", "tmux", "-L", socket] + args
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, capture ? out : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var cargs = argv.map { strdup($0) } + [nil]
        defer { for a in cargs { free(a) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, "/usr/bin/env", &actions, nil, &cargs, environ) == 0 else { return "" }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return capture ? ((try? String(contentsOfFile: out, encoding: .utf8)) ?? "") : ""
    }

    /// Sends tmux key names (`Enter`, `C-u`, `j`).
    package func keys(_ k: String...) { run(["send-keys", "-t", "fd"] + k) }

    /// Types `text` literally.
    package func type(_ text: String) { run(["send-keys", "-t", "fd", "-l", text]) }

    /// What the pane shows now.
    package var screen: String { run(["capture-pane", "-p", "-t", "fd"], capture: true) }

    /// Polls the screen until `predicate` holds (tmux and the program run asynchronously).
    /// The limit only keeps a broken run from hanging; callers check the screen it returns.
    package func wait(_ seconds: Double = 30, until predicate: (String) -> Bool) -> String {
        let deadline = Date().addingTimeInterval(seconds)
        var s = screen
        while !predicate(s) && Date() < deadline { usleep(50_000); s = screen }
        return s
    }

    deinit { run(["kill-server"]) }
}
