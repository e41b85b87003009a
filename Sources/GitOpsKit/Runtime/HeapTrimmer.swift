#if canImport(Glibc)
import Glibc
#endif

/// Hands memory that the C allocator holds free back to the kernel.
///
/// glibc keeps freed heap pages in its per-thread arenas; after a listing or a burst of watch events (many
/// short-lived decoded objects between long-lived cache entries) that is tens of MiB of resident memory nobody
/// uses. `malloc_trim(0)` returns those pages (as Go's scavenger does). Looked up at run time: a no-op where the
/// C library has no such call.
public enum HeapTrimmer {
    private typealias TrimFunction = @convention(c) (Int) -> Int32

    private static let trim: TrimFunction? = {
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: TrimFunction.self)
        #else
        return nil
        #endif
    }()

    /// Returns free heap pages to the kernel; takes about a millisecond per 10 MiB of heap.
    public static func releaseFreeMemory() {
        _ = trim?(0)
    }
}
