import ArgumentParser
import FoundationEssentials
import GitOpsKit

/// `gok create …`: builds a Flux object from flags, then applies it and waits for it to be ready, or prints it with
/// `--export` — the same manifests `flux create` makes.
struct CreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create or update Flux objects (or print them with --export).",
        subcommands: [Source.self, KustomizationCommand.self, HelmReleaseCommand.self, AlertCommand.self,
                      ProviderCommand.self, ReceiverCommand.self, Image.self])

    struct Source: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "source", abstract: "Create sources.", subcommands: [Git.self, Helm.self])
    }

    struct Image: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "image", abstract: "Create image automation objects.",
            subcommands: [ImageRepositoryCommand.self, ImagePolicyCommand.self, ImageUpdateCommand.self])
    }
}

/// Flags every `create` subcommand takes.
struct CreateFlags: ParsableArguments {
    @OptionGroup var cluster: ClusterOptions

    @Argument(help: "The object's name.")
    var name: String

    @Flag(name: .long, help: "Print the object as YAML instead of applying it.")
    var export = false

    @Option(name: .long, parsing: .singleValue, help: "A label to set, key=value (repeatable).")
    var label: [String] = []

    @Option(name: .long, help: "How often the object is reconciled.")
    var interval = "1m"

    /// The object with `apiVersion`, `kind`, `metadata` filled in around `spec`.
    func object(_ kind: GroupVersionKind, spec: JSONValue) throws -> JSONValue {
        var metadata: JSONValue = ["name": .string(try ObjectWriter.validName(name)), "namespace": .string(cluster.namespace)]
        if let labels = try ObjectWriter.labels(label, flag: "label") { metadata["labels"] = labels }
        return ["apiVersion": .string(kind.apiVersion), "kind": .string(kind.kind), "metadata": metadata, "spec": spec]
    }

    func write(_ kind: GroupVersionKind, spec: JSONValue) async throws {
        try await CLIRun.guarded {
            try await ObjectWriter(cluster: cluster, export: export).write(try object(kind, spec: spec))
        }
    }

    var intervalValue: JSONValue { get throws { try ObjectWriter.duration(interval, flag: "interval") } }

    /// `--depends-on <name>[.<namespace>]` values as `spec.dependsOn`; nil when there are none.
    static func dependencies(_ entries: [String]) throws -> JSONValue? {
        guard !entries.isEmpty else { return nil }
        return .array(try entries.map { entry in
            let parts = entry.split(separator: ".", maxSplits: 1).map(String.init)
            guard let name = parts.first, !name.isEmpty else { throw CLIError("--depends-on: want <name>[.<namespace>], got \"\(entry)\"") }
            var reference: JSONValue = ["name": .string(name)]
            if parts.count == 2 { reference["namespace"] = .string(parts[1]) }
            return reference
        })
    }
}

extension CreateCommand.Source {
    struct Git: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "git", abstract: "Create a GitRepository.")
        @OptionGroup var flags: CreateFlags
        @Option(help: "The repository URL (http(s)://, ssh:// or file://).") var url: String
        @Option(help: "The branch to follow.") var branch = "master"
        @Option(help: "A tag to check out (instead of a branch).") var tag: String?
        @Option(help: "A semver range of tags (instead of a branch).") var tagSemver: String?
        @Option(help: "A commit SHA to check out.") var commit: String?
        @Option(help: "A Secret with the credentials (username/password, bearerToken or identity/known_hosts).")
        var secretRef: String?
        @Option(help: "Paths to ignore, in .gitignore format (repeatable).") var ignorePaths: [String] = []

        func run() async throws {
            guard ["http://", "https://", "ssh://", "file://"].contains(where: url.hasPrefix) else {
                throw ValidationError("--url: want an http(s)://, ssh:// or file:// URL, got \"\(url)\"")
            }
            var ref: JSONValue = [:]
            if let commit { ref["commit"] = .string(commit) }
            if let tagSemver { ref["semver"] = .string(tagSemver) } else if let tag { ref["tag"] = .string(tag) }
            if commit == nil, tag == nil, tagSemver == nil { ref["branch"] = .string(branch) }
            var spec: JSONValue = ["url": .string(url), "interval": try flags.intervalValue, "ref": ref]
            if let secretRef { spec["secretRef"] = ["name": .string(secretRef)] }
            if !ignorePaths.isEmpty { spec["ignore"] = .string(ignorePaths.joined(separator: "\n")) }
            try await flags.write(GitRepository.kind, spec: spec)
        }
    }

    struct Helm: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "helm", abstract: "Create a HelmRepository.")
        @OptionGroup var flags: CreateFlags
        @Option(help: "The repository URL (http(s)://, or oci:// for an OCI registry).") var url: String
        @Option(help: "A Secret with the credentials.") var secretRef: String?

        func run() async throws {
            var spec: JSONValue = ["url": .string(url), "interval": try flags.intervalValue]
            if url.hasPrefix("oci://") { spec["type"] = "oci" }
            if let secretRef { spec["secretRef"] = ["name": .string(secretRef)] }
            try await flags.write(HelmRepository.kind, spec: spec)
        }
    }
}

