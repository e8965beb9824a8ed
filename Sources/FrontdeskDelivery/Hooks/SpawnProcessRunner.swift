import CSystemCalls
import FrontdeskStore
#if canImport(Glibc)
import Glibc
#endif

/// `ProcessRunner` over `posix_spawn`: no shell, its own process group (so a time-out kills
/// whatever it started), stdin from a pipe, stdout and stderr captured (last 2 KB kept).
public struct SpawnProcessRunner: ProcessRunner {
    /// How much of the hook's output is kept for the delivery log.
    public var outputLimit = 2048

    /// Also ignores SIGPIPE in this process: a hook that exits without reading its stdin must
    /// fail the attempt, not kill the deliverer. Hooks get the default disposition back.
    public init() {
        signal(SIGPIPE, SIG_IGN)
    }

    /// Never starts a hook in a secure execution (`frontdesk` setgid to the store's group, run by
    /// a member of staff): the hook would run as that user with the group's access to the store.
    public func run(executable: String, arguments: [String], environment: [String: String], stdin input: [UInt8], timeout: Double) -> ProcessOutcome {
        guard !SecureExecution.isActive else {
            return .failedToStart("\(executable): hooks are not run by the setgid frontdesk; run `frontdesk deliver` as a service account in the store's group")
        }
        var inPipe: [Int32] = [0, 0], outPipe: [Int32] = [0, 0]
        guard Self.cloexecPipe(&inPipe) else { return .failedToStart("pipe: \(String(cString: strerror(errno)))") }
        guard Self.cloexecPipe(&outPipe) else {
            close(inPipe[0]); close(inPipe[1])
            return .failedToStart("pipe: \(String(cString: strerror(errno)))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 2)
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attr, 0)
        var none = sigset_t(); sigemptyset(&none)
        posix_spawnattr_setsigmask(&attr, &none)
        var defaults = sigset_t(); sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE); sigaddset(&defaults, SIGTERM); sigaddset(&defaults, SIGINT)
        posix_spawnattr_setsigdefault(&attr, &defaults)

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in argv { free(p) }; for p in envp { free(p) } }
        var pid: pid_t = 0
        var rc = posix_spawn(&pid, executable, &actions, &attr, argv, envp)
        // A file just written is "busy" while any process still holds a write descriptor of it:
        // a fork elsewhere in this process (between its fork and exec) is enough. That clears
        // in moments, so wait a little before calling the hook unstartable.
        var busyRetries = 0
        while rc == ETXTBSY && busyRetries < 20 {
            busyRetries += 1
            usleep(useconds_t(busyRetries * 5_000))
            rc = posix_spawn(&pid, executable, &actions, &attr, argv, envp)
        }
        close(inPipe[0]); close(outPipe[1])
        guard rc == 0 else {
            close(inPipe[1]); close(outPipe[0])
            return .failedToStart("\(executable): \(String(cString: strerror(rc)))")
        }
        return supervise(pid: pid, stdinFD: inPipe[1], outputFD: outPipe[0], input: input, timeout: timeout)
    }

    /// A pipe whose ends are closed on exec (the child gets only the dup2'ed copies).
    private static func cloexecPipe(_ fds: inout [Int32]) -> Bool {
        // Atomically, so a fork in another thread cannot inherit an end without the flag.
        pipe2(&fds, O_CLOEXEC) == 0
    }

    /// Feeds stdin, collects output and waits, all in one poll loop; kills the group at the deadline.
    private func supervise(pid: pid_t, stdinFD: Int32, outputFD: Int32, input: [UInt8], timeout: Double) -> ProcessOutcome {
        var inFD = stdinFD
        var outFD = outputFD
        _ = fcntl(inFD, F_SETFL, fcntl(inFD, F_GETFL) | O_NONBLOCK)
        var written = 0
        if input.isEmpty { close(inFD); inFD = -1 }
        var output: [UInt8] = []
        var status: Int32 = 0
        var exited = false
        var timedOut = false
        var start = timespec(); clock_gettime(CLOCK_MONOTONIC, &start)
        func elapsed() -> Double {
            var now = timespec(); clock_gettime(CLOCK_MONOTONIC, &now)
            return Double(now.tv_sec - start.tv_sec) + Double(now.tv_nsec - start.tv_nsec) / 1e9
        }
        var buf = [UInt8](repeating: 0, count: 4096)
        while true {
            if !exited {
                let r = waitpid(pid, &status, WNOHANG)
                if r == pid { exited = true }
            }
            // After exit, drain what is left; a grandchild keeping the pipe open is not waited for.
            if exited && outFD < 0 { break }
            if elapsed() > timeout && !timedOut && !exited {
                timedOut = true
                kill(-pid, SIGKILL)
                kill(pid, SIGKILL)
            }
            var fds: [pollfd] = []
            if outFD >= 0 { fds.append(pollfd(fd: outFD, events: Int16(POLLIN), revents: 0)) }
            if inFD >= 0 { fds.append(pollfd(fd: inFD, events: Int16(POLLOUT), revents: 0)) }
            _ = poll(&fds, nfds_t(fds.count), exited ? 50 : 10)
            var sawOutput = false
            for f in fds where f.revents != 0 {
                if f.fd == outFD {
                    let n = buf.withUnsafeMutableBytes { read(outFD, $0.baseAddress, $0.count) }
                    if n > 0 {
                        output += buf[0..<n]
                        if output.count > outputLimit { output.removeFirst(output.count - outputLimit) }
                        sawOutput = true
                    } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
                        close(outFD); outFD = -1
                    }
                } else if f.fd == inFD {
                    if f.revents & Int16(POLLOUT) != 0 {
                        let n = input.withUnsafeBytes { write(inFD, $0.baseAddress! + written, $0.count - written) }
                        if n > 0 { written += n }
                        if n < 0 && errno != EAGAIN && errno != EINTR { close(inFD); inFD = -1 }   // hook closed stdin
                    } else { close(inFD); inFD = -1 }
                    if inFD >= 0 && written >= input.count { close(inFD); inFD = -1 }
                }
            }
            if exited && !sawOutput && outFD >= 0 {
                // Exited and nothing more arrived within the poll interval: stop reading.
                close(outFD); outFD = -1
            }
        }
        if inFD >= 0 { close(inFD) }
        if outFD >= 0 { close(outFD) }
        if !exited { waitpid(pid, &status, 0) }
        let text = String(decoding: output, as: UTF8.self)
        if timedOut { return .timedOut(output: text) }
        let sig = status & 0x7f
        if sig == 0 { return .exited(status: (status >> 8) & 0xff, output: text) }
        return .signalled(signal: sig, output: text)
    }
}
