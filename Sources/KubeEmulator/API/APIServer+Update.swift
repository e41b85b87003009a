import Foundation
import GitOpsKit

/// What an update computed from the current object.
enum UpdateOutcome: Sendable {
    case put(JSONValue)
    /// The last finalizer of an object being deleted is gone: remove it.
    case remove(JSONValue)
    /// Nothing changed: no write, no event, no new resourceVersion.
    case unchanged
}

/// How a write maintains `metadata.managedFields`.
enum ManagedFieldsMode: Sendable {
    /// A non-apply write by this manager (operation Update).
    case record(manager: String)
    /// Server-side apply already computed them.
    case computed
}

extension APIServer {
    /// Read, compute, commit; retried when another writer got in between, unless the caller pinned a version.
    func guaranteedUpdate(_ type: ResourceType, namespace: String?, name: String, request: WriteContext,
                          pinned: Bool, warnings: [String] = [],
                          compute: (StoredObject) throws(APIError) -> UpdateOutcome) throws(APIError) -> WriteResult {
        let ns = type.namespaced ? namespace : nil
        for _ in 0..<Self.maximumAttempts {
            let current = try get(type, namespace: ns, name: name)
            let outcome = try compute(current)
            let committed: JSONValue?
            switch outcome {
            case .unchanged:
                return WriteResult(stored: current, object: current.object, warnings: warnings)
            case .put(let object):
                committed = object
            case .remove(let object):
                if request.dryRun { return WriteResult(stored: nil, object: object, warnings: warnings) }
                committed = nil
            }
            if request.dryRun, let committed { return WriteResult(stored: nil, object: committed, warnings: warnings) }
            do {
                let stored = try store.commit(type.storage, namespace: ns, name: name,
                                              expecting: .revision(current.resourceVersion), put: committed)
                return WriteResult(stored: committed == nil ? nil : stored, object: stored.object, warnings: warnings)
            } catch {
                if case .stale = error, !pinned { continue }
                throw mapConflict(error, type, name: name)
            }
        }
        throw APIError.staleResourceVersion(resource: type.resource, group: type.group, name: name)
    }

    /// PUT of the object or its status.
    func update(_ type: ResourceType, namespace: String?, name: String, body: JSONValue, subresource: String?,
                request: WriteContext) throws(APIError) -> WriteResult {
        var candidate = try decodeBody(body, as: type)
        let bodyName = candidate[path: "metadata", "name"]?.stringValue ?? ""
        if bodyName != name {
            throw APIError.badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
        }
        if type.namespaced, let namespace {
            let bodyNamespace = candidate[path: "metadata", "namespace"]?.stringValue ?? ""
            if !bodyNamespace.isEmpty, bodyNamespace != namespace {
                throw APIError.badRequest(
                    "the namespace of the object (\(bodyNamespace)) does not match the namespace on the request (\(namespace))")
            }
            candidate[path: "metadata", "namespace"] = .string(namespace)
        }
        let requested = candidate[path: "metadata", "resourceVersion"]?.stringValue ?? ""
        var warnings: [String] = []
        var result = try guaranteedUpdate(type, namespace: namespace, name: name, request: request,
                                          pinned: !requested.isEmpty) { current throws(APIError) in
            if !requested.isEmpty, requested != String(current.resourceVersion) {
                throw APIError.staleResourceVersion(resource: type.resource, group: type.group, name: name)
            }
            return try finishUpdate(type, candidate: candidate, current: current, subresource: subresource,
                                    request: request, managedFields: .record(manager: request.manager), warnings: &warnings)
        }
        result.warnings = warnings
        return result
    }

