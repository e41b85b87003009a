/// What rendering a release produces, sorted the way Helm installs it: the manifests (by kind), the hooks, the
/// NOTES.txt text and the chart's CRDs.
public struct RenderedRelease: Sendable {
    /// One YAML document of a rendered template.
    public struct Manifest: Sendable, Equatable {
        /// The template it came from (`mychart/templates/service.yaml`).
        public var path: String
        /// The document, trimmed.
        public var content: String
        public var apiVersion: String
        public var kind: String
        public var name: String

        /// Public for documents made outside the engine (helm-controller's post-renderers).
        public init(path: String, content: String, apiVersion: String, kind: String, name: String) {
            self.path = path
            self.content = content
            self.apiVersion = apiVersion
            self.kind = kind
            self.name = name
        }
    }

    /// A document annotated with `helm.sh/hook`.
    public struct Hook: Sendable, Equatable {
        public var path: String
        public var kind: String
        public var name: String
        /// `pre-install`, `post-upgrade`, `test`, … (lower-cased, `test-success` read as `test`).
        public var events: [String]
        /// `helm.sh/hook-weight` (0 when absent or not a number).
        public var weight: Int
        /// `helm.sh/hook-delete-policy` entries, lower-cased.
        public var deletePolicies: [String]
        public var content: String

        /// Whether `helm template --skip-tests` leaves it out.
        public var isTest: Bool { events.contains("test") }
    }

    /// A file of a chart's `crds/` directory (`mychart/crds/crd.yaml`), sent before anything else.
    public struct CRD: Sendable, Equatable {
        public var path: String
        public var content: String
    }

    public var manifests: [Manifest]
    public var hooks: [Hook]
    /// The rendered `templates/NOTES.txt` of the top-level chart ("" when there is none).
    public var notes: String
    public var crds: [CRD]
}
