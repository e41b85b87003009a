import Foundation
import GitOpsKit
import Hummingbird
import NIOCore

/// Turns store changes into the watch events one request sees: namespace and selector filtering (objects that
/// stop matching leave as DELETED, objects that start matching arrive as ADDED) and encoding per format.
struct WatchEventEncoder: Sendable {
    let type: ResourceType
    let format: ResponseFormat
    let namespace: String?
    let label: LabelSelector
    let field: FieldSelector
    private(set) var sentTableHeaders = false

    init(type: ResourceType, format: ResponseFormat, namespace: String?, label: LabelSelector, field: FieldSelector) {
        self.type = type
        self.format = format
        self.namespace = namespace
        self.label = label
        self.field = field
    }

    private func matches(_ object: JSONValue) -> Bool {
        label.matches(object) && field.matches(object)
    }

    /// The event line for a change, or nil when this watch does not see it.
    mutating func encode(_ record: WatchRecord) -> [UInt8]? {
        if let namespace, record.namespace != namespace { return nil }
        let converted = Conversion.needsFieldConversion(type)
        let current = converted ? Conversion.toServed(type, record.object.object) : record.object.object
        let nowMatches = matches(current)
        let eventType: WatchEventType
        switch record.type {
        case .added:
            guard nowMatches else { return nil }
            eventType = .added
        case .deleted:
            guard nowMatches else { return nil }
            eventType = .deleted
        case .modified:
            let previous = record.previous.map { converted ? Conversion.toServed(type, $0) : $0 }
            let wasMatching = previous.map(matches) ?? false
            switch (wasMatching, nowMatches) {
            case (true, true): eventType = .modified
            case (false, true): eventType = .added
            case (true, false): eventType = .deleted
            case (false, false): return nil
            }
        }
        return line(eventType.rawValue, objectBytes(record.object, served: converted ? current : JSONValue?.none))
    }

    /// An ADDED event for an object present when the watch started.
    mutating func encodeInitial(_ stored: StoredObject) -> [UInt8]? {
        let converted = Conversion.needsFieldConversion(type)
        let served = converted ? Conversion.toServed(type, stored.object) : stored.object
        guard matches(served) else { return nil }
        return line(WatchEventType.added.rawValue, objectBytes(stored, served: converted ? served : JSONValue?.none))
    }