    /// The rules every update shares (PUT, patch, apply): system fields kept, status or spec ignored depending
    /// on the endpoint, defaults, generation, validation, managed fields, finalizer-driven removal.
    func finishUpdate(_ type: ResourceType, candidate: JSONValue, current: StoredObject, subresource: String?,
                      request: WriteContext, managedFields: ManagedFieldsMode,
                      warnings: inout [String]) throws(APIError) -> UpdateOutcome {
        let old = current.object
        var new: JSONValue
        if subresource == "status" {
            new = old
            new["status"] = candidate["status"]
            if case .computed = managedFields {
                new[path: "metadata", "managedFields"] = candidate[path: "metadata", "managedFields"]
            }
        } else {
            new = candidate
            if let uid = candidate[path: "metadata", "uid"]?.stringValue, !uid.isEmpty, uid != old[path: "metadata", "uid"]?.stringValue {
                throw APIError.conflict(resource: type.resource, group: type.group,
                                        name: old[path: "metadata", "name"]?.stringValue ?? "",
                                        detail: "Precondition failed: UID in precondition: \(uid), UID in object meta: \(old[path: "metadata", "uid"]?.stringValue ?? "")")
            }
            for key in ["name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
                        "generation", "resourceVersion"] {
                new[path: "metadata", key] = old[path: "metadata", key]
            }
            new[path: "metadata", "selfLink"] = nil
            if case .record = managedFields, (new[path: "metadata", "managedFields"]?.arrayValue ?? []).isEmpty {
                new[path: "metadata", "managedFields"] = old[path: "metadata", "managedFields"]
            }
            if type.hasStatus { new["status"] = old["status"] }
            try prepareForUpdate(type, &new, old: old)
        }
        try applySchema(type, &new, request: request, warnings: &warnings)
        if type.tracksGeneration, Self.specPart(new) != Self.specPart(old) {
            new[path: "metadata", "generation"] = .int((old[path: "metadata", "generation"]?.intValue ?? 0) + 1)
        }
        try validate(type, new, old: old)
        if case .record(let manager) = managedFields {
            new = PatchEngine.recordUpdate(old: old, new: new, manager: manager, subresource: subresource, now: Timestamp.now(),
                                           type: type)
        }
        if Self.comparable(new) == Self.comparable(old) { return .unchanged }
        if old[path: "metadata", "deletionTimestamp"] != nil,
           (new[path: "metadata", "finalizers"]?.arrayValue ?? []).isEmpty,
           (type.kind != "Namespace" || (new[path: "spec", "finalizers"]?.arrayValue ?? []).isEmpty) {
            return .remove(new)
        }
        return .put(new)
    }

    /// PATCH with one of the patch content types.
    func patch(_ type: ResourceType, namespace: String?, name: String, patchBody: [UInt8], contentType: String,
               subresource: String?, request: WriteContext) throws(APIError) -> WriteResult {
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        let accepted = type.strategicMergePatch
            ? ["application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json",
               "application/apply-patch+yaml"]
            : ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"]
        guard accepted.contains(mediaType) else { throw APIError.unsupportedMediaType(accepted: accepted) }
        if mediaType == "application/apply-patch+yaml" {
            return try apply(type, namespace: namespace, name: name, body: patchBody, subresource: subresource, request: request)
        }
        let patch: JSONValue
        do {
            patch = try JSONValue(json: patchBody)
        } catch {
            throw APIError.badRequest("error decoding patch: \(error)")
        }
        var warnings: [String] = []
        var result = try guaranteedUpdate(type, namespace: namespace, name: name, request: request, pinned: false) {
            current throws(APIError) in
            let live = Conversion.toServed(type, current.object)
            var patched: JSONValue
            switch mediaType {
            case "application/merge-patch+json":
                guard case .object = patch else { throw APIError.badRequest("json: cannot unmarshal into a patch object: the patch must be a JSON object") }
                patched = PatchEngine.mergePatch(patch, to: live)
            case "application/json-patch+json":
                patched = try PatchEngine.jsonPatch(patch, to: live)
            default:
                guard case .object = patch else { throw APIError.badRequest("the strategic merge patch must be a JSON object") }
                patched = try PatchEngine.strategicMergePatch(patch, to: live, kind: type.groupVersionKind)
            }
            if let requested = patched[path: "metadata", "resourceVersion"]?.stringValue,
               requested != String(current.resourceVersion) {
                throw APIError.staleResourceVersion(resource: type.resource, group: type.group, name: name)
            }
            let patchedName = patched[path: "metadata", "name"]?.stringValue ?? ""
            if patchedName != name {
                throw APIError.badRequest("the name of the object (\(patchedName)) does not match the name on the URL (\(name))")
            }
            let candidate = try decodeBody(patched, as: type)
            return try finishUpdate(type, candidate: candidate, current: current, subresource: subresource,
                                    request: request, managedFields: .record(manager: request.manager), warnings: &warnings)
        }
        result.warnings = warnings
        return result
    }

