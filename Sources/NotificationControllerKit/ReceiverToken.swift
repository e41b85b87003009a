import FoundationEssentials
import GitOpsKit

/// The shared secret of a Receiver: the `token` key of its `spec.secretRef` Secret. Both the reconciler (to derive
/// the webhook path) and the server (to verify requests) read it, so both report a missing Secret the same way.
struct ReceiverToken: Sendable {
    let value: String

    static let secretKind = GroupVersionKind(group: "", version: "v1", kind: "Secret")

    /// Flux's wording, so users searching the message find Flux's documentation.
    struct Failure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    /// Reads the token of `receiver` from its namespace.
    static func read(for receiver: Receiver, api: any KubernetesAPI) async throws(Failure) -> ReceiverToken {
        let namespace = receiver.namespace ?? "default"
        guard let name = receiver.spec.secretRef?.name else {
            throw Failure(message: "spec.secretRef is required for receiver type '\(receiver.spec.type.rawValue)'")
        }
        let secret: JSONValue
        do {
            secret = try await api.get(secretKind, ObjectKey(namespace: namespace, name: name))
        } catch {
            let detail = error.code == .notFound ? "secrets \"\(name)\" not found" : "\(error)"
            throw Failure(message: "unable to read token from secret '\(namespace)/\(name)' error: \(detail)")
        }
        if let text = secret[path: "data", "token"]?.stringValue, let bytes = Data(base64Encoded: text) {
            return ReceiverToken(value: String(decoding: bytes, as: UTF8.self))
        }
        if let text = secret[path: "stringData", "token"]?.stringValue {
            return ReceiverToken(value: text)
        }
        throw Failure(message: "invalid '\(namespace)/\(name)' secret data: required field 'token'")
    }

    /// `/hook/<hex sha256(token + name + namespace)>`, as Flux's `Receiver.GetWebhookPath`: the path is
    /// unguessable without the token, and changes when the token is rotated.
    func webhookPath(for receiver: Receiver) -> String {
        let input = value + receiver.name + (receiver.namespace ?? "default")
        return Receiver.webhookPathPrefix + Digest.sha256Hex(Array(input.utf8))
    }
}
