import Foundation
import Synchronization

/// Prints the demo's story: numbered steps with elapsed time, and indented details.
final class DemoNarrator: Sendable {
    private let start = ContinuousClock.now
    private let steps = Mutex(0)

    func step(_ text: String) {
        let number = steps.withLock { count in
            count += 1
            return count
        }
        let seconds = (ContinuousClock.now - start).components.seconds
        print("\n[\(String(format: "%02d:%02d", seconds / 60, seconds % 60))] \(number). \(text)")
    }

    func detail(_ text: String) {
        print("           \(text)")
    }
}
