import GitOpsKit
import Testing

@Suite struct PathStringTests {
    @Test(arguments: [
        ("/a/b.txt", "b.txt", "/a"), ("/a/b/", "b", "/a"), ("/a", "a", "/"), ("a", "a", ""), ("/", "/", "/"),
        ("a/b//", "b", "a"), ("", "", ""),
    ])
    func componentsAsNSString(path: String, last: String, parent: String) {
        #expect(PathString.lastComponent(path) == last)
        #expect(PathString.parent(path) == parent)
    }

    @Test func joinUsesOneSlash() {
        #expect(PathString.join("/a", "b") == "/a/b")
        #expect(PathString.join("/a/", "b") == "/a/b")
        #expect(PathString.join("", "b") == "b")
    }

    @Test func percentDecoding() {
        #expect(PathString.percentDecoded("a%20b%2Fc") == "a b/c")
        #expect(PathString.percentDecoded("%C3%A9t%c3%a9") == "été")
        #expect(PathString.percentDecoded("plain") == "plain")
        #expect(PathString.percentDecoded("bad%2") == nil)
        #expect(PathString.percentDecoded("bad%zz") == nil)
        #expect(PathString.percentDecoded("%FF") == nil)  // not UTF-8
    }

    @Test func trimmingWhitespace() {
        #expect(" \t a b \n".trimmingWhitespace() == "a b")
        #expect("   ".trimmingWhitespace() == "")
    }
}
