import GoTemplate

/// How Helm reports template errors: parse errors shortened to their location and last message, and the
/// messages of `required`/`fail` pulled out of Go's error chain (`execution error at (…): message`).
extension HelmEngine {
    static let userErrorStart = "HELM_ERR_START"
    static let userErrorEnd = "HELM_ERR_END"

    /// Marks a message from `required`/`fail` so it can be found inside Go's nested error text.
    static func wrapUserError(_ message: String) -> String {
        userErrorStart + message + userErrorEnd
    }

    /// Helm's `cleanupParseError`: `parse error at (FILE:LINE): LAST MESSAGE`.
    static func parseError(_ error: TemplateError) -> HelmRenderError {
        let text = error.description
        let tokens = text.split(separator: ": ", omittingEmptySubsequences: false)
        guard tokens.count > 1, let last = tokens.last else {
            return HelmRenderError("parse error in (\(error.templateName)): \(text)")
        }
        return HelmRenderError("parse error at (\(tokens[1])): \(last)")
    }

    /// Helm's `cleanupExecError`: a `required`/`fail` message is reported with the location of the top-level
    /// template; any other error is Go's text unchanged.
    static func executionError(_ path: String, _ error: TemplateError) -> HelmRenderError {
        let text = error.description
        guard error.kind != .parse else { return HelmRenderError(text) }
        let tokens = text.split(separator: ": ", maxSplits: 2, omittingEmptySubsequences: false)
        guard tokens.count == 3 else { return HelmRenderError("execution error in (\(path)): \(text)") }
        let rest = tokens[2]
        if let start = rest.firstRange(of: userErrorStart), let end = rest.ranges(of: userErrorEnd).last,
            start.upperBound <= end.lowerBound
        {
            return HelmRenderError("execution error at (\(tokens[1])): \(rest[start.upperBound..<end.lowerBound])")
        }
        return HelmRenderError(text)
    }
}
