#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Keeps recursive templates (a template calling itself, `include` re-entering `execute`, deeply nested input) from
/// overflowing the thread's stack: execution and parsing check that a reserve of stack is left and fail with an
/// error otherwise.
///
/// The stack's bounds come from `pthread_getattr_np` once per thread (cached in thread-specific storage: on the
/// main thread glibc reads /proc/self/maps for it, ~200 µs). Measured here: the main thread and Swift concurrency's
/// cooperative threads both have 8 MiB stacks; threads created with smaller stacks get a proportionally smaller
/// reserve.
enum StackGuard {
    /// The stack's lowest address and size for the current thread, or nil when they cannot be determined.
    private struct Bounds {
        var low: Int
        var size: Int
    }

    private typealias GetAttr = @convention(c) (pthread_t, UnsafeMutablePointer<pthread_attr_t>) -> Int32

    private static let key: pthread_key_t? = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { pointer in
            pointer?.deallocate()
        }
        return status == 0 ? key : nil
    }()

    private static func currentBounds() -> Bounds? {
        guard let key else { return nil }
        if let cached = pthread_getspecific(key) {
            let values = cached.assumingMemoryBound(to: Int.self)
            return values[1] > 0 ? Bounds(low: values[0], size: values[1]) : nil
        }
        var bounds = Bounds(low: 0, size: 0)
        #if os(Linux)
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pthread_getattr_np") {
            let getAttr = unsafeBitCast(symbol, to: GetAttr.self)
            var attributes = pthread_attr_t()
            if getAttr(pthread_self(), &attributes) == 0 {
                var address: UnsafeMutableRawPointer?
                var size = 0
                if pthread_attr_getstack(&attributes, &address, &size) == 0, let address {
                    bounds = Bounds(low: Int(bitPattern: address), size: size)
                }
                pthread_attr_destroy(&attributes)
            }
        }
        #elseif canImport(Darwin)
        let top = Int(bitPattern: pthread_get_stackaddr_np(pthread_self()))
        let size = pthread_get_stacksize_np(pthread_self())
        bounds = Bounds(low: top - size, size: size)
        #endif
        let storage = UnsafeMutableRawPointer.allocate(byteCount: 2 * MemoryLayout<Int>.size, alignment: MemoryLayout<Int>.alignment)
        let values = storage.bindMemory(to: Int.self, capacity: 2)
        values[0] = bounds.low
        values[1] = bounds.size
        pthread_setspecific(key, storage)
        return bounds.size > 0 ? bounds : nil
    }

    /// The stack kept free for the work done between two checks (function calls, printing, nested data).
    static func reserve(forStackSize size: Int) -> Int { min(max(size / 8, 128 << 10), size / 2) }

    /// Bytes of stack left below the caller's frame before the reserve, or nil when unknown.
    @inline(never)
    static func available() -> Int? {
        guard let bounds = currentBounds() else { return nil }
        var marker = 0
        let here = withUnsafeMutablePointer(to: &marker) { Int(bitPattern: $0) }
        return here - bounds.low - reserve(forStackSize: bounds.size)
    }

    /// Whether there is room for one more level of recursion. Unknown bounds fall back to a depth limit.
    static func hasRoom(depth: Int) -> Bool {
        if let available = available() { return available > 0 }
        return depth < 1000
    }
}
