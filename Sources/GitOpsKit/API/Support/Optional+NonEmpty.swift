extension Optional where Wrapped == String {
    /// The string unless nil or empty: Go's `omitempty` treats both as unset.
    var nonEmpty: String? {
        guard let self, !self.isEmpty else { return nil }
        return self
    }
}
