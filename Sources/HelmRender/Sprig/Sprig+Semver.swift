import GoTemplate

/// `semver` (a `*semver.Version` object with Masterminds' methods) and `semverCompare`.
extension Sprig {
    static var semverFunctions: [TemplateFunction] {
        [
            function("semver", [.string]) { args in
                do {
                    return .object(SemverObject(version: try SemanticVersion(parsing: text(args[0]))))
                } catch {
                    throw SprigError(String(describing: error))
                }
            },
            function("semverCompare", [.string, .string]) { args in
                do {
                    let constraint = try VersionConstraint(parsing: text(args[0]))
                    let version = try SemanticVersion(parsing: text(args[1]))
                    return .bool(constraint.isSatisfied(by: version))
                } catch {
                    throw SprigError(String(describing: error))
                }
            },
        ]
    }
}

/// A `*semver.Version` in a template: `.Major`, `.Minor`, `.Patch`, `.Prerelease`, `.Metadata`, `.Original`,
/// `.String`, `.Compare`, `.LessThan`, `.GreaterThan`, `.Equal`, `.IncMajor`/`.IncMinor`/`.IncPatch`.
struct SemverObject: TemplateObject, GoJSONRepresentable {
    var version: SemanticVersion

    var goTypeName: String { "*semver.Version" }
    var formatted: String { version.description }
    var goJSONValue: TemplateValue { .string(version.description) }

    func field(named name: String) -> TemplateValue? { nil }

    func method(named name: String) -> TemplateFunction? {
        let version = self.version
        func value(_ result: TemplateValue) -> TemplateFunction { TemplateFunction(name, signature: .init([])) { _ in result } }
        func compare(_ body: @escaping @Sendable (Int) -> TemplateValue) -> TemplateFunction {
            TemplateFunction(name, signature: .init([.any])) { args in
                guard case .object(let object) = args[0], let other = object as? SemverObject else {
                    throw SprigError("wrong type for value; expected *semver.Version; got \(args[0].goTypeName)")
                }
                return body(version.compare(other.version))
            }
        }
        switch name {
        case "Major": return value(.int(Int(clamping: version.major)))
        case "Minor": return value(.int(Int(clamping: version.minor)))
        case "Patch": return value(.int(Int(clamping: version.patch)))
        case "Prerelease": return value(.string(version.prerelease))
        case "Metadata": return value(.string(version.metadata))
        case "Original": return value(.string(version.original))
        case "String": return value(.string(version.description))
        case "IncMajor": return value(.object(SemverObject(version: version.incrementingMajor())))
        case "IncMinor": return value(.object(SemverObject(version: version.incrementingMinor())))
        case "IncPatch": return value(.object(SemverObject(version: version.incrementingPatch())))
        case "Compare": return compare { .int($0) }
        case "LessThan": return compare { .bool($0 < 0) }
        case "GreaterThan": return compare { .bool($0 > 0) }
        case "Equal": return compare { .bool($0 == 0) }
        default: return nil
        }
    }
}
