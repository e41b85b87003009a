import ArgumentParser
import FoundationEssentials
import GitOpsKit

/// `gok events [--for <kind>/<name>]`: the Kubernetes Events about Flux objects, oldest first, as `flux events`
/// prints them.
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "events", abstract: "Show the events of Flux objects.")

    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var scope: ScopeOptions
    @Option(name: .customLong("for"), help: "Only events about this object, <kind>/<name>.") var subject: String?
    @Flag(name: [.customShort("w"), .long], help: "After listing, print new events as they happen.") var watch = false

    func run() async throws {
        try await CLIRun.guarded {
            let api = try cluster.client()
            let filter = try EventFilter(subject: subject)
            let namespace = scope.allNamespaces ? nil : cluster.namespace
            let events = try await api.listAll(EventRecorder.eventKind, namespace: namespace).items.filter(filter.matches)
                .sorted { Self.lastSeen($0) < Self.lastSeen($1) }
            let now = KubeTime.now()
            if events.isEmpty {
                Terminal.failure("no events found in \(namespace.map { "\($0) namespace" } ?? "any namespace")")
            } else {
                Terminal.output(Terminal.table(header, events.map { row($0, now: now) }))
            }
            guard watch else { return }
            let seen = Set(events.compactMap { $0[path: "metadata", "uid"]?.stringValue })
            var printed: [String: Int64] = [:]
            while !Task.isCancelled {
                for try await change in try await api.watch(EventRecorder.eventKind, namespace: namespace, options: WatchOptions()) {
                    guard case .added(let event) = change, filter.matches(event) else {
                        if case .modified(let event) = change, filter.matches(event) { printIfNew(event, &printed) }
                        continue
                    }
                    if let uid = event[path: "metadata", "uid"]?.stringValue, seen.contains(uid), printed[uid] == nil {
                        printed[uid] = event["count"]?.intValue ?? 1
                        continue
                    }
                    printIfNew(event, &printed)
                }
            }
        }
    }

    private func printIfNew(_ event: JSONValue, _ printed: inout [String: Int64]) {
        let uid = event[path: "metadata", "uid"]?.stringValue ?? ""
        let count = event["count"]?.intValue ?? 1
        guard printed[uid] != count else { return }
        printed[uid] = count
        let table = Terminal.table(header, [row(event, now: KubeTime.now())])
        Terminal.output(table.split(separator: "\n").dropFirst().joined(separator: "\n"))
    }

    private var header: [String] { (scope.allNamespaces ? ["NAMESPACE"] : []) + ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"] }

    private func row(_ event: JSONValue, now: KubeTime) -> [String] {
        let object = event["involvedObject"]
        let seen = Self.lastSeen(event)
        let age = seen.secondsSinceEpoch == 0 ? "<unknown>" : Self.age(now.secondsSinceEpoch - seen.secondsSinceEpoch)
        var row = [age, event["type"]?.stringValue ?? "", event["reason"]?.stringValue ?? "",
                   "\(object?["kind"]?.stringValue ?? "")/\(object?["name"]?.stringValue ?? "")",
                   (event["message"]?.stringValue ?? "").replacing("\n", with: " ")]
        if scope.allNamespaces { row.insert(event[path: "metadata", "namespace"]?.stringValue ?? "", at: 0) }
        return row
    }

    static func lastSeen(_ event: JSONValue) -> KubeTime {
        let text = event["lastTimestamp"]?.stringValue ?? event["eventTime"]?.stringValue
            ?? event[path: "metadata", "creationTimestamp"]?.stringValue
        return text.flatMap { try? KubeTime(parsing: $0) } ?? KubeTime(secondsSinceEpoch: 0)
    }

    /// kubectl's short ages: `45s`, `3m12s`, `2h5m`, `4d`.
    static func age(_ seconds: Int64) -> String {
        let s = max(seconds, 0)
        if s < 120 { return "\(s)s" }
        if s < 600 { return "\(s / 60)m\(s % 60)s" }
        if s < 3 * 3600 { return "\(s / 60)m" }
        if s < 8 * 3600 { return "\(s / 3600)h\((s % 3600) / 60)m" }
        if s < 2 * 86400 { return "\(s / 3600)h" }
        return "\(s / 86400)d"
    }
}

/// Which events `events` shows: those about Flux kinds, or about one object.
struct EventFilter {
    var kind: String?
    var name: String?

    init(subject: String?) throws {
        guard let subject else { return }
        let target = try ObjectTarget([subject])
        kind = target.resource.kind.kind
        name = target.name
    }

    func matches(_ event: JSONValue) -> Bool {
        let object = event["involvedObject"]
        let eventKind = object?["kind"]?.stringValue ?? ""
        if let kind { return eventKind == kind && object?["name"]?.stringValue == name }
        return FluxResource.all.contains { $0.kind.kind == eventKind }
    }
}
