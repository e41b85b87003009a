#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A detached POSIX thread for blocking C work (libgit2, the libcurl multi loop) that must stay off the cooperative
/// pool. Foundation's `Thread` would do, but it lives in full Foundation, which statically links ICU (34 MB of data,
/// several MiB resident) into every controller; the toolkit's runtime paths use FoundationEssentials only.
enum DetachedThread {
    /// Starts `body` on a new detached thread named `name` (Linux keeps 15 bytes) with `stackSize` bytes of stack
    /// (0: the system default). Returns false when the thread could not be created; `body` then never runs.
    @discardableResult
    static func start(name: String, stackSize: Int = 0, _ body: @escaping @Sendable () -> Void) -> Bool {
        let box = Unmanaged.passRetained(ThreadBody(name: name, body: body))
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        if stackSize > 0 { pthread_attr_setstacksize(&attributes, stackSize) }
        #if canImport(Glibc)
        var thread = pthread_t()
        #else
        var thread: pthread_t?
        #endif
        let status = pthread_create(&thread, &attributes, { raw in
            guard let raw else { return nil }
            let body = Unmanaged<ThreadBody>.fromOpaque(raw).takeRetainedValue()
            ThreadNaming.setCurrentThreadName(body.name)
            body.body()
            return nil
        }, box.toOpaque())
        if status != 0 {
            box.release()
            return false
        }
        return true
    }

    /// Sleeps the calling (non-cooperative) thread.
    static func sleep(milliseconds: Int) {
        usleep(useconds_t(milliseconds * 1000))
    }
}

/// What a new thread runs; immutable, so sharing it with the thread is safe.
private final class ThreadBody: Sendable {
    let name: String
    let body: @Sendable () -> Void

    init(name: String, body: @escaping @Sendable () -> Void) {
        self.name = name
        self.body = body
    }
}

/// `pthread_setname_np`, looked up at run time (Glibc's Swift module does not export the GNU extension), so
/// `top -H` and debuggers show what each thread is for.
private enum ThreadNaming {
    private typealias SetName = @convention(c) (pthread_t, UnsafePointer<CChar>) -> Int32

    private static let setName: SetName? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pthread_setname_np") else { return nil }
        return unsafeBitCast(symbol, to: SetName.self)
    }()

    static func setCurrentThreadName(_ name: String) {
        guard let setName else { return }
        _ = setName(pthread_self(), String(decoding: name.utf8.prefix(15), as: UTF8.self))
    }
}
