import Foundation
import GitOpsKit
import Kustomize
import Testing

/// Files held in memory, keyed by `directory/path`.
private struct MemoryFiles: KustomizeFileReading {
    var files: [String: [UInt8]]

    struct Missing: Error, CustomStringConvertible {
        var path: String
        var description: String { "no such file \(path)" }
    }

    func read(_ path: String, relativeTo directory: String) throws -> [UInt8] {
        let key = directory == "." ? path : directory + "/" + path
        guard let bytes = files[key] else { throw Missing(path: key) }
        return bytes
    }
}

private func generate(_ yaml: String, files: [String: [UInt8]] = [:]) throws -> [GeneratedResource] {
    try KustomizeGenerators.generate(
        kustomization: try YAML.decode(yaml), directory: ".", files: MemoryFiles(files: files),
        file: "overlays/prod/kustomization.yaml")
}

private func generationError(_ yaml: String, files: [String: [UInt8]] = [:]) -> KustomizeGeneratorError? {
    #expect(throws: KustomizeGeneratorError.self) { try generate(yaml, files: files) }
}

@Suite struct GeneratorHashTests {
    // Suffixes recorded from `kubectl kustomize` (kustomize v5.5.0).
    @Test func configMapAndSecretSuffixesMatchKustomize() throws {
        let configMap: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "one"], "data": ["a": "b"]]
        #expect(try KustomizeHash.suffix(for: configMap) == "4h2mbtbbt6")
        let empty: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "empty"]]
        #expect(try KustomizeHash.suffix(for: empty) == "6ct58987ht")
        let secret: JSONValue = [
            "apiVersion": "v1", "kind": "Secret", "metadata": ["name": "s1"], "data": ["a": "Yg=="], "type": "Opaque",
        ]
        #expect(try KustomizeHash.suffix(for: secret) == "k695gkmbtk")
        let emptySecret: JSONValue = ["kind": "Secret", "metadata": ["name": "s2"], "data": [:], "type": "Opaque"]
        #expect(try KustomizeHash.suffix(for: emptySecret) == "46f8b28mk5")
    }

    @Test func nameAndMetadataDoNotChangeTheSuffixButContentDoes() throws {
        let base: JSONValue = ["kind": "ConfigMap", "metadata": ["name": "a"], "data": ["k": "v"]]
        var renamed = base
        renamed[path: "metadata", "name"] = "b"
        renamed[path: "metadata", "labels"] = ["x": "y"]
        #expect(try KustomizeHash.suffix(for: base) == (try KustomizeHash.suffix(for: renamed)))
        var changed = base
        changed[path: "data", "k"] = "w"
        #expect(try KustomizeHash.suffix(for: base) != (try KustomizeHash.suffix(for: changed)))
        var secretType = ["kind": "Secret", "data": ["k": "dg=="], "type": "Opaque"] as JSONValue
        let opaque = try KustomizeHash.suffix(for: secretType)
        secretType["type"] = "kubernetes.io/tls"
        #expect(try KustomizeHash.suffix(for: secretType) != opaque)
    }

    @Test func stringsAreEscapedLikeGoEncodingJSON() throws {
        // `a=<&>\b\f\x01\u2028é\t\n\r\\\"/` built by kubectl kustomize as x-gddh76bd52.
        let object: JSONValue = [
            "kind": "ConfigMap", "data": ["a": .string("<&>\u{08}\u{0C}\u{01}\u{2028}é\t\n\r\\\"/")],
        ]
        #expect(try KustomizeHash.suffix(for: object) == "gddh76bd52")
    }

    @Test func nonStringValuesHashAsGoEncodesThemAfterAPatch() throws {
        // A patch set these on a generated ConfigMap; kubectl kustomize named it c-btd7bk58c7.
        let object: JSONValue = [
            "kind": "ConfigMap", "metadata": ["name": "c"],
            "data": ["a": "1", "b": true, "f": 1.5, "i": 100, "m": 1e21, "n": 1e-7],
        ]
        #expect(try KustomizeHash.suffix(for: object) == "btd7bk58c7")
    }

    @Test func otherKindsAreRefused() {
        #expect(throws: KustomizeHashError(kind: "Deployment")) {
            try KustomizeHash.suffix(for: ["kind": "Deployment", "metadata": ["name": "d"]])
        }
    }
}

