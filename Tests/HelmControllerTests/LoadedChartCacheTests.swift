import GitOpsKit
import HelmControllerKit
import Testing

@Suite struct LoadedChartCacheTests {
    static func chart(_ version: String) throws -> ChartContents {
        try ChartContents(files: ["Chart.yaml": Array("apiVersion: v2\nname: app\nversion: \(version)\n".utf8)])
    }

    @Test func returnsTheChartOfADigestAndDropsTheLeastRecentlyUsed() throws {
        let cache = LoadedChartCache(capacity: 2)
        let (one, two, three) = (try Self.chart("1.0.0"), try Self.chart("2.0.0"), try Self.chart("3.0.0"))
        cache.store(one, digest: "sha256:1")
        cache.store(two, digest: "sha256:2")
        #expect(cache.chart(digest: "sha256:1") == one)  // 1 is now the most recently used
        cache.store(three, digest: "sha256:3")
        #expect(cache.chart(digest: "sha256:2") == nil)
        #expect(cache.chart(digest: "sha256:1") == one)
        #expect(cache.chart(digest: "sha256:3") == three)
        #expect(cache.chart(digest: "sha256:4") == nil)
    }
}