    private mutating func objectBytes(_ stored: StoredObject, served: JSONValue?) -> [UInt8] {
        switch format {
        case .json:
            if let served { return ObjectEncoding.encode(served) }
            return stored.json(apiVersion: type.apiVersion, kind: type.kind)
        case .partialMetadata:
            return JSONValue.object(["kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                                     "metadata": stored.object["metadata"] ?? .object([:])]).jsonBytes()
        case .table(let include):
            let object = served ?? Conversion.toServed(type, stored.object)
            let table = TableConverter.table(type, objects: [object],
                                             listMetadata: ["resourceVersion": .string(String(stored.resourceVersion))],
                                             include: include, headers: !sentTableHeaders)
            sentTableHeaders = true
            return table.jsonBytes()
        }
    }

    /// A BOOKMARK carrying `revision`; `initialEventsEnd` marks the end of `sendInitialEvents`.
    func bookmark(_ revision: Int64, initialEventsEnd: Bool = false) -> [UInt8] {
        var metadata: [String: JSONValue] = ["resourceVersion": .string(String(revision))]
        if initialEventsEnd { metadata["annotations"] = ["k8s.io/initial-events-end": "true"] }
        let object: JSONValue
        if format == .partialMetadata {
            object = ["kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": .object(metadata)]
        } else {
            object = ["kind": .string(type.kind), "apiVersion": .string(type.apiVersion), "metadata": .object(metadata)]
        }
        return line("BOOKMARK", ObjectEncoding.encode(object))
    }

    func error(_ status: APIError) -> [UInt8] {
        line("ERROR", status.status.jsonBytes())
    }

    private func line(_ type: String, _ object: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(object.count + 32)
        out.append(contentsOf: "{\"type\":\"\(type)\",\"object\":".utf8)
        out.append(contentsOf: object)
        out.append(contentsOf: "}\n".utf8)
        return out
    }
}

extension EmulatorResponder {
    func watch(_ type: ResourceType, namespace: String?, query: QueryParameters, format: ResponseFormat,
               context: Context) throws -> Response {
        let label = try LabelSelector(parsing: query["labelSelector"] ?? "")
        let field = try FieldSelector(parsing: query["fieldSelector"] ?? "", for: type)
        let versionText = query["resourceVersion"] ?? ""
        var since: Int64?
        if !versionText.isEmpty && versionText != "0" {
            guard let parsed = Int64(versionText) else { throw APIError.badRequest("invalid resource version \"\(versionText)\"") }
            since = parsed
        }
        let sendInitialEvents = query.bool("sendInitialEvents")
        let allowBookmarks = query.bool("allowWatchBookmarks") ?? false
        if sendInitialEvents == true {
            guard allowBookmarks else {
                throw APIError.invalid(kind: "ListOptions", group: "meta.k8s.io", name: "", causes: [
                    FieldProblem.forbidden("allowWatchBookmarks", "sendInitialEvents requires setting allowWatchBookmarks to true").cause,
                ])
            }
            since = nil
        }
        let timeout = query["timeoutSeconds"].flatMap { Int64($0) }
        let scopedNamespace = type.namespaced ? namespace : nil
        let baseEncoder = WatchEventEncoder(type: type, format: format, namespace: scopedNamespace, label: label, field: field)
        let store = server.store
        let start: ObjectStore.WatchStart
        do {
            start = try store.watch(type.storage, since: since, includeInitial: since == nil && sendInitialEvents != false,
                                    initialNamespace: scopedNamespace, bufferLimit: server.configuration.watchBufferLimit)
        } catch {
            let line = baseEncoder.error(server.mapConflict(error, type, name: ""))
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody { writer in
                try await writer.write(ByteBuffer(bytes: line))
                try await writer.finish(nil)
            })
        }
        let storage = type.storage
        let watchID = start.id
        context.channel.closeFuture.whenComplete { _ in store.endWatch(watchID, storage: storage) }
        let bookmarkInterval = server.configuration.bookmarkInterval
        let body = ResponseBody { writer in
            var encoder = baseEncoder
            do {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    if let timeout {
                        group.addTask {
                            try? await Task.sleep(for: .seconds(timeout))
                            store.endWatch(watchID, storage: storage)
                        }
                    }
                    if allowBookmarks {
                        group.addTask {
                            while !Task.isCancelled {
                                try await Task.sleep(for: bookmarkInterval)
                                store.requestProgress(watchID, storage: storage)
                            }
                        }
                    }
                    var pending = ByteBuffer()
                    for object in start.initial {
                        if let line = encoder.encodeInitial(object) { pending.writeBytes(line) }
                        if pending.readableBytes > 64 * 1024 {
                            try await writer.write(pending)
                            pending.clear()
                        }
                    }
                    for record in start.replay {
                        if let line = encoder.encode(record) { pending.writeBytes(line) }
                    }
                    if sendInitialEvents == true { pending.writeBytes(encoder.bookmark(start.revision, initialEventsEnd: true)) }
                    if pending.readableBytes > 0 { try await writer.write(pending) }
                    for await message in start.stream {
                        switch message {
                        case .record(let record):
                            if let line = encoder.encode(record) { try await writer.write(ByteBuffer(bytes: line)) }
                        case .progress(let revision):
                            if allowBookmarks { try await writer.write(ByteBuffer(bytes: encoder.bookmark(revision))) }
                        }
                    }
                    group.cancelAll()
                }
            } catch {
                store.endWatch(watchID, storage: storage)
                throw error
            }
            store.endWatch(watchID, storage: storage)
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-cache, private"], body: body)
    }
}
