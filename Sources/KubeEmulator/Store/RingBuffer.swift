/// A fixed-capacity FIFO that overwrites its oldest element when full.
struct RingBuffer<Element> {
    private var storage: [Element?]
    private var head = 0
    private(set) var count = 0

    init(capacity: Int) {
        storage = Array(repeating: nil, count: max(1, capacity))
    }

    var capacity: Int { storage.count }

    /// Appends `element`; returns the element it displaced when the buffer was full.
    @discardableResult
    mutating func append(_ element: Element) -> Element? {
        let index = (head + count) % storage.count
        if count == storage.count {
            let displaced = storage[head]
            storage[head] = element
            head = (head + 1) % storage.count
            return displaced
        }
        storage[index] = element
        count += 1
        return nil
    }

    /// The element at logical position `i` (0 = oldest).
    subscript(i: Int) -> Element {
        guard i >= 0, i < count, let element = storage[(head + i) % storage.count] else {
            preconditionFailure("ring buffer position \(i) is outside 0..<\(count)")
        }
        return element
    }

    /// The first logical position whose element satisfies `predicate`, assuming elements are partitioned
    /// (all non-matching before all matching); `count` when none match.
    func partitionPoint(_ predicate: (Element) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let mid = (low + high) / 2
            if predicate(self[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
