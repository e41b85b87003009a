import GitOpsKit
import KubeEmulator
import Testing

/// Hand-checked server-side apply cases (expected managedFields worked out from kube-apiserver's field manager and
/// structured-merge-diff rules, and from the examples in the Kubernetes server-side-apply documentation).
struct FieldManagerTests {
    static let deploymentKind = GroupVersionKind(apiVersion: "apps/v1", kind: "Deployment")
    static var deploymentTypes: ListTypeSchema { ListTypeSchema.builtIn(deploymentKind) ?? .deduced }
    static let t1 = "2024-05-01T10:00:00Z"
    static let t2 = "2024-05-01T11:00:00Z"
    static let t3 = "2024-05-01T12:00:00Z"

    static func deployment(replicas: Int64 = 3, containers: [JSONValue] = [["name": "nginx", "image": "nginx:1"]],
                           labels: JSONValue = ["app": "web"]) -> JSONValue {
        [
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": ["name": "web", "namespace": "default", "labels": labels],
            "spec": [
                "replicas": .int(replicas),
                "selector": ["matchLabels": ["app": "web"]],
                "template": ["metadata": ["labels": ["app": "web"]], "spec": ["containers": .array(containers)]],
            ],
        ]
    }

    static func entries(_ object: JSONValue) -> [JSONValue] { object[path: "metadata", "managedFields"]?.arrayValue ?? [] }

    static func entry(_ object: JSONValue, manager: String) -> JSONValue? {
        entries(object).first { $0["manager"]?.stringValue == manager }
    }

    static func apply(_ applied: JSONValue, to live: JSONValue?, manager: String = "kubectl", force: Bool = false,
                      now: String = t1) throws -> JSONValue {
        try FieldManager.apply(applied, to: live, manager: manager, force: force, subresource: nil,
                               listTypes: deploymentTypes, now: now)
    }

