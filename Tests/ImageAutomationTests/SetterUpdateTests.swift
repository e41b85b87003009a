import Foundation
import GitOpsKit
import GitOpsTestSupport
import ImageAutomationControllerKit
import Logging
import Testing

/// The Setters strategy on files: which scalars a marker selects, the exact bytes written, which files are skipped,
/// and the result the commit message reads.
@Suite struct SetterUpdateTests {
    typealias Support = ArtifactTestSupport

    static let logger = Logger(label: "setter-tests")

    /// Policy `apps/app` at `ghcr.io/org/app:1.1.0` (digest `sha256:bbb` when asked).
    static func setters(tag: String = "1.1.0", digest: String? = nil) -> SetterValues {
        var setters = SetterValues()
        setters.add(namespace: "apps", name: "app", ref: ImageRef(name: "ghcr.io/org/app", tag: tag, digest: digest))
        return setters
    }

    /// Writes `files` into a fresh directory, runs the update, returns (result, directory).
    static func update(_ files: [String: String], setters: SetterValues = setters()) throws
        -> (result: SetterUpdateResult, root: String)
    {
        let root = try Support.makeDirectory("setters")
        for (path, text) in files { try Support.write(text, to: path, in: root) }
        let result = try SetterUpdater(logger: logger).update(directory: root, setters: setters)
        return (result, root)
    }

    // MARK: Markers

    @Test func markerCommentsFollowKyamlShorthand() {
        #expect(SetterMarker(comment: #"# {"$imagepolicy": "apps:app"}"#)?.setter == "apps:app")
        #expect(SetterMarker(comment: #"#{"$imagepolicy":"apps:app:tag"}  "#)?.setter == "apps:app:tag")
        #expect(SetterMarker(comment: #"## {"$imagepolicy": "apps:app", "note": "x"}"#)?.setter == "apps:app")
        // Not a JSON object of strings, or no $imagepolicy: no marker.
        #expect(SetterMarker(comment: #"# {"$imagepolicy": "apps:app"} trailing"#) == nil)
        #expect(SetterMarker(comment: #"# {"$imagepolicy": "apps:app", "n": 1}"#) == nil)
        #expect(SetterMarker(comment: #"# {"$imagepolicy": ""}"#) == nil)
        #expect(SetterMarker(comment: "# image: app") == nil)
    }

    @Test func setterValuesForAPolicy() {
        let values = Self.setters(digest: "sha256:bbb")
        #expect(values["apps:app"] == "ghcr.io/org/app:1.1.0@sha256:bbb")
        #expect(values["apps:app:name"] == "ghcr.io/org/app")
        #expect(values["apps:app:tag"] == "1.1.0")
        #expect(values["apps:app:digest"] == "sha256:bbb")
        #expect(Self.setters()["apps:app"] == "ghcr.io/org/app:1.1.0")
        #expect(Self.setters()["apps:app:digest"] == "")
    }

    // MARK: Exact bytes