struct KustomizationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "kustomization", abstract: "Create a Kustomization.",
                                                    aliases: ["ks"])
    @OptionGroup var flags: CreateFlags
    @Option(help: "The source, <kind>/<name>[.<namespace>] (kind defaults to GitRepository).") var source: String
    @Option(help: "The path in the source.") var path = "./"
    @Option(help: "Delete what leaves the source.") var prune = false
    @Option(help: "Namespace for namespaced objects that set none.") var targetNamespace: String?
    @Option(parsing: .singleValue, help: "A Kustomization this one waits for, <name>[.<namespace>] (repeatable).")
    var dependsOn: [String] = []
    @Option(parsing: .singleValue, help: "An object whose health gates readiness, <kind>/<name>.<namespace> (repeatable).")
    var healthCheck: [String] = []
    @Flag(help: "Wait for every applied object to be healthy.") var wait = false
    @Option(help: "The ServiceAccount to apply as.") var serviceAccount: String?
    @Option(help: "Retry interval after a failure.") var retryInterval: String?

    func run() async throws {
        var spec: JSONValue = [
            "sourceRef": try ObjectWriter.crossReference(source, defaultKind: "GitRepository", flag: "source"),
            "path": .string(path), "prune": .bool(prune), "interval": try flags.intervalValue,
        ]
        if let targetNamespace { spec["targetNamespace"] = .string(targetNamespace) }
        if let dependencies = try CreateFlags.dependencies(dependsOn) { spec["dependsOn"] = dependencies }
        if !healthCheck.isEmpty {
            spec["healthChecks"] = .array(try healthCheck.map { try ObjectWriter.crossReference($0, flag: "health-check") })
        }
        if wait { spec["wait"] = true }
        if let serviceAccount { spec["serviceAccountName"] = .string(serviceAccount) }
        if let retryInterval { spec["retryInterval"] = try ObjectWriter.duration(retryInterval, flag: "retry-interval") }
        try await flags.write(Kustomization.kind, spec: spec)
    }
}

