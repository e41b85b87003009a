import FoundationEssentials
import GitOpsKit

/// `spec.postBuild` of a Kustomization: collects the variables (`substituteFrom` ConfigMaps and Secrets in order,
/// later ones winning, then the inline `substitute` map over all) and substitutes them into each built object
/// that does not opt out with `kustomize.toolkit.fluxcd.io/substitute: disabled`.
struct PostBuildVariables {
    let api: any KubernetesAPI

    static let configMapKind = GroupVersionKind(group: "", version: "v1", kind: "ConfigMap")
    static let secretKind = GroupVersionKind(group: "", version: "v1", kind: "Secret")

    /// The variables of `postBuild`, read from the API in the Kustomization's namespace.
    func variables(_ postBuild: Kustomization.PostBuild, namespace: String) async throws(KustomizationFailure) -> [String: String] {
        var variables: [String: String] = [:]
        for reference in postBuild.substituteFrom ?? [] {
            let isSecret = reference.kind.rawValue == "Secret"
            let kind = isSecret ? Self.secretKind : Self.configMapKind
            let object: JSONValue?
            do {
                object = try await api.getIfPresent(kind, ObjectKey(namespace: namespace, name: reference.name))
            } catch {
                throw KustomizationFailure(.buildFailed, "substitute from '\(reference.kind.rawValue)/\(reference.name)' error: \(error.message)")
            }
            guard let object else {
                if reference.optional == true { continue }
                let resource = isSecret ? "secrets" : "configmaps"
                throw KustomizationFailure(.buildFailed,
                    "substitute from '\(reference.kind.rawValue)/\(reference.name)' error: \(resource) \"\(reference.name)\" not found")
            }
            for (key, value) in object["data"]?.objectValue ?? [:] {
                guard let text = value.stringValue else { continue }
                if isSecret {
                    guard let data = Data(base64Encoded: text) else {
                        throw KustomizationFailure(.buildFailed,
                            "substitute from 'Secret/\(reference.name)' error: data.\(key) is not base64")
                    }
                    variables[key] = String(decoding: data, as: UTF8.self)
                } else {
                    variables[key] = text
                }
            }
        }
        for (key, value) in postBuild.substitute ?? [:] { variables[key] = value }
        for name in variables.keys.sorted() where !VariableSubstitution.isValidName(name) {
            throw KustomizationFailure(.buildFailed,
                "'\(name)' var name is invalid, must match '\(VariableSubstitution.namePattern)'")
        }
        return variables.mapValues { $0.replacing("\n", with: "") }
    }

    /// `objects` with the variables substituted (`WithVariables`: nothing happens without variables).
    static func substitute(_ objects: [JSONValue], variables: [String: String], strategy: Kustomization.SubstituteStrategy)
        throws(KustomizationFailure) -> [JSONValue]
    {
        if strategy == .withVariables, variables.isEmpty { return objects }
        let substitution = VariableSubstitution(variables: variables, strict: true)
        var result: [JSONValue] = []
        result.reserveCapacity(objects.count)
        for object in objects {
            let disabled = [object[path: "metadata", "labels"], object[path: "metadata", "annotations"]].contains {
                $0?[FluxAnnotation.kustomizeSubstitute]?.stringValue?.lowercased() == "disabled"
            }
            if disabled {
                result.append(object)
                continue
            }
            let text = YAML.encode(object)
            guard text.contains("${") else {
                result.append(object)
                continue
            }
            let subject = ResourceIdentity(of: object)?.subject ?? "object"
            do {
                result.append(try YAML.decode(try substitution.substitute(text)))
            } catch let error as VariableSubstitution.Failure {
                throw KustomizationFailure(.buildFailed, "post build failed for '\(subject)': \(error.message)")
            } catch {
                throw KustomizationFailure(.buildFailed, "post build failed for '\(subject)': \(error)")
            }
        }
        return result
    }
}
