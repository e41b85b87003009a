import GitOpsKit
import Synchronization

/// Charts already downloaded and loaded, by artifact digest: an in-sync HelmRelease re-reconciles every interval,
/// and without this each reconcile downloaded, digest-checked and unpacked the same archive again. A digest names
/// the archive's exact bytes, so an entry never goes stale; the least recently used ones are dropped beyond
/// `capacity`.
public final class LoadedChartCache: Sendable {
    private struct Entry {
        var chart: ChartContents
        var lastUse: UInt64
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var clock: UInt64 = 0
    }

    private let state = Mutex(State())
    public let capacity: Int

    public init(capacity: Int = 16) {
        self.capacity = capacity
    }

    public func chart(digest: String) -> ChartContents? {
        state.withLock { state in
            state.clock += 1
            state.entries[digest]?.lastUse = state.clock
            return state.entries[digest]?.chart
        }
    }

    public func store(_ chart: ChartContents, digest: String) {
        state.withLock { state in
            state.clock += 1
            state.entries[digest] = Entry(chart: chart, lastUse: state.clock)
            while state.entries.count > capacity, let oldest = state.entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
                state.entries[oldest.key] = nil
            }
        }
    }

    var count: Int { state.withLock { $0.entries.count } }
}
