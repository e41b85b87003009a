import GitOpsKit

extension StructuralSchema: CustomResourceSchema {}

/// Builds the schema engine for a CRD version's `openAPIV3Schema`.
enum CustomResourceSchemas {
    /// nil when the schema is unusable (the CRD's validation reports it).
    static let build: @Sendable (JSONValue) -> (any CustomResourceSchema)? = { schema in
        try? StructuralSchema(openAPIV3Schema: schema)
    }
}
