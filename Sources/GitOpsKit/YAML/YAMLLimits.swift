/// Bounds that keep hostile or accidental YAML from exhausting memory, stack or time.
///
/// Every limit is checked while parsing, so an input over a limit is refused with a ``YAMLError`` before it can
/// grow: a "billion laughs" document stops at `maxAliasExpansions`, not when memory runs out.
public struct YAMLLimits: Sendable, Hashable {
    /// The largest input accepted, in bytes.
    public var maxBytes: Int
    /// The most nodes that aliases (`*name`) may copy in, summed over one call; each alias counts every node of
    /// the value it repeats.
    public var maxAliasExpansions: Int
    /// The deepest nesting of sequences and mappings accepted (the root collection is depth 1).
    public var maxDepth: Int

    public init(maxBytes: Int = 64 << 20, maxAliasExpansions: Int = 1_000_000, maxDepth: Int = 512) {
        self.maxBytes = maxBytes
        self.maxAliasExpansions = maxAliasExpansions
        self.maxDepth = maxDepth
    }

    /// 64 MiB of input, one million alias-expanded nodes, nesting depth 512 (as ``JSONValue``'s JSON parser).
    public static let `default` = YAMLLimits()
}
