import Foundation
import GitOpsKit
@testable import KubeEmulator
import Testing

@Suite struct SelectorUnitTests {
    @Test func labelSelectorMatching() throws {
        let selector = try LabelSelector(parsing: "app=web, tier!=db,env in (a, b),!legacy,version>2")
        #expect(selector.requirements.count == 5)
        let match: JSONValue = ["metadata": ["labels": ["app": "web", "tier": "front", "env": "a", "version": "3"]]]
        #expect(selector.matches(match))
        var legacy = match
        legacy[path: "metadata", "labels", "legacy"] = "true"
        #expect(!selector.matches(legacy))
        var old = match
        old[path: "metadata", "labels", "version"] = "2"
        #expect(!selector.matches(old))
    }

    @Test(arguments: ["app=", "=web", "app in web", "app in (a", "a b", "app=web,", "version>x", "-bad=1", "app=-x-"])
    func labelSelectorRejects(_ text: String) {
        if text == "app=" {
            #expect((try? LabelSelector(parsing: text)) != nil, "empty values are allowed")
            return
        }
        #expect(throws: APIError.self) { try LabelSelector(parsing: text) }
    }

    @Test func labelSelectorFromObject() {
        let selector = LabelSelector(object: ["matchLabels": ["app": "x"],
                                              "matchExpressions": [["key": "tier", "operator": "In", "values": ["a"]]]])
        #expect(selector?.matches(["metadata": ["labels": ["app": "x", "tier": "a"]]]) == true)
        #expect(selector?.matches(["metadata": ["labels": ["app": "x"]]]) == false)
        #expect(LabelSelector(object: ["matchExpressions": [["key": "a", "operator": "Bogus"]]]) == nil)
    }

    @Test func fieldSelectorsPerKind() throws {
        let events = try #require(BuiltInResources.all.first { $0.kind == "Event" && $0.group.isEmpty })
        let selector = try FieldSelector(parsing: "involvedObject.name=web,type!=Warning,source=kubelet", for: events)
        let event: JSONValue = ["involvedObject": ["name": "web"], "type": "Normal", "source": ["component": "kubelet"]]
        #expect(selector.matches(event))
        #expect(!selector.matches(["involvedObject": ["name": "web"], "type": "Warning", "source": ["component": "kubelet"]]))
        let configMaps = try #require(BuiltInResources.all.first { $0.kind == "ConfigMap" })
        #expect(throws: APIError.self) { try FieldSelector(parsing: "involvedObject.name=x", for: configMaps) }
        #expect(throws: APIError.self) { try FieldSelector(parsing: "metadata.name", for: configMaps) }
        let escaped = try FieldSelector(parsing: "metadata.name=a\\,b", for: configMaps)
        #expect(escaped.requirements.first?.value == "a,b")
    }

    @Test func namesAndLabels() {
        #expect(NameValidation.problems("web-1", rule: .subdomain).isEmpty)
        #expect(NameValidation.problems("a.b.c", rule: .subdomain).isEmpty)
        #expect(!NameValidation.problems("a.b", rule: .label).isEmpty)
        #expect(!NameValidation.problems("1abc", rule: .dns1035).isEmpty)
        #expect(NameValidation.problems("system:controller:x", rule: .pathSegment).isEmpty)
        #expect(NameValidation.problems("a/b", rule: .pathSegment) == ["may not contain '/'"])
        #expect(LabelValidation.keyProblem("app.kubernetes.io/name") == nil)
        #expect(LabelValidation.keyProblem("Bad_Prefix/name") != nil)
        #expect(LabelValidation.valueProblem(String(repeating: "a", count: 64)) == "must be no more than 63 characters")
    }
}

@Suite struct EncodingUnitTests {
    @Test func timestampsRoundTrip() throws {
        let date = try #require(Timestamp.parse("2024-02-29T23:59:58Z"))
        #expect(Timestamp.format(date) == "2024-02-29T23:59:58Z")
        #expect(Timestamp.parse("2024-02-29T23:59:58.5+01:00").map(Timestamp.format) == "2024-02-29T22:59:58Z")
        #expect(Timestamp.parse("yesterday") == nil)
        #expect(Timestamp.humanDuration(since: date, now: date.addingTimeInterval(59)) == "59s")
        #expect(Timestamp.humanDuration(since: date, now: date.addingTimeInterval(3 * 60 + 5)) == "3m5s")
        #expect(Timestamp.humanDuration(since: date, now: date.addingTimeInterval(26 * 3600)) == "26h")
        #expect(Timestamp.humanDuration(since: date, now: date.addingTimeInterval(3 * 86400 + 3600)) == "3d1h")
    }

