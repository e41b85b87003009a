/// The type of an event: Kubernetes' `Normal`/`Warning`, plus Flux's `Trace` (recorded in Kubernetes as `Normal`,
/// never forwarded to notification-controller).
public enum EventType: String, Sendable, Hashable {
    case normal = "Normal"
    case warning = "Warning"
    case trace = "Trace"

    /// Flux's event severity: `Warning` → `error`, `Trace` → `trace`, otherwise `info`.
    public var severity: String {
        switch self {
        case .normal: "info"
        case .warning: "error"
        case .trace: "trace"
        }
    }

    /// The `type` written on the Kubernetes Event.
    public var kubernetesType: String { self == .warning ? "Warning" : "Normal" }
}
