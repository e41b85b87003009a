import GitOpsKit

/// Builds the schema engine for a CRD version's `openAPIV3Schema`.
enum CustomResourceSchemas {
    static let build: @Sendable (JSONValue) -> (any CustomResourceSchema)? = { _ in nil }
}
