import GitOpsKit

/// The alert Flux's `opsgenie` provider creates (`POST` to the Alert API address with `Authorization: GenieKey
/// <token>`): message `Kind/name`, description the event message, details the metadata plus `severity`, and an
/// alias — the SHA-256 of `<provider UID>/kind/namespace/name/reason` in hex — so Opsgenie deduplicates repeats of
/// the same problem while other reasons and other clusters' Providers open their own alerts.
struct OpsgenieAlert {
    var event: FluxEvent
    var providerUID: String?

    var json: JSONValue {
        let object = event.involvedObject
        var details = event.metadata
        details["severity"] = event.severity.rawValue
        let aliasKey = "\(providerUID ?? "")/\(object.kind)/\(object.namespace)/\(object.name)/\(event.reason)"
        return [
            "message": .string("\(object.kind)/\(object.name)"),
            "alias": .string(Digest.sha256Hex(Array(aliasKey.utf8))),
            "description": .string(event.message),
            "details": .object(details.mapValues { .string($0) }),
        ]
    }
}
