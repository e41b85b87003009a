import GitOpsKit
import Testing

/// The one RFC 3986 encoder behind Kubernetes paths and queries, registry token requests, provider user info and
/// GitLab project paths.
struct PercentEncodingTests {
    @Test func unreservedCharactersStayEverythingElseIsEncoded() {
        #expect(PercentEncoding.encode("AZaz09-._~") == "AZaz09-._~")
        #expect(PercentEncoding.encode("group/sub project") == "group%2Fsub%20project")
        #expect(PercentEncoding.encode("repository:app:pull,push") == "repository%3Aapp%3Apull%2Cpush")
        #expect(PercentEncoding.encode("p@ss:wörd") == "p%40ss%3Aw%C3%B6rd")
        #expect(PercentEncoding.encode("") == "")
    }
}