@Suite struct GeneratorSourceTests {
    @Test func envFilesKeepValuesVerbatimAndSkipCommentsAndEmptyKeys() throws {
        let env = Array("\u{FEFF}A=1\r\r\n  # c=1\n\n=x\nNOVALUE\n\u{A0}\tC= \"q\" \nD='s'".utf8)
        let resources = try generate("configMapGenerator: [{name: e, envs: [a.env]}]", files: ["a.env": env])
        #expect(resources.count == 1)
        #expect(resources.first?.object["data"] == ["A": "1\r", "NOVALUE": "", "C": " \"q\" ", "D": "'s'"])
    }

    @Test func byteOrderMarkIsOnlyDroppedFromTheFirstLine() {
        let env = Array("A=1\n\u{FEFF}B=2\n".utf8)
        let error = generationError("configMapGenerator: [{name: e, envs: [a.env]}]", files: ["a.env": env])
        guard case .invalidKey(let key, _)? = error?.reason else {
            Issue.record("expected an invalid key error, got \(String(describing: error))")
            return
        }
        #expect(key == "\u{FEFF}B")
        #expect(error?.field == "configMapGenerator[0].envs[0]")
    }

    @Test func invalidUTF8InAnEnvFileNamesTheLine() {
        let env: [UInt8] = Array("A=1\n# fine\n".utf8) + [0x42, 0x3D, 0xFF] + [0x0A]
        let error = generationError("secretGenerator: [{name: s, env: legacy.env}]", files: ["legacy.env": env])
        #expect(error?.reason == .invalidEnvFile(path: "legacy.env", line: 3))
        #expect(error?.field == "secretGenerator[0].env")
        #expect(error?.description.contains("overlays/prod/kustomization.yaml") == true)
    }

    @Test func literalQuotesAreRemovedOnlyInMatchingPairs() throws {
        let yaml = #"configMapGenerator: [{name: l, literals: ["a=\"x\"", "b='y'", "c=\"z'", "d=\"", "e=='"]}]"#
        let data = try generate(yaml).first?.object["data"]
        #expect(data == ["a": "x", "b": "y", "c": "\"z'", "d": "\"", "e": "='"])
    }

