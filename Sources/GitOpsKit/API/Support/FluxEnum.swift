/// A string field whose CRD lists the allowed values (`+kubebuilder:validation:Enum`), or an open set of
/// well-known names (condition types, reasons).
///
/// Modelled as a struct around the raw string rather than a Swift `enum`, so an object with a value this
/// version does not know still decodes and round-trips unchanged; `validate()` then reports it with the
/// allowed values, naming the field. Compare against the static members as with an enum:
/// ```swift
/// if repo.spec.provider == .github { ... }
/// ```
public protocol FluxEnum: RawRepresentable<String>, Codable, Hashable, Sendable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    init(rawValue: String)
    /// The values the CRD accepts, in the CRD's order; empty for an open set.
    static var allowedValues: [Self] { get }
}

extension FluxEnum {
    public static var allowedValues: [Self] { [] }

    public init(stringLiteral value: String) { self.init(rawValue: value) }

    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    /// Whether the CRD accepts this value (always true for an open set).
    public var isAllowed: Bool { Self.allowedValues.isEmpty || Self.allowedValues.contains(self) }
}