    @Test func storedObjectsServeKindAndAPIVersionFirst() {
        let stored = StoredObject(object: ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "x"], "data": ["a": "b"]],
                                  resourceVersion: 7)
        #expect(String(decoding: stored.body, as: UTF8.self) == #"{"data":{"a":"b"},"metadata":{"name":"x"}}"#)
        #expect(String(decoding: stored.json(apiVersion: "v1", kind: "ConfigMap"), as: UTF8.self)
                == #"{"kind":"ConfigMap","apiVersion":"v1","data":{"a":"b"},"metadata":{"name":"x"}}"#)
        let empty = StoredObject(object: ["apiVersion": "v1", "kind": "X"], resourceVersion: 1)
        #expect(String(decoding: empty.json(apiVersion: "v1", kind: "X"), as: UTF8.self) == #"{"kind":"X","apiVersion":"v1"}"#)
    }

    @Test func continueTokensRoundTripAndRejectGarbage() throws {
        let token = ContinueToken(revision: 42, namespace: "ns", name: "obj")
        let decoded = try ContinueToken(decoding: token.encoded)
        #expect(decoded.revision == 42 && decoded.namespace == "ns" && decoded.name == "obj")
        #expect(throws: APIError.self) { try ContinueToken(decoding: "bm9wZQ") }
    }

    @Test func simpleJSONPath() {
        let object: JSONValue = ["status": ["conditions": [["type": "Ready", "status": "False"], ["type": "Synced", "status": "True"]]],
                                 "metadata": ["labels": ["app.kubernetes.io/name": "x"]], "spec": ["n": 3]]
        #expect(SimpleJSONPath(".status.conditions[?(@.type==\"Synced\")].status")?.evaluate(object) == ["True"])
        #expect(SimpleJSONPath(".status.conditions[0].type")?.evaluate(object) == ["Ready"])
        #expect(SimpleJSONPath(".status.conditions[*].type")?.evaluate(object) == ["Ready", "Synced"])
        #expect(SimpleJSONPath(".metadata.labels.app\\.kubernetes\\.io/name")?.evaluate(object) == ["x"])
        #expect(SimpleJSONPath(".spec.missing")?.evaluate(object) == [])
        #expect(SimpleJSONPath("spec[") == nil)
        #expect(TableConverter.cell(for: "integer", 3) == 3)
        #expect(TableConverter.cell(for: "string", 3) == "3")
    }

    @Test func crdVersionsSortByKubernetesPriority() {
        let crd: JSONValue = ["spec": ["versions": [["name": "v1alpha1", "served": true], ["name": "v1beta2", "served": true],
                                                    ["name": "foo", "served": true], ["name": "v1", "served": true],
                                                    ["name": "v2", "served": false], ["name": "v1beta10", "served": true]]]]
        #expect(CRDValidation.servedVersions(of: crd) == ["v1", "v1beta10", "v1beta2", "v1alpha1", "foo"])
        #expect(CRDValidation.preferredVersion(of: crd) == "v1")
    }

    @Test func eventConversionRoundTrips() {
        let event: JSONValue = ["regarding": ["name": "x"], "note": "hi", "deprecatedCount": 2, "reason": "R"]
        let core = EventConversion.toCore(event)
        #expect(core == ["involvedObject": ["name": "x"], "message": "hi", "count": 2, "reason": "R"])
        #expect(EventConversion.fromCore(core) == event)
    }
}

/// Hand-built protobuf bodies in the wire format kubectl sends.
@Suite struct ProtobufUnitTests {
    private func varint(_ value: UInt64) -> [UInt8] {
        var value = value
        var out: [UInt8] = []
        repeat {
            var byte = UInt8(value & 0x7F)
            value >>= 7
            if value != 0 { byte |= 0x80 }
            out.append(byte)
        } while value != 0
        return out
    }
    private func field(_ number: Int, _ bytes: [UInt8]) -> [UInt8] { varint(UInt64(number << 3 | 2)) + varint(UInt64(bytes.count)) + bytes }
    private func field(_ number: Int, _ text: String) -> [UInt8] { field(number, Array(text.utf8)) }
    private func field(_ number: Int, int value: Int64) -> [UInt8] { varint(UInt64(number << 3)) + varint(UInt64(bitPattern: value)) }
    private func entry(_ key: String, _ value: String) -> [UInt8] { field(1, key) + field(2, value) }

