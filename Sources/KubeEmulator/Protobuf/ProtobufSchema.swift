import GitOpsKit

/// The wire layout of the Kubernetes kinds whose protobuf request bodies the emulator accepts (kubectl's typed
/// clients and helm's release storage send `application/vnd.kubernetes.protobuf`). Parsed once from the
/// generated table.
struct ProtobufSchema: Sendable {
    struct Field: Sendable {
        enum Kind: Character, Sendable {
            case string = "s", bytes = "b", bool = "B", integer = "i", double = "d", float = "f", message = "m"
        }

        var number: Int
        var name: String
        var kind: Kind
        var repeated: Bool
        var map: Bool
        /// The Go field is a pointer or has no `omitempty`: zero values are kept.
        var keepZero: Bool
        /// An embedded struct serialized inline in JSON.
        var inline: Bool
        var messageType: String
    }

    /// Message name → field number → field.
    let messages: [String: [Int: Field]]

    static let shared = ProtobufSchema(table: generatedTable)

    init(table: String) {
        var messages: [String: [Int: Field]] = [:]
        for line in table.split(separator: "\n") {
            let parts = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = parts.first else { continue }
            var fields: [Int: Field] = [:]
            if parts.count > 1 {
                for entry in parts[1].split(separator: ";") {
                    let items = entry.split(separator: ",", omittingEmptySubsequences: false)
                    guard items.count == 5, let number = Int(items[0]), let kindCharacter = items[2].first,
                          let kind = Field.Kind(rawValue: kindCharacter) else { continue }
                    let flags = items[3]
                    fields[number] = Field(number: number, name: String(items[1]), kind: kind, repeated: flags.contains("r"),
                                           map: flags.contains("M"), keepZero: flags.contains("z"), inline: flags.contains("n"),
                                           messageType: String(items[4]))
                }
            }
            messages[String(name)] = fields
        }
        self.messages = messages
    }

    /// The protobuf message of a kind (`apps/v1`, `Deployment` → `k8s.io.api.apps.v1.Deployment`).
    func messageName(apiVersion: String, kind: String) -> String? {
        let kind = GroupVersionKind(apiVersion: apiVersion, kind: kind)
        let package: String
        switch kind.group {
        case "": package = kind.kind == "DeleteOptions" ? "k8s.io.apimachinery.pkg.apis.meta.v1" : "k8s.io.api.core.\(kind.version)"
        case "meta.k8s.io": package = "k8s.io.apimachinery.pkg.apis.meta.\(kind.version)"
        case "rbac.authorization.k8s.io": package = "k8s.io.api.rbac.\(kind.version)"
        default:
            let short = kind.group.split(separator: ".").first.map(String.init) ?? kind.group
            package = "k8s.io.api.\(short).\(kind.version)"
        }
        let name = "\(package).\(kind.kind)"
        return messages[name] == nil ? nil : name
    }
}
