#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs work on a new thread with a large stack and waits for it.
///
/// Helm lets `include` nest a template 1,000 times before it reports the recursion; an ordinary 8 MiB stack runs
/// out first (GoTemplate then reports Go's depth error instead). The engine retries such a render here so the
/// error is Helm's. Only touched pages of the stack are committed, so the size costs address space, not memory.
enum LargeStack {
    static let size = 512 << 20

    /// Runs `work` on the new thread; false when no thread could be started (then `work` has not run).
    static func run(_ work: @escaping @Sendable () -> Void) -> Bool {
        var attributes = pthread_attr_t()
        guard pthread_attr_init(&attributes) == 0 else { return false }
        defer { pthread_attr_destroy(&attributes) }
        guard pthread_attr_setstacksize(&attributes, size) == 0 else { return false }
        let context = Unmanaged.passRetained(LargeStackJob(work)).toOpaque()
        #if canImport(Darwin)
        var thread: pthread_t?
        #else
        var thread = pthread_t()
        #endif
        let status = pthread_create(&thread, &attributes, { raw in
            #if !canImport(Darwin)
            guard let raw else { return nil }
            #endif
            Unmanaged<LargeStackJob>.fromOpaque(raw).takeRetainedValue().work()
            return nil
        }, context)
        guard status == 0 else {
            Unmanaged<LargeStackJob>.fromOpaque(context).release()
            return false
        }
        #if canImport(Darwin)
        guard let thread else { return false }
        #endif
        pthread_join(thread, nil)
        return true
    }
}

/// The work of one `LargeStack.run`, handed to the thread.
private final class LargeStackJob: Sendable {
    let work: @Sendable () -> Void

    init(_ work: @escaping @Sendable () -> Void) {
        self.work = work
    }
}

/// A result written by a `LargeStack` thread and read after it was joined (`pthread_join` orders the accesses).
final class LargeStackResult<Value>: @unchecked Sendable {
    var value: Value?
}