    private func envelope(apiVersion: String, kind: String, _ raw: [UInt8]) -> [UInt8] {
        ProtobufDecoder.magic + field(1, field(1, apiVersion) + field(2, kind)) + field(2, raw)
            + field(3, "") + field(4, "")
    }

    @Test func decodesAConfigMapLikeKubectlCreate() throws {
        let metadata = field(1, "settings") + field(2, "") + field(3, "team") + field(7, int: 0) + field(8, [])
            + field(11, entry("app", "web"))
        let raw = field(1, metadata) + field(2, entry("mode", "fast")) + field(2, entry("size", "3"))
        let object = try ProtobufDecoder.decodeObject(envelope(apiVersion: "v1", kind: "ConfigMap", raw))
        #expect(object == ["apiVersion": "v1", "kind": "ConfigMap",
                           "metadata": ["name": "settings", "namespace": "team", "labels": ["app": "web"]],
                           "data": ["mode": "fast", "size": "3"]])
    }

    @Test func decodesNestedKindsWithSpecialTypes() throws {
        let port = field(1, int: 1) + field(3, "http")
        let servicePort = field(1, "web") + field(2, "TCP") + field(3, int: 80) + field(4, port)
        let spec = field(1, servicePort) + field(2, entry("app", "web"))
        let time = field(1, int: 1_704_067_200)
        let metadata = field(1, "svc") + field(8, time)
        let object = try ProtobufDecoder.decodeObject(envelope(apiVersion: "v1", kind: "Service", field(1, metadata) + field(2, spec)))
        #expect(object[path: "metadata", "creationTimestamp"] == "2024-01-01T00:00:00Z")
        #expect(object[path: "spec", "ports"] == [["name": "web", "protocol": "TCP", "port": 80, "targetPort": "http"]])
        #expect(object[path: "spec", "selector"] == ["app": "web"])

        let volume = field(1, "config") + field(2, field(19, field(1, field(1, "cm"))))
        let podSpec = field(1, volume) + field(2, field(1, "main") + field(2, "nginx"))
        let template = field(1, field(11, entry("app", "x"))) + field(2, podSpec)
        let deploymentSpec = field(1, int: 0) + field(3, template)
        let deployment = try ProtobufDecoder.decodeObject(envelope(apiVersion: "apps/v1", kind: "Deployment",
                                                                   field(1, field(1, "d")) + field(2, deploymentSpec)))
        #expect(deployment[path: "spec", "replicas"] == 0)
        #expect(deployment[path: "spec", "template", "spec", "volumes"] == [["name": "config", "configMap": ["name": "cm"]]])
        #expect(deployment[path: "spec", "template", "spec", "containers"]?[0]?["image"] == "nginx")
    }

    @Test func rejectsBadBodies() {
        #expect(throws: ProtobufDecodingError.self) { try ProtobufDecoder.decodeObject(Array("{}".utf8)) }
        #expect(throws: ProtobufDecodingError.self) {
            try ProtobufDecoder.decodeObject(self.envelope(apiVersion: "example.com/v1", kind: "Widget", []))
        }
        #expect(throws: ProtobufDecodingError.self) {
            try ProtobufDecoder.decodeObject(ProtobufDecoder.magic + [0x0A, 0x20, 0x01])
        }
    }

    @Test func goDurations() {
        #expect(ProtobufDecoder.goDuration(90 * 1_000_000_000) == "1m30s")
        #expect(ProtobufDecoder.goDuration(3_600 * 1_000_000_000) == "1h0m0s")
        #expect(ProtobufDecoder.goDuration(1_500_000) == "1.5ms")
        #expect(ProtobufDecoder.goDuration(0) == "0s")
    }
}

@Suite struct CertificateUnitTests {
    @Test func servingCertificateVerifiesAgainstTheCA() throws {
        let certificates = try CertificateAuthority.generate(dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"])
        #expect(certificates.caCertificatePEM.hasPrefix("-----BEGIN CERTIFICATE-----"))
        #expect(certificates.privateKeyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("emulator-cert-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let ca = directory.appendingPathComponent("ca.pem")
        let leaf = directory.appendingPathComponent("leaf.pem")
        try Data(certificates.caCertificatePEM.utf8).write(to: ca)
        try Data(certificates.certificatePEM.utf8).write(to: leaf)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["verify", "-CAfile", ca.path, "-verify_ip", "127.0.0.1", "-verify_hostname", "localhost", leaf.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains(": OK"))
    }
}
