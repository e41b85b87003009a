import Foundation

/// Sizes as Go's `units.HumanSize` prints them in Flux's events (`1.234kB`).
enum HumanSize {
    static func format(_ bytes: Int64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var index = 0
        while value >= 1000 && index < units.count - 1 {
            value /= 1000
            index += 1
        }
        return String(format: "%.4g", value) + units[index]
    }
}
