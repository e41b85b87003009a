import GitOpsKit

/// The body Flux's `alertmanager` provider posts to `/api/v2/alerts`: an array of one firing alert whose labels are
/// the event metadata plus `alertname` (`Flux` + kind + the reason title-cased, e.g.
/// `FluxKustomizationReconciliationsucceeded`), `severity`, `reason`, `kind`, `name`, `namespace` and
/// `reportingcontroller`; annotations `message` and (moved out of the labels) `summary`; `startsAt` the event time.
///
/// `endsAt` is left out: Flux sends Go's zero time, which Alertmanager treats as unset too, so the alert resolves
/// after Alertmanager's `resolve_timeout`.
struct AlertmanagerPayload {
    var event: FluxEvent

    var json: JSONValue {
        var labels = event.metadata
        var annotations: [String: String] = ["message": event.message]
        if let summary = labels.removeValue(forKey: "summary") { annotations["summary"] = summary }
        let object = event.involvedObject
        labels["alertname"] = "Flux" + object.kind + Self.titleCased(event.reason)
        labels["severity"] = event.severity.rawValue
        labels["reason"] = event.reason
        labels["kind"] = object.kind
        labels["name"] = object.name
        labels["namespace"] = object.namespace
        labels["reportingcontroller"] = event.reportingController
        let alert: JSONValue = [
            "status": "firing",
            "labels": .object(labels.mapValues { .string($0) }),
            "annotations": .object(annotations.mapValues { .string($0) }),
            "startsAt": .string(event.timestamp),
        ]
        return [alert]
    }

    /// Go's `cases.Title`: the first letter of every word upper case, the rest lower case
    /// (`ReconciliationSucceeded` → `Reconciliationsucceeded`).
    static func titleCased(_ text: String) -> String {
        var result = ""
        var inWord = false
        for character in text {
            if character.isLetter {
                result += inWord ? character.lowercased() : character.uppercased()
                inWord = true
            } else {
                result.append(character)
                inWord = character.isNumber || character == "'"
            }
        }
        return result
    }
}
