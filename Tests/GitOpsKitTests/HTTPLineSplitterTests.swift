import Testing

@testable import GitOpsKit

struct HTTPLineSplitterTests {
    /// Feeds `text` split at every pair of cut points and checks the same lines come out.
    @Test func framesLinesAcrossEveryChunkBoundary() {
        let text = Array("{\"type\":\"ADDED\"}\r\n\n{\"type\":\"MODIFIED\",\"x\":\"é\"}\nlast".utf8)
        let expected = ["{\"type\":\"ADDED\"}", "", "{\"type\":\"MODIFIED\",\"x\":\"é\"}", "last"]
        for first in 0...text.count {
            for second in first...text.count {
                var splitter = HTTPLineSplitter(maximumLineSize: 1024)
                var lines: [String] = []
                for chunk in [text[..<first], text[first..<second], text[second...]] {
                    splitter.append(chunk)
                    while let line = splitter.nextLine() { lines.append(String(decoding: line, as: UTF8.self)) }
                }
                if let rest = splitter.remainder() { lines.append(String(decoding: rest, as: UTF8.self)) }
                #expect(lines == expected, "cuts at \(first), \(second)")
            }
        }
    }

    @Test func keepsOnlyTheUnreturnedBytes() {
        var splitter = HTTPLineSplitter(maximumLineSize: 8)
        splitter.append(Array("abc\ndefg".utf8))
        #expect(splitter.nextLine() == Array("abc".utf8))
        #expect(splitter.nextLine() == nil)
        #expect(splitter.pendingCount == 4)
        splitter.append(Array("h\n".utf8))
        #expect(splitter.nextLine() == Array("defgh".utf8))
        #expect(splitter.remainder() == nil)
    }
}
