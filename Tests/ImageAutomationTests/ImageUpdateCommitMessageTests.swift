import GitOpsKit
import ImageAutomationControllerKit
import Testing

/// The commit message template: Flux's data (`.AutomationObject`, `.Changed`, `.Values`), Sprig's hermetic
/// functions, the default message and the removed fields.
@Suite struct ImageUpdateCommitMessageTests {
    static var changed: SetterUpdateResult {
        var result = SetterUpdateResult()
        let deployment = ResourceIdentifier(apiVersion: "apps/v1", kind: "Deployment", name: "app", namespace: "apps")
        let values = ResourceIdentifier()
        result.add(file: "deploy/app.yaml", object: deployment,
                   change: SetterChange(oldValue: "ghcr.io/org/app:1.0.0", newValue: "ghcr.io/org/app:1.1.0", setter: "apps:app"))
        result.add(file: "chart/values.yaml", object: values,
                   change: SetterChange(oldValue: "1.0.0", newValue: "1.1.0", setter: "apps:app:tag"))
        result.add(file: "deploy/other.yaml", object: deployment,
                   change: SetterChange(oldValue: "ghcr.io/org/app:1.0.0", newValue: "ghcr.io/org/app:1.1.0", setter: "apps:app"))
        return result
    }

    static let key = ObjectKey(namespace: "flux-system", name: "auto")

    @Test func defaultMessage() throws {
        #expect(try ImageUpdateCommitMessage.render(template: nil, automation: Self.key, changed: Self.changed, values: nil)
            == "Update from image update automation")
        #expect(try ImageUpdateCommitMessage.render(template: "", automation: Self.key, changed: Self.changed, values: nil)
            == "Update from image update automation")
    }

    /// The template of Flux's documentation, over files, objects (struct keys) and changes. (Go's whitespace rules:
    /// the inner range's body starts with a newline, so consecutive changes of one object are a blank line apart.)
    @Test func fluxDocumentationTemplate() throws {
        let template = """
            Automated image update

            Automation name: {{ .AutomationObject }}

            Files:
            {{ range $filename, $_ := .Changed.FileChanges -}}
            - {{ $filename }}
            {{ end -}}

            Objects:
            {{ range $resource, $changes := .Changed.Objects -}}
            - {{ $resource.Kind }} {{ $resource.Name }}
              Changes:
            {{- range $_, $change := $changes }}
                - {{ $change.OldValue }} -> {{ $change.NewValue }}
            {{ end -}}
            {{ end -}}
            """
        let message = try ImageUpdateCommitMessage.render(
            template: template, automation: Self.key, changed: Self.changed, values: nil)
        #expect(message == """
            Automated image update

            Automation name: flux-system/auto

            Files:
            - chart/values.yaml
            - deploy/app.yaml
            - deploy/other.yaml
            Objects:
            -  
              Changes:
                - 1.0.0 -> 1.1.0
            - Deployment app
              Changes:
                - ghcr.io/org/app:1.0.0 -> ghcr.io/org/app:1.1.0

                - ghcr.io/org/app:1.0.0 -> ghcr.io/org/app:1.1.0

            """)
    }

    @Test func changesValuesAndSprig() throws {
        let template = #"{{ .AutomationObject.Namespace }}/{{ .AutomationObject.Name }}: "#
            + #"{{ range .Changed.Changes }}{{ .Setter }}={{ .NewValue | upper }} {{ end }}"#
            + #"[{{ .Values.env | default "none" }}] {{ len .Changed.FileChanges }} files"#
        let message = try ImageUpdateCommitMessage.render(
            template: template, automation: Self.key, changed: Self.changed, values: ["env": "prod"])
        #expect(message == "flux-system/auto: apps:app:tag=1.1.0 apps:app=GHCR.IO/ORG/APP:1.1.0 [prod] 3 files")
    }

    @Test func removedFieldsAndBadTemplates() {
        #expect(throws: ImageUpdateCommitMessage.Failure.removedField(".Updated")) {
            try ImageUpdateCommitMessage.render(template: "{{ .Updated }}", automation: Self.key, changed: Self.changed, values: nil)
        }
        #expect(throws: ImageUpdateCommitMessage.Failure.removedField(".Changed.ImageResult")) {
            try ImageUpdateCommitMessage.render(
                template: "{{ .Changed.ImageResult }}", automation: Self.key, changed: Self.changed, values: nil)
        }
        // Functions whose result depends on the clock or randomness are not available.
        #expect(throws: ImageUpdateCommitMessage.Failure.self) {
            try ImageUpdateCommitMessage.render(template: "{{ now }}", automation: Self.key, changed: Self.changed, values: nil)
        }
        #expect(throws: ImageUpdateCommitMessage.Failure.self) {
            try ImageUpdateCommitMessage.render(template: "{{ .Changed.Nope }}", automation: Self.key, changed: Self.changed, values: nil)
        }
    }
}