    @Test func createByApplyRecordsTheAppliedFieldsLikeKubeApiserver() throws {
        let result = try Self.apply(Self.deployment(), to: nil)
        let expected = try JSONValue(json: #"""
        {"f:metadata":{"f:labels":{"f:app":{}}},
         "f:spec":{"f:replicas":{},"f:selector":{},
                   "f:template":{"f:metadata":{"f:labels":{"f:app":{}}},
                                 "f:spec":{"f:containers":{"k:{\"name\":\"nginx\"}":{".":{},"f:image":{},"f:name":{}}}}}}}
        """#)
        #expect(Self.entries(result) == [[
            "manager": "kubectl", "operation": "Apply", "apiVersion": "apps/v1", "time": .string(Self.t1),
            "fieldsType": "FieldsV1", "fieldsV1": expected,
        ]])
        #expect(result[path: "spec", "replicas"] == 3)
        #expect(result[path: "metadata", "name"] == "web")
    }

    @Test func updateByAnotherManagerTakesOwnershipAndApplyThenConflicts() throws {
        let created = try Self.apply(Self.deployment(), to: nil)
        var scaled = created
        scaled[path: "spec", "replicas"] = 5
        let afterScale = FieldManager.recordUpdate(old: created, new: scaled, manager: "kubectl-scale", subresource: nil,
                                                   now: Self.t2, listTypes: Self.deploymentTypes)
        let scaler = try #require(Self.entry(afterScale, manager: "kubectl-scale"))
        #expect(scaler["operation"] == "Update")
        #expect(scaler["apiVersion"] == "apps/v1")
        #expect(scaler["fieldsV1"] == ["f:spec": ["f:replicas": [:]]])
        #expect(Self.entry(afterScale, manager: "kubectl")?[path: "fieldsV1", "f:spec", "f:replicas"] == nil)
        // Entries are sorted: Apply before Update.
        #expect(Self.entries(afterScale).map { $0["manager"] } == ["kubectl", "kubectl-scale"])

        #expect {
            _ = try Self.apply(Self.deployment(replicas: 3), to: afterScale, now: Self.t3)
        } throws: { error in
            guard let conflict = error as? ApplyConflictError else { return false }
            return conflict.message == #"Apply failed with 1 conflict: conflict with "kubectl-scale" using apps/v1: .spec.replicas"#
                && conflict.causes == [KubeError.Cause(field: ".spec.replicas", reason: "FieldManagerConflict",
                                                       message: #"conflict with "kubectl-scale" using apps/v1"#)]
                && conflict.kubeError.httpStatus == 409
        }

        // Applying the live value is not a conflict: the field becomes shared.
        let shared = try Self.apply(Self.deployment(replicas: 5), to: afterScale, now: Self.t3)
        #expect(Self.entry(shared, manager: "kubectl")?[path: "fieldsV1", "f:spec", "f:replicas"] == [:])
        #expect(Self.entry(shared, manager: "kubectl-scale")?[path: "fieldsV1", "f:spec", "f:replicas"] == [:])

        // Force takes the field: the scaler owns nothing any more and its entry goes.
        let forced = try Self.apply(Self.deployment(replicas: 3), to: afterScale, force: true, now: Self.t3)
        #expect(forced[path: "spec", "replicas"] == 3)
        #expect(Self.entry(forced, manager: "kubectl-scale") == nil)
        #expect(Self.entry(forced, manager: "kubectl")?["time"] == .string(Self.t3))
    }

    @Test func fieldsNoLongerAppliedAreRemovedUnlessSomeoneElseOwnsThem() throws {
        let twoContainers: [JSONValue] = [["name": "nginx", "image": "nginx:1"], ["name": "sidecar", "image": "s:1"]]
        let first = try Self.apply(Self.deployment(containers: twoContainers, labels: ["app": "web", "tier": "fe", "team": "a"]), to: nil)
        // Another applier shares `team` (same value).
        var other: JSONValue = ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web", "labels": ["team": "a"]]]
        let withOther = try Self.apply(other, to: first, manager: "team-bot", now: Self.t2)
        #expect(Self.entry(withOther, manager: "team-bot")?["fieldsV1"] == ["f:metadata": ["f:labels": ["f:team": [:]]]])

        let second = try Self.apply(Self.deployment(labels: ["app": "web"]), to: withOther, now: Self.t3)
        #expect(second[path: "metadata", "labels"] == ["app": "web", "team": "a"])
        #expect(second[path: "spec", "template", "spec", "containers"] == [["name": "nginx", "image": "nginx:1"]])
        #expect(second[path: "spec", "selector"] == ["matchLabels": ["app": "web"]])
        #expect(second[path: "metadata", "namespace"] == "default")

        // Once the other applier drops `team` too, it goes.
        other[path: "metadata", "labels"] = nil
        other[path: "metadata", "annotations"] = ["note": "x"]
        let third = try Self.apply(other, to: second, manager: "team-bot", now: Self.t3)
        #expect(third[path: "metadata", "labels"] == ["app": "web"])
        #expect(third[path: "metadata", "annotations"] == ["note": "x"])
    }

    @Test func defaultsNobodyOwnsSurviveAndListItemsMergeByKey() throws {
        var live = try Self.apply(Self.deployment(), to: nil)
        // The server defaulted these after the apply; no manager owns them.
        live[path: "spec", "revisionHistoryLimit"] = 10
        live[path: "spec", "template", "spec", "containers"] = [["name": "nginx", "image": "nginx:1", "imagePullPolicy": "IfNotPresent"]]
        let next = try Self.apply(Self.deployment(containers: [["name": "nginx", "image": "nginx:2"], ["name": "log", "image": "l"]]),
                                  to: live, now: Self.t2)
        #expect(next[path: "spec", "revisionHistoryLimit"] == 10)
        #expect(next[path: "spec", "template", "spec", "containers"] == [
            ["name": "nginx", "image": "nginx:2", "imagePullPolicy": "IfNotPresent"], ["name": "log", "image": "l"],
        ])
        let containers = try #require(Self.entry(next, manager: "kubectl")?[path: "fieldsV1", "f:spec", "f:template", "f:spec", "f:containers"])
        #expect(containers.objectValue?.keys.sorted() == [#"k:{"name":"log"}"#, #"k:{"name":"nginx"}"#])
    }

    @Test func applyingToAnUntrackedObjectConflictsWithBeforeFirstApply() throws {
        let live = Self.deployment(replicas: 1)
        #expect {
            _ = try Self.apply(Self.deployment(replicas: 2), to: live)
        } throws: { error in
            (error as? ApplyConflictError)?.message
                == #"Apply failed with 1 conflict: conflict with "before-first-apply" using apps/v1: .spec.replicas"#
        }
        let forced = try Self.apply(Self.deployment(replicas: 2), to: live, force: true)
        let before = try #require(Self.entry(forced, manager: "before-first-apply"))
        #expect(before["operation"] == "Update")
        #expect(before[path: "fieldsV1", "f:spec", "f:replicas"] == nil)
        #expect(before[path: "fieldsV1", "f:spec", "f:selector"] == [:])
    }

    @Test func multipleConflictsAreGroupedByManager() throws {
        let created = try Self.apply(Self.deployment(), to: nil)
        var changed = created
        changed[path: "spec", "replicas"] = 9
        changed[path: "metadata", "labels", "app"] = "other"
        let updated = FieldManager.recordUpdate(old: created, new: changed, manager: "editor", subresource: nil, now: Self.t2,
                                                listTypes: Self.deploymentTypes)
        #expect {
            _ = try Self.apply(Self.deployment(), to: updated, now: Self.t3)
        } throws: { error in
            guard let conflict = error as? ApplyConflictError else { return false }
            return conflict.message == """
                Apply failed with 2 conflicts: conflicts with "editor" using apps/v1:
                - .metadata.labels.app
                - .spec.replicas
                """ && conflict.conflicts.map(\.field) == [".metadata.labels.app", ".spec.replicas"]
        }
    }

    @Test func noOpApplyKeepsTheObjectAndTheTime() throws {
        let created = try Self.apply(Self.deployment(), to: nil)
        let again = try Self.apply(Self.deployment(), to: created, now: Self.t3)
        #expect(again == created)
        // A second manager applying identical values shares ownership but changes nothing, so gets no time.
        let second = try Self.apply(Self.deployment(), to: created, manager: "argo", now: Self.t3)
        #expect(Self.entry(second, manager: "argo")?["time"] == nil)
        #expect(Self.entry(second, manager: "argo")?["fieldsV1"] == Self.entry(created, manager: "kubectl")?["fieldsV1"])
    }

    @Test func createByUpdateMarksNewMapsWithDot() throws {
        let cm: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap",
                             "metadata": ["name": "c", "labels": ["x": "1"]], "data": ["a": "1", "b": "2"]]
        let created = FieldManager.recordUpdate(old: nil, new: cm, manager: "kubectl-create", subresource: nil, now: Self.t1,
                                                listTypes: ListTypeSchema.builtIn(GroupVersionKind(apiVersion: "v1", kind: "ConfigMap")) ?? .deduced)
        #expect(Self.entries(created) == [[
            "manager": "kubectl-create", "operation": "Update", "apiVersion": "v1", "time": .string(Self.t1), "fieldsType": "FieldsV1",
            "fieldsV1": [
                "f:data": [".": [:], "f:a": [:], "f:b": [:]],
                "f:metadata": ["f:labels": [".": [:], "f:x": [:]]],
            ],
        ]])
        // An update that changes nothing leaves the entry (and its time) alone.
        let same = FieldManager.recordUpdate(old: created, new: created, manager: "kubectl-create", subresource: nil, now: Self.t2)
        #expect(same == created)
    }

    @Test func untrackedObjectsStayUntrackedAndAnEmptyListResets() throws {
        let cm: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "c"], "data": ["a": "1"]]
        var changed = cm
        changed[path: "data", "a"] = "2"
        let untracked = FieldManager.recordUpdate(old: cm, new: changed, manager: "m", subresource: nil, now: Self.t1)
        #expect(untracked[path: "metadata", "managedFields"] == nil)

        let tracked = FieldManager.recordUpdate(old: nil, new: cm, manager: "m", subresource: nil, now: Self.t1)
        #expect(Self.entries(tracked).count == 1)
        var reset = tracked
        reset[path: "metadata", "managedFields"] = []
        let cleared = FieldManager.recordUpdate(old: tracked, new: reset, manager: "m", subresource: nil, now: Self.t2)
        #expect(cleared[path: "metadata", "managedFields"] == nil)
    }

    @Test func statusBelongsToTheStatusSubresource() throws {
        var applied = Self.deployment()
        applied["status"] = ["replicas": 3]
        let created = try Self.apply(applied, to: nil)
        #expect(Self.entry(created, manager: "kubectl")?[path: "fieldsV1", "f:status"] == nil)

        var withStatus = created
        withStatus["status"] = ["replicas": 4, "readyReplicas": 3]
        withStatus[path: "spec", "replicas"] = 7
        let updated = FieldManager.recordUpdate(old: created, new: withStatus, manager: "controller", subresource: "status",
                                                now: Self.t2, listTypes: Self.deploymentTypes)
        let controller = try #require(Self.entry(updated, manager: "controller"))
        #expect(controller["subresource"] == "status")
        #expect(controller["fieldsV1"] == ["f:status": ["f:readyReplicas": [:], "f:replicas": [:]]])
        #expect(Self.entry(updated, manager: "kubectl")?[path: "fieldsV1", "f:spec", "f:replicas"] == [:])
    }

    @Test func setListsOwnItemsByValue() throws {
        let cm: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "c", "finalizers": ["a", "b"]]]
        let result = try FieldManager.apply(cm, to: nil, manager: "m", force: false, subresource: nil,
                                            listTypes: ListTypeSchema.builtIn(GroupVersionKind(apiVersion: "v1", kind: "ConfigMap")) ?? .deduced,
                                            now: Self.t1)
        #expect(Self.entry(result, manager: "m")?["fieldsV1"] == ["f:metadata": ["f:finalizers": [#"v:"a""#: [:], #"v:"b""#: [:]]]])
        // Deduced lists are atomic.
        let deduced = try FieldManager.apply(cm, to: nil, manager: "m", force: false, subresource: nil, listTypes: .deduced, now: Self.t1)
        #expect(Self.entry(deduced, manager: "m")?["fieldsV1"] == ["f:metadata": ["f:finalizers": [:]]])
    }

    @Test func containerPortsAreKeyedByPortAndDefaultProtocol() throws {
        let result = try Self.apply(Self.deployment(containers: [["name": "nginx", "ports": [["containerPort": 80]]]]), to: nil)
        let ports = result[path: "metadata", "managedFields"]?[0]?[path: "fieldsV1", "f:spec", "f:template", "f:spec", "f:containers",
                                                                  #"k:{"name":"nginx"}"#, "f:ports"]
        #expect(ports == [#"k:{"containerPort":80,"protocol":"TCP"}"#: [".": [:], "f:containerPort": [:]]])
    }

    @Test func moreThanTenUpdateManagersCollapseIntoAncientChanges() throws {
        var object: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "c"], "data": [:]]
        object = FieldManager.recordUpdate(old: nil, new: object, manager: "creator", subresource: nil, now: "2024-01-01T00:00:00Z")
        for i in 0..<11 {
            var next = object
            next[path: "data", "k\(i)"] = "v"
            object = FieldManager.recordUpdate(old: object, new: next, manager: "m\(i)", subresource: nil,
                                               now: "2024-01-01T00:00:\(10 + i)Z")
        }
        let managers = Self.entries(object).compactMap { $0["manager"]?.stringValue }
        #expect(managers.count == 10)
        #expect(managers.contains("ancient-changes"))
        #expect(!managers.contains("m0"))
        #expect(managers.contains("m10"))
    }

    @Test func fieldsV1RoundTripsAndRejectsGarbage() throws {
        let text = #"{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:ports":{"k:{\"port\":80,\"protocol\":\"TCP\"}":{".":{},"f:port":{}}},"f:x":{"v:\"a\"":{},"i:0":{}}}}"#
        let value = try JSONValue(json: text)
        let set = try FieldSet(fieldsV1: value)
        #expect(set.fieldsV1 == value)
        #expect(set.contains([.field("metadata"), .field("labels")]))
        #expect(!set.contains([.field("metadata")]))
        #expect(set.paths.map(\.pathString).contains(#".spec.ports[port=80,protocol="TCP"].port"#))
        #expect(throws: FieldSetError.self) { try FieldSet(fieldsV1: ["x:nope": [:]]) }
        #expect(throws: FieldSetError.self) { try FieldSet(fieldsV1: ["f:a": 1]) }
        #expect(throws: FieldSetError.self) { try FieldSet(fieldsV1: [#"k:[1]"#: [:]]) }
    }

    @Test func malformedManagedFieldsAreTreatedAsNone() throws {
        var live = Self.deployment()
        live[path: "metadata", "managedFields"] = [["manager": "x", "operation": "Frobnicate", "apiVersion": "v1", "fieldsType": "FieldsV1"]]
        let result = try Self.apply(Self.deployment(), to: live)
        #expect(Self.entries(result).compactMap { $0["manager"]?.stringValue }.sorted() == ["before-first-apply", "kubectl"])
    }
}

extension FieldManagerTests {
    /// `kubectl create deployment nginx --image=nginx` as stored (after defaulting) and the managedFields entry a
    /// real kube-apiserver records for it.
    @Test func createOfADefaultedDeploymentMatchesKubectlCreate() throws {
        let deployment = try JSONValue(json: #"""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"nginx","namespace":"default","labels":{"app":"nginx"}},
         "spec":{"progressDeadlineSeconds":600,"replicas":1,"revisionHistoryLimit":10,"selector":{"matchLabels":{"app":"nginx"}},
          "strategy":{"rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"},"type":"RollingUpdate"},
          "template":{"metadata":{"labels":{"app":"nginx"}},"spec":{
            "containers":[{"image":"nginx","imagePullPolicy":"Always","name":"nginx","resources":{},
              "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],
            "dnsPolicy":"ClusterFirst","restartPolicy":"Always","schedulerName":"default-scheduler","securityContext":{},
            "terminationGracePeriodSeconds":30}}}}
        """#)
        let expected = try JSONValue(json: #"""
        {"f:metadata":{"f:labels":{".":{},"f:app":{}}},
         "f:spec":{"f:progressDeadlineSeconds":{},"f:replicas":{},"f:revisionHistoryLimit":{},"f:selector":{},
          "f:strategy":{"f:rollingUpdate":{".":{},"f:maxSurge":{},"f:maxUnavailable":{}},"f:type":{}},
          "f:template":{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{
            "f:containers":{"k:{\"name\":\"nginx\"}":{".":{},"f:image":{},"f:imagePullPolicy":{},"f:name":{},"f:resources":{},
              "f:terminationMessagePath":{},"f:terminationMessagePolicy":{}}},
            "f:dnsPolicy":{},"f:restartPolicy":{},"f:schedulerName":{},"f:securityContext":{},"f:terminationGracePeriodSeconds":{}}}}}
        """#)
        let created = FieldManager.recordUpdate(old: nil, new: deployment, manager: "kubectl-create", subresource: nil,
                                                now: Self.t1, listTypes: Self.deploymentTypes)
        #expect(Self.entries(created) == [[
            "manager": "kubectl-create", "operation": "Update", "apiVersion": "apps/v1", "time": .string(Self.t1),
            "fieldsType": "FieldsV1", "fieldsV1": expected,
        ]])
    }
}
