import Testing

@testable import GitOpsKit

/// An input and the object kubectl decoded from it (see YAMLKubectlOracleCases.swift).
struct KubectlDecodeCase: Sendable, CustomTestStringConvertible {
    var name: String
    var yaml: String
    var json: String
    var testDescription: String { name }
}

/// An input kubectl refuses, and a fragment of the message we give.
struct KubectlErrorCase: Sendable, CustomTestStringConvertible {
    var name: String
    var message: String
    var yaml: String
    var testDescription: String { name }
}

/// An object and the YAML kubectl printed for it.
struct KubectlEncodeCase: Sendable, CustomTestStringConvertible {
    var name: String
    var json: String
    var yaml: String
    var testDescription: String { name }
}

/// The decoding and printing kubectl v1.32.4 does (sigs.k8s.io/yaml over go-yaml v2), recorded as goldens.
struct YAMLKubectlOracleTests {
    /// The object header every oracle input was given so kubectl would accept it.
    static let header = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"

    @Test(arguments: kubectlDecodeCases)
    func decodesLikeKubectl(_ oracle: KubectlDecodeCase) throws {
        let expected = try JSONValue(json: oracle.json)
        let decoded = try YAML.decode(Self.header + oracle.yaml)
        #expect(decoded == expected)
        // The byte API agrees with the string API.
        #expect(try YAML.decode(Array((Self.header + oracle.yaml).utf8)) == expected)
    }

    @Test(arguments: kubectlErrorCases)
    func refusesWhatKubectlRefuses(_ oracle: KubectlErrorCase) {
        let error = #expect(throws: YAMLError.self) { try YAML.decodeAll(Self.header + oracle.yaml) }
        guard let error else { return }
        #expect(error.message.contains(oracle.message), "\(error)")
        // Every error points into the body, after the four header lines.
        #expect(error.line >= 5, "\(error)")
        #expect(error.column >= 1)
    }

    @Test(arguments: kubectlEncodeCases)
    func printsLikeKubectl(_ oracle: KubectlEncodeCase) throws {
        let value = try JSONValue(json: oracle.json)
        let printed = YAML.encode(value)
        #expect(printed == oracle.yaml)
        if printed != oracle.yaml {
            let ours = printed.split(separator: "\n", omittingEmptySubsequences: false)
            let theirs = oracle.yaml.split(separator: "\n", omittingEmptySubsequences: false)
            for (index, pair) in zip(ours, theirs).enumerated() where pair.0 != pair.1 {
                Issue.record("line \(index + 1): ours \(pair.0.debugDescription) kubectl \(pair.1.debugDescription)")
                break
            }
        }
        // What we print reads back as the same value, and so does kubectl's text.
        #expect(try YAML.decode(printed) == value)
        #expect(try YAML.decode(oracle.yaml) == value)
    }
}