    /// Comments, odd indentation, CRLF line ends, several documents, a single-quoted scalar: only the marked values'
    /// bytes change.
    @Test func rewritesOnlyTheMarkedScalarsOfAMultiDocumentCRLFFile() throws {
        let input = [
            "# deployment of app   ",
            "apiVersion: apps/v1",
            "kind: Deployment",
            "metadata:",
            "   name: app      # three-space indent",
            "   namespace: apps",
            "spec:",
            "      template:",
            "         spec:",
            "            containers:",
            "            -   name: app",
            "                image: ghcr.io/org/app:1.0.0 # {\"$imagepolicy\": \"apps:app\"}",
            "            -   name: sidecar",
            "                image: ghcr.io/org/sidecar:2.0 # {\"$imagepolicy\": \"apps:other\"}",
            "---",
            "# second document",
            "apiVersion: v1",
            "kind: ConfigMap",
            "metadata: {name: settings}",
            "data:",
            "  tag:   '1.0.0'    # {\"$imagepolicy\": \"apps:app:tag\"}\t",
            "  same: ghcr.io/org/app:1.1.0 # {\"$imagepolicy\": \"apps:app\"}",
            "",
        ].joined(separator: "\r\n")
        let expected = input
            .replacingOccurrences(of: "image: ghcr.io/org/app:1.0.0 #", with: "image: ghcr.io/org/app:1.1.0 #")
            .replacingOccurrences(of: "tag:   '1.0.0'", with: "tag:   '1.1.0'")
        let (result, root) = try Self.update(["deploy/app.yaml": input])
        defer { Support.cleanUp(root) }
        #expect(try Support.bytes(root + "/deploy/app.yaml") == Array(expected.utf8))

        let deployment = ResourceIdentifier(apiVersion: "apps/v1", kind: "Deployment", name: "app", namespace: "apps")
        let configMap = ResourceIdentifier(apiVersion: "v1", kind: "ConfigMap", name: "settings")
        #expect(result.fileChanges == ["deploy/app.yaml": [
            deployment: [SetterChange(oldValue: "ghcr.io/org/app:1.0.0", newValue: "ghcr.io/org/app:1.1.0", setter: "apps:app")],
            configMap: [SetterChange(oldValue: "1.0.0", newValue: "1.1.0", setter: "apps:app:tag")],
        ]])
        #expect(result.changes.count == 2)
        #expect(result.objects.keys.sorted() == [deployment, configMap])
    }

    /// Flow mappings and sequences, a BOM, non-ASCII text before the marker, a double-quoted value, trailing
    /// whitespace, a tag that would read as a number when plain.
    @Test func rewritesFlowStyleAndKeepsBOMAndNonASCII() throws {
        let input = "\u{FEFF}# café ☕ — déploiement\n"
            + "spec: {\n"
            + "  image: \"ghcr.io/org/app:1.0.0\", # {\"$imagepolicy\": \"apps:app\"}\n"
            + "  tag: 1.9 # {\"$imagepolicy\": \"apps:app:tag\"}\n"
            + "}\n"
            + "list: [\n"
            + "  ghcr.io/org/app:1.0.0, # {\"$imagepolicy\": \"apps:app\"}\n"
            + "  other   \n"
            + "]\n"
        let (result, root) = try Self.update(["values.yaml": input], setters: Self.setters(tag: "1.10"))
        defer { Support.cleanUp(root) }
        let expected = "\u{FEFF}# café ☕ — déploiement\n"
            + "spec: {\n"
            + "  image: \"ghcr.io/org/app:1.10\", # {\"$imagepolicy\": \"apps:app\"}\n"
            + "  tag: \"1.10\" # {\"$imagepolicy\": \"apps:app:tag\"}\n"
            + "}\n"
            + "list: [\n"
            + "  ghcr.io/org/app:1.10, # {\"$imagepolicy\": \"apps:app\"}\n"
            + "  other   \n"
            + "]\n"
        #expect(try Support.bytes(root + "/values.yaml") == Array(expected.utf8))
        #expect(result.changes.map(\.setter) == ["apps:app", "apps:app:tag"])
        #expect(result.fileChanges["values.yaml"]?[ResourceIdentifier()]?.count == 3)
    }

    /// A kustomization's `images` and a Helm values file, with the name, tag and digest setters.
    @Test func rewritesKustomizationImagesAndHelmValues() throws {
        let kustomization = """
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            images:
            - name: app
              newName: ghcr.io/org/old # {"$imagepolicy": "apps:app:name"}
              newTag: 1.0.0 # {"$imagepolicy": "apps:app:tag"}
              digest: sha256:aaa # {"$imagepolicy": "apps:app:digest"}

            """
        let values = """
            image:
              repository: ghcr.io/org/app # {"$imagepolicy": "apps:app:name"}
              tag: "1.0.0" # {"$imagepolicy": "apps:app:tag"}
            # {"$imagepolicy": "apps:app"}
            standalone: keep-me
            key: # {"$imagepolicy": "apps:app"}
              nested: keep-me-too

            """
        let (result, root) = try Self.update(
            ["kustomization.yaml": kustomization, "chart/values.yml": values], setters: Self.setters(digest: "sha256:bbb"))
        defer { Support.cleanUp(root) }
        #expect(try Support.read(root + "/kustomization.yaml") == kustomization
            .replacingOccurrences(of: "ghcr.io/org/old", with: "ghcr.io/org/app")
            .replacingOccurrences(of: "newTag: 1.0.0", with: "newTag: 1.1.0")
            .replacingOccurrences(of: "sha256:aaa", with: "sha256:bbb"))
        #expect(try Support.read(root + "/chart/values.yml") == values.replacingOccurrences(of: "\"1.0.0\"", with: "\"1.1.0\""))
        let kustomize = ResourceIdentifier(apiVersion: "kustomize.config.k8s.io/v1beta1", kind: "Kustomization")
        #expect(result.fileChanges["kustomization.yaml"]?[kustomize]?.map(\.setter) == ["apps:app:name", "apps:app:tag", "apps:app:digest"])
        #expect(result.fileChanges["chart/values.yml"]?[ResourceIdentifier()]?.map(\.newValue) == ["1.1.0"])
        #expect(result.files == ["chart/values.yml", "kustomization.yaml"])
    }

    /// Files that are not YAML, do not parse, have no marker token, or are symbolic links (pointing out of the
    /// tree) are left alone; the unparseable one is reported.
    @Test func skipsFilesItMustNotTouch() throws {
        let marked = "image: ghcr.io/org/app:1.0.0 # {\"$imagepolicy\": \"apps:app\"}\n"
        let outside = try Support.makeDirectory("setters-outside")
        defer { Support.cleanUp(outside) }
        try Support.write(marked, to: "target.yaml", in: outside)
        let (result, root) = try Self.update([
            "notes.txt": marked,
            "broken.yaml": marked + "bad: [unclosed\n",
            "other.yaml": "image: ghcr.io/org/app:1.0.0 # {\"$imagepolicy\": \"apps:unknown\"}\n",
            "plain.yaml": "image: ghcr.io/org/app:1.0.0\n",
            ".git/config.yaml": marked,
            "sub/ok.yaml": marked,
        ])
        defer { Support.cleanUp(root) }
        try FileManager.default.createSymbolicLink(atPath: root + "/link.yaml", withDestinationPath: outside + "/target.yaml")
        let again = try SetterUpdater(logger: Self.logger).update(directory: root, setters: Self.setters())
        #expect(try Support.read(root + "/notes.txt") == marked)
        #expect(try Support.read(root + "/broken.yaml") == marked + "bad: [unclosed\n")
        #expect(try Support.read(root + "/.git/config.yaml") == marked)
        #expect(try Support.read(outside + "/target.yaml") == marked)
        #expect(try Support.read(root + "/sub/ok.yaml") == marked.replacingOccurrences(of: "1.0.0", with: "1.1.0"))
        #expect(result.files == ["sub/ok.yaml"])
        #expect(result.problemFiles == ["broken.yaml"])
        // The second run finds nothing left to change (and still does not follow the link).
        #expect(again.isEmpty)
        #expect(again.problemFiles == ["broken.yaml"])
    }

    @Test func anUpdatePathThatIsAFileNamesItRelativeToItsDirectory() throws {
        let root = try Support.makeDirectory("setters-file")
        defer { Support.cleanUp(root) }
        try Support.write("image: a:1 # {\"$imagepolicy\": \"apps:app\"}\n", to: "clusters/app.yaml", in: root)
        let result = try SetterUpdater(logger: Self.logger).update(directory: root + "/clusters/app.yaml", setters: Self.setters())
        #expect(result.files == ["app.yaml"])
        #expect(try Support.read(root + "/clusters/app.yaml") == "image: ghcr.io/org/app:1.1.0 # {\"$imagepolicy\": \"apps:app\"}\n")
        #expect(throws: SetterUpdateError.self) {
            try SetterUpdater(logger: Self.logger).update(directory: root + "/missing", setters: Self.setters())
        }
    }

    @Test func rewriterQuotesWhatWouldNotReadBackAsTheSameString() {
        #expect(SetterRewriter.text(for: "ghcr.io/org/app:1.2.3@sha256:abc", style: .plain, inFlow: false) == "ghcr.io/org/app:1.2.3@sha256:abc")
        #expect(SetterRewriter.text(for: "1.10", style: .plain, inFlow: false) == "\"1.10\"")
        #expect(SetterRewriter.text(for: "true", style: .plain, inFlow: false) == "\"true\"")
        #expect(SetterRewriter.text(for: "on", style: .plain, inFlow: false) == "\"on\"")
        #expect(SetterRewriter.text(for: "", style: .plain, inFlow: false) == "\"\"")
        #expect(SetterRewriter.text(for: "1:20", style: .plain, inFlow: false) == "\"1:20\"")
        #expect(SetterRewriter.text(for: "a,b", style: .plain, inFlow: true) == "\"a,b\"")
        #expect(SetterRewriter.text(for: "it's", style: .singleQuoted, inFlow: false) == "'it''s'")
        #expect(SetterRewriter.text(for: #"a"b\c"#, style: .doubleQuoted, inFlow: false) == #""a\"b\\c""#)
    }
}
