import GitOpsKit

/// A failed HTTP GET from a Helm repository, in words for a condition message.
struct HelmFetchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A source reconcile failure with the condition it maps to: `FetchFailed` (clone, download, credentials, chart
/// reference), `BuildFailed` (values files, packaging) or `StorageOperationFailed` (archive, storage).
struct SourceFailure: Error, CustomStringConvertible {
    enum Kind { case fetch, build, storage }
    var kind: Kind
    var reason: ConditionReason
    var message: String

    static func fetch(reason: ConditionReason, message: String) -> Self { Self(kind: .fetch, reason: reason, message: message) }
    static func build(reason: ConditionReason, message: String) -> Self { Self(kind: .build, reason: reason, message: message) }
    static func storage(reason: ConditionReason, message: String) -> Self {
        Self(kind: .storage, reason: reason, message: message)
    }

    var description: String { "\(reason.rawValue): \(message)" }

    /// The negative condition this failure sets.
    var conditionType: ConditionType {
        switch kind {
        case .fetch: .fetchFailed
        case .build: .buildFailed
        case .storage: .storageOperationFailed
        }
    }
}

extension ConditionReason {
    /// HelmChart build reasons (source-controller `internal/helm/chart/errors.go`).
    static let invalidChartReference: Self = "InvalidChartReference"
    static let chartPullError: Self = "ChartPullError"
    static let metadataPatchError: Self = "MetadataPatchError"
    static let valuesFilesError: Self = "ValuesFilesError"
    static let chartPackageError: Self = "ChartPackageError"
    /// The HelmChart's source object could not be read.
    static let sourceUnavailable: Self = "SourceUnavailable"
    /// The HelmChart's source has no artifact yet.
    static let noSourceArtifact: Self = "NoSourceArtifact"
}
