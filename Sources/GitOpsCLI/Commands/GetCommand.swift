import ArgumentParser
import GitOpsKit

/// `gok get …`: the Flux objects with their revision, suspension and readiness, as `flux get` prints them.
struct GetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get", abstract: "Show the status of Flux objects.",
        subcommands: [All.self, Sources.self, Kustomizations.self, HelmReleases.self, Alerts.self, Providers.self,
                      Receivers.self, Images.self])

    struct All: GetSubcommand {
        static let configuration = CommandConfiguration(commandName: "all", abstract: "Show every Flux object.")
        static let resources = FluxResource.all
        @OptionGroup var flags: GetFlags
    }

    struct Sources: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sources", abstract: "Show sources (Git and Helm repositories, Helm charts).",
            subcommands: [All.self, Git.self, Helm.self, Chart.self], defaultSubcommand: All.self)

        struct All: GetSubcommand {
            static let configuration = CommandConfiguration(commandName: "all", abstract: "Show every source.")
            static let resources = FluxResource.sources
            @OptionGroup var flags: GetFlags
        }
        struct Git: GetSubcommand {
            static let configuration = CommandConfiguration(commandName: "git", abstract: "Show GitRepositories.")
            static let resources = [FluxResource.gitRepository]
            @OptionGroup var flags: GetFlags
        }
        struct Helm: GetSubcommand {
            static let configuration = CommandConfiguration(commandName: "helm", abstract: "Show HelmRepositories.")
            static let resources = [FluxResource.helmRepository]
            @OptionGroup var flags: GetFlags
        }
        struct Chart: GetSubcommand {
            static let configuration = CommandConfiguration(commandName: "chart", abstract: "Show HelmCharts.")
            static let resources = [FluxResource.helmChart]
            @OptionGroup var flags: GetFlags
        }
    }

    struct Kustomizations: GetSubcommand {
        static let configuration = CommandConfiguration(commandName: "kustomizations", abstract: "Show Kustomizations.",
                                                        aliases: ["kustomization", "ks"])
        static let resources = [FluxResource.kustomization]
        @OptionGroup var flags: GetFlags
    }

    struct HelmReleases: GetSubcommand {
        static let configuration = CommandConfiguration(commandName: "helmreleases", abstract: "Show HelmReleases.",
                                                        aliases: ["helmrelease", "hr"])
        static let resources = [FluxResource.helmRelease]
        @OptionGroup var flags: GetFlags
    }

    struct Alerts: GetSubcommand {
        static let configuration = CommandConfiguration(commandName: "alerts", abstract: "Show Alerts.", aliases: ["alert"])
        static let resources = [FluxResource.alert]
        @OptionGroup var flags: GetFlags
    }

    struct Providers: GetSubcommand {
        static let configuration = CommandConfiguration(commandName: "providers", abstract: "Show alert Providers.",
                                                        aliases: ["provider", "alert-providers"])
        static let resources = [FluxResource.provider]
        @OptionGroup var flags: GetFlags
    }

    struct Receivers: GetSubcommand {
        static let configuration = CommandConfiguration(commandName: "receivers", abstract: "Show Receivers.", aliases: ["receiver"])
        static let resources = [FluxResource.receiver]
        @OptionGroup var flags: GetFlags
    }

    struct Images: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "images", abstract: "Show image repositories, policies and update automations.",
            subcommands: [All.self, Repository.self, Policy.self, Update.self], defaultSubcommand: All.self)

        struct All: GetSubcommand {
            static let configuration = CommandConfiguration(commandName: "all", abstract: "Show every image object.")
            static let resources = FluxResource.images
            @OptionGroup var flags: GetFlags
        }
        struct Repository: GetSubcommand {
            static let configuration = CommandConfiguration(commandName: "repository", abstract: "Show ImageRepositories.")
            static let resources = [FluxResource.imageRepository]
            @OptionGroup var flags: GetFlags
        }
        struct Policy: GetSubcommand {
            static let configuration = CommandConfiguration(commandName: "policy", abstract: "Show ImagePolicies.")
            static let resources = [FluxResource.imagePolicy]
            @OptionGroup var flags: GetFlags
        }
        struct Update: GetSubcommand {
            static let configuration = CommandConfiguration(commandName: "update", abstract: "Show ImageUpdateAutomations.")
            static let resources = [FluxResource.imageUpdate]
            @OptionGroup var flags: GetFlags
        }
    }
}

struct GetFlags: ParsableArguments {
    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var scope: ScopeOptions

    @Argument(help: "Only this object.")
    var name: String?

