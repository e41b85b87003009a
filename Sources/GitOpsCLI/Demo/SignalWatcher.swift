import Dispatch
import Foundation

/// The write end of the self-pipe the signal handler writes to: set once, before the handler is installed.
nonisolated(unsafe) private var signalPipeWriteEnd: Int32 = -1

/// The handler: one byte with the signal number into the pipe (`write` is async-signal-safe; errno is preserved).
private let forwardSignal: @convention(c) (Int32) -> Void = { number in
    let savedErrno = errno
    var byte = UInt8(truncatingIfNeeded: number)
    _ = write(signalPipeWriteEnd, &byte, 1)
    errno = savedErrno
}

/// Delivers SIGINT and SIGTERM as an async sequence instead of letting them kill the process, so the demo can stop
/// what it started first.
///
/// A classic self-pipe: a `sigaction` handler writes the signal number to a pipe whose read end a dispatch read
/// source drains. (Dispatch signal sources alone are not enough on Linux: they only see signals blocked in every
/// thread, and threads already running when gok starts do not block them.) A signal the process inherited as
/// ignored — SIGINT of a background job — stays ignored, as shells expect. Children get default handlers back
/// (`ChildProcess`). Create one watcher per process and keep it alive while `signals` is used.
final class SignalWatcher {
    let signals: AsyncStream<Int32>
    /// Feeds `signals` directly, for a stop request that is not a signal (a closed stdout).
    let continuation: AsyncStream<Int32>.Continuation
    private let reader: any DispatchSourceRead

    init(_ numbers: [Int32] = [SIGINT, SIGTERM]) throws(DemoError) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw DemoError("pipe() failed: \(String(cString: strerror(errno)))") }
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        signalPipeWriteEnd = fds[1]
        let readEnd = fds[0]
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        signals = stream
        self.continuation = continuation
        reader = DispatchSource.makeReadSource(fileDescriptor: readEnd, queue: .global())
        reader.setEventHandler {
            var buffer = [UInt8](repeating: 0, count: 16)
            let count = read(readEnd, &buffer, buffer.count)
            for byte in buffer.prefix(max(count, 0)) { continuation.yield(Int32(byte)) }
        }
        reader.resume()
        for number in numbers {
            var current = sigaction()
            sigaction(number, nil, &current)
            let ignored = unsafeBitCast(SIG_IGN, to: Int.self)
            if unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self) == ignored { continue }
            var action = sigaction()
            action.__sigaction_handler.sa_handler = forwardSignal
            action.sa_flags = SA_RESTART
            sigemptyset(&action.sa_mask)
            sigaction(number, &action, nil)
        }
    }

    /// The next signal of `signals`, or nil when the waiting task is cancelled.
    static func next(of signals: AsyncStream<Int32>) async -> Int32? {
        for await number in signals { return number }
        return nil
    }

    static func name(_ number: Int32) -> String {
        switch number {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        case SIGPIPE: "SIGPIPE (stdout closed)"
        default: "signal \(number)"
        }
    }
}