struct HelmReleaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "helmrelease", abstract: "Create a HelmRelease.",
                                                    aliases: ["hr"])
    @OptionGroup var flags: CreateFlags
    @Option(help: "The chart's source, <kind>/<name>[.<namespace>] (HelmRepository, GitRepository).") var source: String
    @Option(help: "The chart name (or its path in a GitRepository).") var chart: String
    @Option(help: "A semver range of chart versions.") var chartVersion: String?
    @Option(help: "The Helm release name (default: [<target namespace>-]<name>).") var releaseName: String?
    @Option(help: "Namespace to install the release into.") var targetNamespace: String?
    @Flag(help: "Create the target namespace if it is missing.") var createTargetNamespace = false
    @Option(parsing: .singleValue, help: "A values file to inline into spec.values (repeatable; later files win).")
    var values: [String] = []
    @Option(parsing: .singleValue, help: "A HelmRelease this one waits for, <name>[.<namespace>] (repeatable).")
    var dependsOn: [String] = []

    func run() async throws {
        var chartSpec: JSONValue = [
            "chart": .string(chart),
            "sourceRef": try ObjectWriter.crossReference(source, defaultKind: "HelmRepository", flag: "source"),
        ]
        if let chartVersion { chartSpec["version"] = .string(chartVersion) }
        var spec: JSONValue = ["chart": ["spec": chartSpec], "interval": try flags.intervalValue]
        if let releaseName { spec["releaseName"] = .string(releaseName) }
        if let targetNamespace { spec["targetNamespace"] = .string(targetNamespace) }
        if createTargetNamespace { spec["install"] = ["createNamespace": true] }
        if !values.isEmpty {
            var merged: JSONValue = [:]
            for file in values {
                guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw CLIError("--values: cannot read \(file)") }
                guard let value = try? YAML.decode(text), value.objectValue != nil else {
                    throw CLIError("--values: \(file) is not a YAML map")
                }
                merged = ChartValues.merge(merged, value)
            }
            spec["values"] = merged
        }
        if let dependencies = try CreateFlags.dependencies(dependsOn) { spec["dependsOn"] = dependencies }
        try await flags.write(HelmRelease.kind, spec: spec)
    }
}

struct AlertCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "alert", abstract: "Create an Alert.")
    @OptionGroup var flags: CreateFlags
    @Option(help: "The Provider to send to.") var providerRef: String
    @Option(parsing: .singleValue, help: "Objects whose events to send, <kind>/<name>[.<namespace>], name may be * (repeatable).")
    var eventSource: [String] = []
    @Option(help: "info (everything) or error.") var eventSeverity = "info"

    func run() async throws {
        guard ["info", "error"].contains(eventSeverity) else { throw ValidationError("--event-severity: info or error") }
        guard !eventSource.isEmpty else { throw ValidationError("--event-source: at least one is required") }
        let spec: JSONValue = [
            "providerRef": ["name": .string(providerRef)], "eventSeverity": .string(eventSeverity),
            "eventSources": .array(try eventSource.map { try ObjectWriter.crossReference($0, flag: "event-source") }),
        ]
        try await flags.write(Alert.kind, spec: spec)
    }
}

struct ProviderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "provider", abstract: "Create an alert Provider.",
                                                    aliases: ["alert-provider"])
    @OptionGroup var flags: CreateFlags
    @Option(help: "slack, msteams, discord, generic, generic-hmac, github, gitlab, …") var type: String
    @Option(help: "The webhook or API address.") var address: String?
    @Option(help: "Channel (Slack, Telegram …).") var channel: String?
    @Option(help: "Bot user name (Slack, Discord …).") var username: String?
    @Option(help: "A Secret with address, token, headers …") var secretRef: String?

    func run() async throws {
        var spec: JSONValue = ["type": .string(type)]
        if let address { spec["address"] = .string(address) }
        if let channel { spec["channel"] = .string(channel) }
        if let username { spec["username"] = .string(username) }
        if let secretRef { spec["secretRef"] = ["name": .string(secretRef)] }
        try await flags.write(Provider.kind, spec: spec)
    }
}

struct ReceiverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "receiver", abstract: "Create a webhook Receiver.")
    @OptionGroup var flags: CreateFlags
    @Option(help: "generic, generic-hmac, github, gitlab, bitbucket, harbor, …") var type: String
    @Option(parsing: .singleValue, help: "An event type to accept, e.g. push (repeatable).") var event: [String] = []
    @Option(parsing: .singleValue, help: "An object to reconcile, <kind>/<name>[.<namespace>] (repeatable).")
    var resource: [String] = []
    @Option(help: "The Secret whose token makes the webhook path and checks signatures.") var secretRef: String

    func run() async throws {
        guard !resource.isEmpty else { throw ValidationError("--resource: at least one is required") }
        var spec: JSONValue = [
            "type": .string(type), "secretRef": ["name": .string(secretRef)],
            "resources": .array(try resource.map { try ObjectWriter.crossReference($0, flag: "resource") }),
        ]
        if !event.isEmpty { spec["events"] = .array(event.map { .string($0) }) }
        try await flags.write(Receiver.kind, spec: spec)
    }
}

