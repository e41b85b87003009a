import GitOpsKit

/// How unknown fields are treated (`?fieldValidation=`).
enum FieldValidation: String, Sendable {
    case ignore = "Ignore", warn = "Warn", strict = "Strict"
}

/// The options of one write request.
struct WriteContext: Sendable {
    var dryRun = false
    /// `?fieldManager=`.
    var fieldManager: String?
    /// The manager named after the client's User-Agent, used when no fieldManager is given.
    var userAgentManager = "unknown"
    var fieldValidation: FieldValidation = .warn
    var force = false

    var manager: String { fieldManager ?? userAgentManager }

    /// The manager for a User-Agent: its part before the first `/` (as the API server derives it).
    static func manager(forUserAgent userAgent: String?) -> String {
        guard let userAgent, !userAgent.isEmpty else { return "unknown" }
        let prefix = userAgent.split(separator: "/", maxSplits: 1).first.map(String.init) ?? userAgent
        return String(prefix.prefix(128))
    }
}

/// The result of a write: the object as stored (storage version) and what else the response needs.
struct WriteResult: Sendable {
    /// The committed object; nil for dry runs and no-op writes answered from `object`.
    var stored: StoredObject?
    var object: JSONValue
    var created = false
    var warnings: [String] = []
}

/// The result of a delete.
struct DeleteResult: Sendable {
    /// The object as it was deleted or as it now stands (finalizers pending).
    var object: JSONValue
    /// The object is gone (not merely marked for deletion).
    var removed: Bool
}

/// Options of a delete request.
struct DeleteContext: Sendable {
    var dryRun = false
    var propagation: DeleteOptions.Propagation?
    var orphanDependents: Bool?
    var preconditionUID: String?
    var preconditionResourceVersion: String?
    var gracePeriodSeconds: Int64?
}
