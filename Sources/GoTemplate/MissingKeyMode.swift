/// What a template does with a map key that is not there (Go's `Option("missingkey=…")`).
public enum MissingKeyMode: Sendable {
    /// Go's `default`/`invalid`: the result is "no value" (prints `<no value>`), and fields of it are no value too.
    case invalid
    /// `zero`: the map's zero value, a nil `interface{}` (prints `<no value>`; a field of it is a nil-pointer
    /// error). Helm renders with this.
    case zero
    /// `error`: execution stops with `map has no entry for key "x"`. Helm's strict mode.
    case error
}
