import CCurl

/// Runs `curl_global_init` once per process, before the first handle is made.
private let curlGlobalInitResult: CURLcode = curl_global_init(3 /* CURL_GLOBAL_DEFAULT: SSL | WIN32 */)

/// A curl multi handle shared between the loop thread and submitters.
///
/// `@unchecked Sendable`: only the loop thread calls `curl_multi_*` on `raw`, except `curl_multi_wakeup`, which
/// libcurl documents as safe to call from any thread. Cleanup runs in `deinit`, after the loop thread has exited
/// (the thread holds a reference while it runs).
final class CurlMultiHandle: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer

    init?() {
        _ = curlGlobalInitResult
        guard let raw = curl_multi_init() else { return nil }
        self.raw = raw
    }

    func wakeup() { _ = curl_multi_wakeup(raw) }

    deinit { curl_multi_cleanup(raw) }
}
