import GoTemplate

/// `.Capabilities` as templates see it (`*chartutil.Capabilities`).
struct CapabilitiesObject: TemplateObject {
    let capabilities: Capabilities

    var goTypeName: String { "*chartutil.Capabilities" }

    func method(named name: String) -> TemplateFunction? { nil }

    func field(named name: String) -> TemplateValue? {
        switch name {
        case "KubeVersion": return .object(KubeVersionObject(version: capabilities.kubeVersion))
        case "APIVersions": return .object(VersionSetObject(versions: capabilities.apiVersions))
        case "HelmVersion":
            let helm = capabilities.helmVersion
            return .object(GoStructObject(goTypeName: "version.BuildInfo", fields: [
                ("Version", .string(helm.version)), ("GitCommit", .string(helm.gitCommit)),
                ("GitTreeState", .string(helm.gitTreeState)), ("GoVersion", .string(helm.goVersion)),
            ]))
        default: return nil
        }
    }

    /// What `fmt` prints for the pointer (`&{…}`); the nested `KubeVersion` prints as a struct since its
    /// `String` method needs a pointer. (A plain `{{ .Capabilities }}` prints without `&` in Go.)
    var formatted: String {
        let kube = capabilities.kubeVersion
        let helm = capabilities.helmVersion
        return "&{{\(kube.version) \(kube.major) \(kube.minor)} [\(capabilities.apiVersions.joined(separator: " "))] "
            + "{\(helm.version) \(helm.gitCommit) \(helm.gitTreeState) \(helm.goVersion)}}"
    }
}

/// `.Capabilities.KubeVersion` (`chartutil.KubeVersion`): fields `Version`, `Major`, `Minor`, and the methods
/// `String` and `GitVersion`, both the version.
struct KubeVersionObject: TemplateObject {
    let version: Capabilities.KubeVersion

    var goTypeName: String { "chartutil.KubeVersion" }

    func method(named name: String) -> TemplateFunction? {
        switch name {
        case "String", "GitVersion":
            let text = version.version
            return TemplateFunction(name, signature: .init([])) { _ in .string(text) }
        default: return nil
        }
    }

    func field(named name: String) -> TemplateValue? {
        switch name {
        case "Version": return .string(version.version)
        case "Major": return .string(version.major)
        case "Minor": return .string(version.minor)
        default: return nil
        }
    }

    /// What `fmt` prints (`quote`, `printf "%v"`): the struct, since its `String` method has a pointer receiver.
    /// (A plain `{{ .Capabilities.KubeVersion }}` prints the version in Go, which GoTemplate cannot tell apart.)
    var formatted: String { "{\(version.version) \(version.major) \(version.minor)}" }
}

/// `.Capabilities.APIVersions` (`chartutil.VersionSet`, a `[]string` with a `Has` method).
struct VersionSetObject: TemplateObject {
    let versions: [String]

    var goTypeName: String { "chartutil.VersionSet" }

    func method(named name: String) -> TemplateFunction? {
        guard name == "Has" else { return nil }
        let versions = versions
        return TemplateFunction("Has", signature: .init([.string])) { args in
            guard case .string(let wanted)? = args.first else { return .bool(false) }
            return .bool(versions.contains(wanted))
        }
    }

    func field(named name: String) -> TemplateValue? { nil }

    var formatted: String { "[" + versions.joined(separator: " ") + "]" }
}
