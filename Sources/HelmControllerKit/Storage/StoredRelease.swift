import GitOpsKit

/// One revision of a Helm release as Helm 3 stores it (`release.Release`): what the real `helm list`, `helm history`
/// and `helm get` read, so releases written here and by Helm are interchangeable.
///
/// The chart is kept as Helm's JSON (`metadata`, `lock`, `templates`, `values`, `schema`, `files`) rather than a typed
/// model: a release written by Helm round-trips without losing fields this toolkit does not model.
public struct StoredRelease: Sendable, Hashable {
    /// Helm's `release.Info`.
    public struct Info: Sendable, Hashable {
        public var firstDeployed: KubeTime?
        public var lastDeployed: KubeTime?
        public var deleted: KubeTime?
        public var description: String
        public var status: ReleaseStatus
        public var notes: String

        public init(firstDeployed: KubeTime? = nil, lastDeployed: KubeTime? = nil, deleted: KubeTime? = nil,
                    description: String = "", status: ReleaseStatus, notes: String = "") {
            self.firstDeployed = firstDeployed
            self.lastDeployed = lastDeployed
            self.deleted = deleted
            self.description = description
            self.status = status
            self.notes = notes
        }
    }

    /// Helm's `release.Hook`: a hook manifest and the outcome of its last run.
    public struct Hook: Sendable, Hashable {
        public var name: String
        public var kind: String
        /// The chart-relative template path (`mychart/templates/tests/test.yaml`).
        public var path: String
        public var manifest: String
        /// `pre-install`, `post-upgrade`, `test`, …
        public var events: [String]
        public var weight: Int
        /// `before-hook-creation`, `hook-succeeded`, `hook-failed`.
        public var deletePolicies: [String]
        public var lastRun: Execution

        /// Helm's `release.HookExecution`.
        public struct Execution: Sendable, Hashable {
            public var startedAt: KubeTime?
            public var completedAt: KubeTime?
            /// `Unknown`, `Running`, `Succeeded`, `Failed`; empty when the hook never ran.
            public var phase: String

            public init(startedAt: KubeTime? = nil, completedAt: KubeTime? = nil, phase: String = "") {
                self.startedAt = startedAt
                self.completedAt = completedAt
                self.phase = phase
            }
        }

        public init(name: String, kind: String, path: String, manifest: String, events: [String], weight: Int = 0,
                    deletePolicies: [String] = [], lastRun: Execution = Execution()) {
            self.name = name
            self.kind = kind
            self.path = path
            self.manifest = manifest
            self.events = events
            self.weight = weight
            self.deletePolicies = deletePolicies
            self.lastRun = lastRun
        }
    }

    public var name: String
    public var namespace: String
    /// The revision, from 1.
    public var version: Int
    public var info: Info
    /// Helm's chart JSON (see ``chartRecord(metadata:templates:values:schema:files:)``).
    public var chart: JSONValue
    /// The values the user supplied (not the chart's defaults): what `helm get values` prints.
    public var config: JSONValue
    /// The rendered manifests, `---\n# Source: …` framed, hooks excluded.
    public var manifest: String
    public var hooks: [Hook]
    /// Labels beyond Helm's system labels, stored on the Secret only.
    public var labels: [String: String]

    public init(name: String, namespace: String, version: Int, info: Info, chart: JSONValue,
                config: JSONValue = .object([:]), manifest: String, hooks: [Hook] = [], labels: [String: String] = [:]) {
        self.name = name
        self.namespace = namespace
        self.version = version
        self.info = info
        self.chart = chart
        self.config = config
        self.manifest = manifest
        self.hooks = hooks
        self.labels = labels
    }

    /// The chart's name from its metadata.
    public var chartName: String { chart[path: "metadata", "name"]?.stringValue ?? "" }
    /// The chart's version from its metadata.
    public var chartVersion: String { chart[path: "metadata", "version"]?.stringValue ?? "" }
    /// The chart's appVersion from its metadata.
    public var appVersion: String { chart[path: "metadata", "appVersion"]?.stringValue ?? "" }

    /// Helm's chart JSON: `metadata` (Chart.yaml as parsed), `lock` (none), `templates` and `files` as
    /// `{name, data: base64}`, the default `values`, and `schema` (base64) when the chart has one.
    public static func chartRecord(metadata: JSONValue, templates: [(path: String, data: [UInt8])], values: JSONValue,
                                   schema: [UInt8]?, files: [(path: String, data: [UInt8])]) -> JSONValue {
        func file(_ entry: (path: String, data: [UInt8])) -> JSONValue {
            .object(["name": .string(entry.path), "data": .string(Base64Text.encode(entry.data))])
        }
        return .object([
            "metadata": metadata,
            "lock": .null,
            "templates": .array(templates.map(file)),
            "values": values,
            "schema": schema.map { .string(Base64Text.encode($0)) } ?? .null,
            "files": .array(files.map(file)),
        ])
    }
}
