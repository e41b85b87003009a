import GitOpsKit
import Logging
import NotificationControllerKit
import Testing

/// The Alert index: an event only sees the Alerts whose sources can select its object.
@Suite struct NotificationCatalogTests {
    static func alert(_ name: String, namespace: String = "apps", _ sources: [CrossNamespaceObjectReference]) -> Alert {
        Alert(metadata: ObjectMeta(name: name, namespace: namespace),
              spec: .init(providerRef: .init(name: "p"), eventSources: sources))
    }

    @Test func indexesByNamespaceKindAndName() {
        let catalog = NotificationCatalog(logger: Logger(label: "test"))
        catalog.upsert(Self.alert("webapp", [.init(kind: "Kustomization", name: "webapp")]))
        catalog.upsert(Self.alert("other", [.init(kind: "Kustomization", name: "other")]))
        catalog.upsert(Self.alert("all", [.init(kind: "Kustomization", name: "*")]))
        catalog.upsert(Self.alert("both", [.init(kind: "Kustomization", name: "webapp"), .init(kind: "Kustomization", name: "*")]))
        catalog.upsert(Self.alert("cross", namespace: "ops", [.init(kind: "Kustomization", name: "webapp", namespace: "apps")]))
        catalog.upsert(Self.alert("repos", [.init(kind: "GitRepository", name: "*")]))
        let names = { (name: String) in
            catalog.alerts(namespace: "apps", kind: "Kustomization", name: name).map { "\($0.key.namespace ?? "")/\($0.key.name)" }
        }
        #expect(names("webapp") == ["apps/all", "apps/both", "apps/webapp", "ops/cross"])
        #expect(names("unknown") == ["apps/all", "apps/both"])
        #expect(catalog.alerts(namespace: "ops", kind: "Kustomization", name: "webapp").isEmpty)

        // A changed Alert moves in the index; a removed one leaves it.
        catalog.upsert(Self.alert("webapp", [.init(kind: "Kustomization", name: "renamed")]))
        catalog.removeAlert(ObjectKey(namespace: "apps", name: "both"))
        #expect(names("webapp") == ["apps/all", "ops/cross"])
        #expect(names("renamed") == ["apps/all", "apps/webapp"])
        #expect(catalog.alertCount == 5)
    }
}
