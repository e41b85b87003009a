import FoundationEssentials

/// Timestamps as Kubernetes writes them, on top of the API's ``KubeTime``: `metav1.Time`
/// (`2024-01-02T03:04:05Z`) and `metav1.MicroTime` (`2024-01-02T03:04:05.123456Z`, Leases and events.k8s.io).
enum RFC3339 {
    /// `date` in UTC with whole seconds (`metav1.Time`).
    static func seconds(_ date: Date) -> String {
        KubeTime(date).description
    }

    /// `date` in UTC with exactly six fraction digits (`metav1.MicroTime`).
    static func micro(_ date: Date) -> String {
        let time = KubeTime(date)
        let micros = String(min(Int(time.nanoseconds) / 1000, 999_999))
        let whole = time.truncatedToSeconds.description
        return String(whole.dropLast()) + "." + String(repeating: "0", count: 6 - micros.count) + micros + "Z"
    }

    /// Parses RFC 3339 with or without a fraction and with `Z` or an offset; nil when malformed.
    static func parse(_ text: String) -> Date? {
        (try? KubeTime(parsing: text))?.date
    }
}
