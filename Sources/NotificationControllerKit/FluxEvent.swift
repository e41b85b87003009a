import GitOpsKit

/// The event a Flux controller POSTs to notification-controller (`event.toolkit.fluxcd.io/v1beta1` Event).
public struct FluxEvent: Sendable, Hashable {
    /// The object the event is about (a core/v1 ObjectReference).
    public struct InvolvedObject: Sendable, Hashable {
        public var kind: String
        public var namespace: String
        public var name: String
        public var uid: String?
        public var apiVersion: String?
        public var resourceVersion: String?

        public init(kind: String, namespace: String, name: String, uid: String? = nil, apiVersion: String? = nil,
                    resourceVersion: String? = nil) {
            self.kind = kind
            self.namespace = namespace
            self.name = name
            self.uid = uid
            self.apiVersion = apiVersion
            self.resourceVersion = resourceVersion
        }

        /// The API group of `apiVersion` (`""` for the core group): the prefix of the event's metadata keys.
        public var group: String {
            guard let apiVersion, let slash = apiVersion.firstIndex(of: "/") else { return "" }
            return String(apiVersion[..<slash])
        }
    }

    /// `info` or `error` (the recorder maps a Kubernetes Warning to `error`).
    public enum Severity: String, Sendable, Hashable {
        case info, error
    }

    /// The Flux event API limit on `message`.
    public static let maximumMessageLength = 39_000

    public var involvedObject: InvolvedObject
    public var severity: Severity
    /// RFC 3339, as sent.
    public var timestamp: String
    public var message: String
    public var reason: String
    public var metadata: [String: String]
    public var reportingController: String
    public var reportingInstance: String?

    public init(involvedObject: InvolvedObject, severity: Severity, timestamp: String, message: String, reason: String,
                metadata: [String: String] = [:], reportingController: String, reportingInstance: String? = nil) {
        self.involvedObject = involvedObject
        self.severity = severity
        self.timestamp = timestamp
        self.message = message
        self.reason = reason
        self.metadata = metadata
        self.reportingController = reportingController
        self.reportingInstance = reportingInstance
    }
}

// MARK: - Decoding and validation

/// Why a POSTed body is not a valid Flux event; `description` is the 400 response's reason.
public struct FluxEventError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The JSON path of the offending field, or `""` for the body itself.
    public var field: String
    public var reason: String

    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { field.isEmpty ? reason : "\(field): \(reason)" }
}

extension FluxEvent {
    /// Decodes and validates a POSTed body: the fields Flux's Event marks required must be present, of the
    /// right type and (for strings) non-empty.
    public init(json bytes: some Collection<UInt8>) throws(FluxEventError) {
        let value: JSONValue
        do {
            value = try JSONValue(json: bytes)
        } catch {
            throw FluxEventError(field: "", reason: "invalid JSON: \(error)")
        }
        try self.init(value)
    }

    /// Validates an already parsed event.
    public init(_ value: JSONValue) throws(FluxEventError) {
        guard let root = value.objectValue else { throw FluxEventError(field: "", reason: "expected a JSON object") }
        guard let involved = root["involvedObject"] else {
            throw FluxEventError(field: "involvedObject", reason: "required")
        }
        guard let object = involved.objectValue else {
            throw FluxEventError(field: "involvedObject", reason: "expected an object")
        }
        involvedObject = InvolvedObject(
            kind: try Self.string(object, "kind", in: "involvedObject."),
            namespace: try Self.string(object, "namespace", in: "involvedObject."),
            name: try Self.string(object, "name", in: "involvedObject."),
            uid: try Self.optionalString(object, "uid", in: "involvedObject."),
            apiVersion: try Self.optionalString(object, "apiVersion", in: "involvedObject."),
            resourceVersion: try Self.optionalString(object, "resourceVersion", in: "involvedObject."))
        let severityText = try Self.string(root, "severity")
        guard let severity = Severity(rawValue: severityText) else {
            throw FluxEventError(field: "severity", reason: "unsupported value \"\(severityText)\": must be info or error")
        }
        self.severity = severity
        timestamp = try Self.string(root, "timestamp")
        guard RFC3339Check.isValid(timestamp) else {
            throw FluxEventError(field: "timestamp", reason: "\"\(timestamp)\" is not an RFC 3339 time")
        }
        message = try Self.string(root, "message")
        guard message.count <= Self.maximumMessageLength else {
            throw FluxEventError(field: "message", reason: "longer than \(Self.maximumMessageLength) characters")
        }
        reason = try Self.string(root, "reason")
        reportingController = try Self.string(root, "reportingController")
        reportingInstance = try Self.optionalString(root, "reportingInstance")
        metadata = [:]
        switch root["metadata"] {
        case nil, .null?:
            break
        case let .object(entries)?:
            for (key, entry) in entries {
                guard let text = entry.stringValue else {
                    throw FluxEventError(field: "metadata.\(key)", reason: "expected a string")
                }
                metadata[key] = text
            }
        default:
            throw FluxEventError(field: "metadata", reason: "expected an object of strings")
        }
    }