    @Option(name: .shortAndLong, help: "Output format: table, yaml or json.")
    var output: OutputFormat = .table

    @Flag(name: [.customShort("w"), .long], help: "After listing, watch for changes.")
    var watch = false

    @Option(name: [.customShort("l"), .long], help: "Only objects with these labels (a label selector).")
    var selector: String?
}

/// A `get` subcommand: lists `resources` with the shared flags.
protocol GetSubcommand: AsyncParsableCommand {
    static var resources: [FluxResource] { get }
    var flags: GetFlags { get }
}

extension GetSubcommand {
    func run() async throws {
        try await CLIRun.guarded {
            try await ObjectLister(flags: flags).run(Self.resources)
        }
    }
}

/// Lists (and watches) Flux objects for `get`.
struct ObjectLister {
    var flags: GetFlags

    private var namespace: String? { flags.scope.allNamespaces ? nil : flags.cluster.namespace }

    func run(_ resources: [FluxResource]) async throws {
        let api = try flags.cluster.client()
        var objects: [(FluxResource, [JSONValue])] = []
        for resource in resources {
            do {
                objects.append((resource, try await list(resource, api: api)))
            } catch let error as KubeError where error.code == .notFound && resources.count > 1 {
                continue  // that controller's CRDs are not installed: `get all` shows what is there
            }
        }
        switch flags.output {
        case .yaml, .json:
            Terminal.output(Terminal.format(objects.flatMap(\.1), as: flags.output))
        case .table:
            printTables(objects, prefixKinds: resources.count > 1)
        }
        if flags.watch {
            guard resources.count == 1 else { throw CLIError("--watch needs one kind, e.g. `gok get kustomizations --watch`") }
            try await watch(resources[0], api: api)
        }
    }

    private func list(_ resource: FluxResource, api: KubeClient) async throws -> [JSONValue] {
        if let name = flags.name {
            let object = try await api.get(resource.kind, ObjectKey(namespace: flags.cluster.namespace, name: name))
            return [object]
        }
        let items = try await api.listAll(resource.kind, namespace: namespace, options: ListOptions(labelSelector: flags.selector)).items
        return items.sorted { Self.sortKey($0) < Self.sortKey($1) }
    }

    private static func sortKey(_ object: JSONValue) -> String {
        "\(object[path: "metadata", "namespace"]?.stringValue ?? "")/\(object[path: "metadata", "name"]?.stringValue ?? "")"
    }

    private func printTables(_ objects: [(FluxResource, [JSONValue])], prefixKinds: Bool) {
        var printed = false
        for (resource, items) in objects where !items.isEmpty {
            let rows = items.map { row(resource, $0, prefixKind: prefixKinds) }
            Terminal.output((printed ? "\n" : "") + Terminal.table(header(resource), rows))
            printed = true
        }
        if !printed {
            Terminal.failure("no \(objects.map { $0.0.kind.kind }.joined(separator: ", ")) objects found in \(namespace.map { "\($0) namespace" } ?? "any namespace")")
        }
    }

    private func header(_ resource: FluxResource) -> [String] {
        (flags.scope.allNamespaces ? ["NAMESPACE"] : []) + resource.headers()
    }

    private func row(_ resource: FluxResource, _ object: JSONValue, prefixKind: Bool) -> [String] {
        var row = resource.row(object)
        if prefixKind { row[0] = resource.kind.kind.lowercased() + "/" + row[0] }
        if flags.scope.allNamespaces { row.insert(object[path: "metadata", "namespace"]?.stringValue ?? "", at: 0) }
        return row
    }

    private func watch(_ resource: FluxResource, api: KubeClient) async throws {
        let options = WatchOptions(labelSelector: flags.selector, fieldSelector: flags.name.map { "metadata.name=\($0)" })
        // The watch opens with the current objects (already printed); after that every change is one row.
        var seen: [String: String] = [:]
        while !Task.isCancelled {
            for try await event in try await api.watch(resource.kind, namespace: namespace, options: options) {
                let object: JSONValue
                switch event {
                case .added(let value), .modified(let value): object = value
                case .deleted, .bookmark: continue
                }
                let key = Self.sortKey(object), version = object[path: "metadata", "resourceVersion"]?.stringValue ?? ""
                guard seen.updateValue(version, forKey: key) != version else { continue }
                switch flags.output {
                case .table:
                    let table = Terminal.table(header(resource), [row(resource, object, prefixKind: false)])
                    Terminal.output(table.split(separator: "\n").dropFirst().joined(separator: "\n"))
                case .yaml, .json:
                    Terminal.output(Terminal.format([object], as: flags.output))
                }
            }
        }
    }
}