struct ImageRepositoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "repository", abstract: "Create an ImageRepository.")
    @OptionGroup var flags: CreateFlags
    @Option(help: "The image, without tag (e.g. ghcr.io/org/app).") var image: String
    @Option(help: "A kubernetes.io/dockerconfigjson Secret.") var secretRef: String?
    @Flag(help: "Use plain HTTP.") var insecure = false

    func run() async throws {
        var spec: JSONValue = ["image": .string(image), "interval": try flags.intervalValue]
        if let secretRef { spec["secretRef"] = ["name": .string(secretRef)] }
        if insecure { spec["insecure"] = true }
        try await flags.write(ImageRepository.kind, spec: spec)
    }
}

struct ImagePolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "policy", abstract: "Create an ImagePolicy.")
    @OptionGroup var flags: CreateFlags
    @Option(help: "The ImageRepository.") var imageRef: String
    @Option(help: "Pick the highest version in this semver range.") var selectSemver: String?
    @Option(help: "Pick numerically: asc or desc.") var selectNumeric: String?
    @Option(help: "Pick alphabetically: asc or desc.") var selectAlpha: String?
    @Option(help: "Only tags matching this regex.") var filterRegex: String?
    @Option(help: "What to compare of a matching tag, e.g. $ts.") var filterExtract: String?

    func run() async throws {
        let choices = [selectSemver, selectNumeric, selectAlpha].compactMap { $0 }
        guard choices.count == 1 else { throw ValidationError("give exactly one of --select-semver, --select-numeric, --select-alpha") }
        let policy: JSONValue
        if let selectSemver {
            policy = ["semver": ["range": .string(selectSemver)]]
        } else if let selectNumeric {
            guard ["asc", "desc"].contains(selectNumeric) else { throw ValidationError("--select-numeric: asc or desc") }
            policy = ["numerical": ["order": .string(selectNumeric)]]
        } else {
            guard ["asc", "desc"].contains(selectAlpha ?? "") else { throw ValidationError("--select-alpha: asc or desc") }
            policy = ["alphabetical": ["order": .string(selectAlpha ?? "asc")]]
        }
        var spec: JSONValue = ["imageRepositoryRef": ["name": .string(imageRef)], "policy": policy]
        if let filterRegex {
            spec["filterTags"] = ["pattern": .string(filterRegex)]
            if let filterExtract { spec["filterTags"]?["extract"] = .string(filterExtract) }
        }
        try await flags.write(ImagePolicy.kind, spec: spec)
    }
}

struct ImageUpdateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "update", abstract: "Create an ImageUpdateAutomation.")
    @OptionGroup var flags: CreateFlags
    @Option(help: "The GitRepository to update.") var gitRepoRef: String
    @Option(help: "The path in the repository whose markers are updated.") var gitRepoPath = "./"
    @Option(help: "The branch to check out (default: the GitRepository's).") var checkoutBranch: String?
    @Option(help: "The branch to push to (default: the checkout branch).") var pushBranch: String?
    @Option(help: "Commit author name.") var authorName = "Flux"
    @Option(help: "Commit author email.") var authorEmail: String
    @Option(help: "The commit message template (Go template).") var commitTemplate: String?

    func run() async throws {
        var commit: JSONValue = ["author": ["name": .string(authorName), "email": .string(authorEmail)]]
        if let commitTemplate { commit["messageTemplate"] = .string(commitTemplate) }
        var git: JSONValue = ["commit": commit]
        if let checkoutBranch { git["checkout"] = ["ref": ["branch": .string(checkoutBranch)]] }
        if let pushBranch { git["push"] = ["branch": .string(pushBranch)] }
        let spec: JSONValue = [
            "sourceRef": ["kind": "GitRepository", "name": .string(gitRepoRef)], "git": git,
            "update": ["path": .string(gitRepoPath), "strategy": "Setters"], "interval": try flags.intervalValue,
        ]
        try await flags.write(ImageUpdateAutomation.kind, spec: spec)
    }
}