    /// A string field; when `required`, present and non-empty.
    private static func string(_ object: [String: JSONValue], _ key: String, in prefix: String = "",
                               required: Bool = true) throws(FluxEventError) -> String {
        switch object[key] {
        case nil, .null?:
            if required { throw FluxEventError(field: prefix + key, reason: "required") }
            return ""
        case let value?:
            guard let text = value.stringValue else {
                throw FluxEventError(field: prefix + key, reason: "expected a string")
            }
            if required, text.isEmpty { throw FluxEventError(field: prefix + key, reason: "must not be empty") }
            return text
        }
    }

    /// A string field that may be absent; empty reads as absent.
    private static func optionalString(_ object: [String: JSONValue], _ key: String,
                                       in prefix: String = "") throws(FluxEventError) -> String? {
        let text = try string(object, key, in: prefix, required: false)
        return text.isEmpty ? nil : text
    }
}

/// A syntactic RFC 3339 check (`2022-10-28T07:26:19Z`, optional fraction, `Z` or `±hh:mm`); the server keeps
/// the text as sent.
enum RFC3339Check {
    static func isValid(_ text: String) -> Bool {
        let b = Array(text.utf8)
        func digits(_ range: Range<Int>) -> Bool {
            range.upperBound <= b.count && range.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b[$0]) }
        }
        guard b.count >= 20, digits(0..<4), b[4] == UInt8(ascii: "-"), digits(5..<7), b[7] == UInt8(ascii: "-"),
              digits(8..<10), b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t"), digits(11..<13),
              b[13] == UInt8(ascii: ":"), digits(14..<16), b[16] == UInt8(ascii: ":"), digits(17..<19)
        else { return false }
        var i = 19
        if b[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < b.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b[i]) { i += 1 }
            guard i > start else { return false }
        }
        guard i < b.count else { return false }
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") { return i + 1 == b.count }
        guard b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") else { return false }
        return b.count == i + 6 && digits(i + 1..<i + 3) && b[i + 3] == UInt8(ascii: ":") && digits(i + 4..<i + 6)
    }
}

// MARK: - Metadata and encoding

extension FluxEvent {
    /// Metadata suffixes notification-controller never forwards (`checksum` is deprecated; `digest`, `token` internal).
    static let droppedMetadataSuffixes: Set<String> = ["checksum", "digest", "token"]
    static let annotationPrefix = "event.toolkit.fluxcd.io/"

    /// Flux's `cleanupMetadata`: keeps keys prefixed with the object's group or `event.toolkit.fluxcd.io/`, with the
    /// prefix removed (`revision`, `commit_status`, …), and drops `checksum`/`digest`/`token`. Object-group keys win a clash.
    public func cleanedUp() -> FluxEvent {
        let groupPrefix = involvedObject.group.isEmpty ? nil : involvedObject.group + "/"
        var kept: [String: String] = [:]
        for (key, value) in metadata where key.hasPrefix(Self.annotationPrefix) {
            kept[String(key.dropFirst(Self.annotationPrefix.count))] = value
        }
        if let groupPrefix {
            for (key, value) in metadata where key.hasPrefix(groupPrefix) {
                let short = String(key.dropFirst(groupPrefix.count))
                if !Self.droppedMetadataSuffixes.contains(short) { kept[short] = value }
            }
        }
        var event = self
        event.metadata = kept
        return event
    }

    /// The event as JSON, the shape controllers send (what `generic` providers forward).
    public var json: JSONValue {
        var involved: JSONValue = [
            "kind": .string(involvedObject.kind), "namespace": .string(involvedObject.namespace),
            "name": .string(involvedObject.name),
        ]
        if let uid = involvedObject.uid { involved["uid"] = .string(uid) }
        if let apiVersion = involvedObject.apiVersion { involved["apiVersion"] = .string(apiVersion) }
        if let version = involvedObject.resourceVersion { involved["resourceVersion"] = .string(version) }
        var event: JSONValue = [
            "involvedObject": involved, "severity": .string(severity.rawValue), "timestamp": .string(timestamp),
            "message": .string(message), "reason": .string(reason),
            "reportingController": .string(reportingController),
        ]
        if !metadata.isEmpty { event["metadata"] = .object(metadata.mapValues { .string($0) }) }
        if let reportingInstance { event["reportingInstance"] = .string(reportingInstance) }
        return event
    }
}
