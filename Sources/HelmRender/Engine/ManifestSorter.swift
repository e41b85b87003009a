import GitOpsKit

/// Helm's `releaseutil`: rendered files split into YAML documents, each read for its kind, name and hook
/// annotations, then hooks separated from manifests and both sorted by kind in install order.
enum ManifestSorter {
    static let hookAnnotation = "helm.sh/hook"
    static let hookWeightAnnotation = "helm.sh/hook-weight"
    static let hookDeleteAnnotation = "helm.sh/hook-delete-policy"
    static let hookEvents: Set<String> = [
        "pre-install", "post-install", "pre-delete", "post-delete", "pre-upgrade", "post-upgrade", "pre-rollback",
        "post-rollback", "test",
    ]

    /// Helm's `SortManifests`: files in path order (partials and blank files skipped), documents in file order.
    static func sort(_ files: [String: String]) throws(HelmRenderError) -> (manifests: [RenderedRelease.Manifest], hooks: [RenderedRelease.Hook]) {
        var manifests: [RenderedRelease.Manifest] = []
        var hooks: [RenderedRelease.Hook] = []
        for path in files.keys.sorted() {
            guard let content = files[path], !HelmEngine.isPartial(path), !GoText.trimSpace(content).isEmpty else {
                continue
            }
            for document in splitManifests(content) {
                let head = try SimpleHead(document, path: path)
                guard let hookTypes = head.annotations[hookAnnotation] else {
                    manifests.append(.init(path: path, content: document, apiVersion: head.apiVersion, kind: head.kind,
                                           name: head.name))
                    continue
                }
                var events: [String] = []
                var unknown = false
                for type in hookTypes.split(separator: ",", omittingEmptySubsequences: false) {
                    var event = GoText.trimSpace(String(type)).lowercased()
                    if event == "test-success" { event = "test" }
                    guard hookEvents.contains(event) else {
                        unknown = true
                        break
                    }
                    events.append(event)
                }
                if unknown { continue }  // Helm logs "skipping unknown hook" and drops the document
                let deletePolicies = head.annotations[hookDeleteAnnotation].map { value in
                    value.split(separator: ",", omittingEmptySubsequences: false).map {
                        GoText.trimSpace(String($0)).lowercased()
                    }
                } ?? []
                hooks.append(.init(
                    path: path, kind: head.kind, name: head.name, events: events,
                    weight: GoText.atoi(head.annotations[hookWeightAnnotation] ?? "") ?? 0,
                    deletePolicies: deletePolicies, content: document))
            }
        }
        return (KindSortOrder.stableSorted(manifests, kind: \.kind), KindSortOrder.stableSorted(hooks, kind: \.kind))
    }

    /// Helm's `SplitManifests`: the text trimmed, split on the regular expression `(?:^|\s*\n)---\s*`, empty
    /// pieces dropped and each piece trimmed.
    static func splitManifests(_ text: String) -> [String] {
        let bytes = Array(GoText.trimSpace(text).utf8)
        var pieces: [String] = []
        var pieceStart = 0
        var searchFrom = 0

        func isSpace(_ byte: UInt8) -> Bool {
            byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D
        }
        func isDashes(at index: Int) -> Bool {
            index + 3 <= bytes.count && bytes[index] == 0x2D && bytes[index + 1] == 0x2D && bytes[index + 2] == 0x2D
        }
        func endOfSeparator(afterDashesAt index: Int) -> Int {
            var end = index + 3
            while end < bytes.count, isSpace(bytes[end]) { end += 1 }
            return end
        }
        func emit(_ end: Int) {
            if end > pieceStart {
                pieces.append(GoText.trimSpace(String(decoding: bytes[pieceStart..<end], as: UTF8.self)))
            }
        }

        if isDashes(at: 0) {
            searchFrom = endOfSeparator(afterDashesAt: 0)
            pieceStart = searchFrom
        }
        var index = searchFrom
        while index < bytes.count {
            guard bytes[index] == 0x0A, isDashes(at: index + 1) else {
                index += 1
                continue
            }
            // The match begins at the whitespace run that leads up to this newline (but not before the end of
            // the previous match).
            var start = index
            while start > searchFrom, isSpace(bytes[start - 1]) { start -= 1 }
            emit(start)
            let end = endOfSeparator(afterDashesAt: index + 1)
            pieceStart = end
            searchFrom = end
            index = end
        }
        emit(bytes.count)
        return pieces
    }
}

/// Go's string helpers where their definitions matter for byte-identical output.
enum GoText {
    /// `strings.TrimSpace`: Unicode white space at both ends.
    static func trimSpace(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        guard let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        if first == scalars.startIndex, scalars.index(after: last) == scalars.endIndex { return text }
        return String(scalars[first...last])
    }

    /// `strconv.Atoi`: an optional sign and decimal digits, within `Int`.
    static func atoi(_ text: String) -> Int? {
        var digits = Substring(text)
        var negative = false
        if let sign = digits.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(digits) else {
            return nil
        }
        return negative ? -value : value
    }
}