    @Test func literalWithoutKeyIsRefused() {
        let error = generationError(#"configMapGenerator: [{name: l, literals: [ok=1, "=v"]}]"#)
        #expect(error?.reason == .invalidLiteral("=v"))
        #expect(error?.field == "configMapGenerator[0].literals[1]")
    }

    @Test func filesTakeTheBaseNameOrAnExplicitKey() throws {
        let files = ["conf/app.properties": Array("a=b\n".utf8), "x": Array("y".utf8), "trailing/": [0xFF]]
        let resources = try generate(
            "configMapGenerator: [{name: f, files: [conf/app.properties, key=x, trailing/]}]", files: files)
        #expect(resources.first?.object["data"] == ["app.properties": "a=b\n", "key": "y"])
        #expect(resources.first?.object["binaryData"] == ["trailing": "/w=="])
    }

    @Test func misplacedEqualsInFileSourcesAreRefused() {
        for (source, problem) in [
            ("=f", "missing key name for file path \"f\""), ("k=", "missing file path for key name \"k\""),
            ("a=b=c", "key name or file path contains '='"),
        ] {
            let error = generationError("configMapGenerator: [{name: f, files: [\"\(source)\"]}]")
            #expect(error?.reason == .invalidFileSource(source: source, problem: problem))
        }
    }

    @Test func missingFileNamesTheFileAndTheKustomization() {
        let error = generationError("configMapGenerator: [{name: f, literals: [a=1], files: [gone.txt]}]")
        #expect(error?.reason == .unreadableFile(path: "gone.txt", problem: "no such file gone.txt"))
        #expect(error?.field == "configMapGenerator[0].files[0]")
        #expect(error?.file == "overlays/prod/kustomization.yaml")
        #expect(error?.description.contains("gone.txt") == true)
    }

    @Test func remoteSourcesAreRefusedWithoutTouchingTheNetwork() {
        let error = generationError("configMapGenerator: [{name: r, files: [\"HTTPS://example.com/x.txt\"]}]")
        #expect(error?.reason == .remoteFile("HTTPS://example.com/x.txt"))
        let env = generationError("configMapGenerator: [{name: r, envs: [\"http://example.com/a.env\"]}]")
        #expect(env?.reason == .remoteFile("http://example.com/a.env"))
    }

    @Test func duplicateKeysAcrossSourcesAreRefusedAtTheSecondOccurrence() {
        let error = generationError(
            "secretGenerator: [{name: s, envs: [a.env], literals: [b=1, A=2]}]", files: ["a.env": Array("A=1\n".utf8)])
        #expect(error?.reason == .duplicateKey(generator: "secret s", key: "A"))
        #expect(error?.field == "secretGenerator[0].literals[1]")
    }

    @Test func secretValuesAreBase64WrappedAtSeventyCharacters() throws {
        let value = String(repeating: "x", count: 60)  // 80 base64 characters
        let resources = try generate("secretGenerator: [{name: s, literals: [k=\(value), short=ab]}]")
        let encoded = Data(value.utf8).base64EncodedString()
        let wrapped = String(encoded.prefix(70)) + "\n" + String(encoded.dropFirst(70)) + "\n"
        #expect(resources.first?.object["data"] == ["k": .string(wrapped), "short": "YWI="])
        let exact = try generate("secretGenerator: [{name: s, literals: [k=\(String(repeating: "y", count: 51))]}]")
        // 51 bytes are 68 base64 characters: one line, not wrapped.
        #expect(exact.first?.object[path: "data", "k"]?.stringValue?.contains("\n") == false)
    }
}

/// Where this engine deliberately refuses more than kustomize: keys the API server would reject, and `behavior`
/// values kustomize silently treats as `create`.
@Suite struct GeneratorStrictnessTests {
    @Test func invalidDataKeysAreRefusedNamingTheKey() {
        for key in ["bad key", "..hidden", ".", "a/b", String(repeating: "k", count: 254)] {
            let error = generationError("configMapGenerator: [{name: c, literals: [\"\(key)=v\"]}]")
            guard case .invalidKey(let reported, let problem)? = error?.reason else {
                Issue.record("\(key): expected an invalid key error, got \(String(describing: error))")
                continue
            }
            #expect(reported == key)
            #expect(!problem.isEmpty)
            #expect(error?.field == "configMapGenerator[0].literals[0]")
        }
        #expect(throws: Never.self) { try generate("configMapGenerator: [{name: c, literals: [.dot=1, a-b_C.9=2]}]") }
    }

    @Test func everyEntryIsDecodedBeforeAnySourceIsRead() {
        let yaml = "configMapGenerator: [{name: a, files: [missing.txt]}]\nsecretGenerator: [{name: b, bogus: 1}]"
        let error = generationError(yaml)
        #expect(error?.reason == .unknownField("bogus"))
        #expect(error?.field == "secretGenerator[0].bogus")
    }

    @Test func unknownBehaviorIsRefused() {
        let error = generationError("configMapGenerator: [{name: c, behavior: Merge, literals: [a=1]}]")
        #expect(error?.reason == .unsupportedBehavior("Merge"))
        #expect(error?.field == "configMapGenerator[0].behavior")
    }

    @Test func fieldsAreDecodedStrictly() throws {
        #expect(generationError("configMapGenerator: [{name: c, literal: [a=1]}]")?.reason == .unknownField("literal"))
        #expect(
            generationError("secretGenerator: [{name: c, options: {immutable: yes please}}]")?.reason
                == .wrongType(expected: "boolean", found: "string"))
        #expect(
            generationError("configMapGenerator: [{name: c, literals: a=1}]")?.reason
                == .wrongType(expected: "list of strings", found: "string"))
        #expect(generationError("configMapGenerator: {name: c}")?.field == "configMapGenerator")
        #expect(generationError("configMapGenerator: [{literals: [a=1]}]")?.reason == .missingName)
        #expect(generationError("configMapGenerator: [{name: c, type: Opaque}]")?.reason == .unknownField("type"))
        #expect(generationError("configMapGenerator: [null]")?.reason == .missingName)
        #expect(
            try generate("configMapGenerator: [{name: c, options: {labels: {a: null}}}]").first?.object[
                path: "metadata", "labels"] == ["a": ""])
    }
}