    /// Server-side apply (`application/apply-patch+yaml`): creates the object if missing.
    func apply(_ type: ResourceType, namespace: String?, name: String, body: [UInt8], subresource: String?,
               request: WriteContext) throws(APIError) -> WriteResult {
        guard let manager = request.fieldManager, !manager.isEmpty else {
            throw APIError.badRequest("PATCH, application/apply-patch+yaml requests must include fieldManager")
        }
        var applied = try ApplyBody.decode(body)
        guard let apiVersion = applied["apiVersion"]?.stringValue, !apiVersion.isEmpty,
              let kind = applied["kind"]?.stringValue, !kind.isEmpty else {
            throw APIError.badRequest("apiVersion and kind must be set in an apply request")
        }
        if apiVersion != type.apiVersion || kind != type.kind {
            throw APIError.badRequest(
                "the API version in the data (\(apiVersion)) does not match the expected API version (\(type.apiVersion))")
        }
        let appliedName = applied[path: "metadata", "name"]?.stringValue ?? ""
        if appliedName != name {
            throw APIError.badRequest("the name of the object (\(appliedName)) does not match the name on the URL (\(name))")
        }
        if !(applied[path: "metadata", "managedFields"]?.arrayValue ?? []).isEmpty {
            throw APIError.badRequest("metadata.managedFields must be nil")
        }
        if type.namespaced, let namespace {
            let appliedNamespace = applied[path: "metadata", "namespace"]?.stringValue ?? ""
            if !appliedNamespace.isEmpty, appliedNamespace != namespace {
                throw APIError.badRequest(
                    "the namespace of the object (\(appliedNamespace)) does not match the namespace on the request (\(namespace))")
            }
            applied[path: "metadata", "namespace"] = .string(namespace)
        } else if !type.namespaced {
            applied[path: "metadata", "namespace"] = nil
        }
        if subresource == "status" {
            var trimmed: JSONValue = ["apiVersion": .string(apiVersion), "kind": .string(kind),
                                      "metadata": ["name": .string(name)]]
            if let namespace = applied[path: "metadata", "namespace"] { trimmed[path: "metadata", "namespace"] = namespace }
            trimmed["status"] = applied["status"]
            applied = trimmed
        } else if type.hasStatus {
            applied["status"] = nil
        }
        let now = Timestamp.now()
        let ns = type.namespaced ? namespace : nil
        for _ in 0..<Self.maximumAttempts {
            guard let current = store.get(type.storage, namespace: ns, name: name) else {
                if subresource != nil { throw notFound(type, name) }
                let created = try PatchEngine.apply(applied, to: nil, manager: manager, force: request.force,
                                                    subresource: nil, type: type, now: now)
                var object = try decodeBody(created, as: type)
                try prepareNamespace(type, &object, namespace: namespace, mismatch:
                    "the namespace of the provided object does not match the namespace sent on the request")
                do {
                    return try createPrepared(type, object, request: request, managedFieldsSet: true)
                } catch where error.reason == "AlreadyExists" {
                    continue
                }
            }
            var warnings: [String] = []
            do {
                var result = try guaranteedUpdate(type, namespace: namespace, name: name, request: request, pinned: false) {
                    latest throws(APIError) in
                    let live = Conversion.toServed(type, latest.object)
                    let merged = try PatchEngine.apply(applied, to: live, manager: manager, force: request.force,
                                                       subresource: subresource, type: type, now: now)
                    let candidate = try decodeBody(merged, as: type)
                    return try finishUpdate(type, candidate: candidate, current: latest, subresource: subresource,
                                            request: request, managedFields: .computed, warnings: &warnings)
                }
                result.warnings = warnings
                return result
            } catch where error.code == 404 {
                continue
            }
        }
        throw APIError.staleResourceVersion(resource: type.resource, group: type.group, name: name)
    }
}

/// Decoding of server-side apply bodies (JSON, or YAML once the YAML engine is available).
enum ApplyBody {
    static func decode(_ bytes: [UInt8]) throws(APIError) -> JSONValue {
        let value: JSONValue
        if let json = try? JSONValue(json: bytes) {
            value = json
        } else {
            do {
                value = try YAML.decode(bytes)
            } catch {
                throw APIError.badRequest("error decoding YAML: \(error)")
            }
        }
        guard case .object = value else { throw APIError.badRequest("the apply body must be an object") }
        return value
    }
}
