// A small HTTP client over libcurl, for the embedding services and the
// model hub: one request in, status code + headers + body out, and a retry
// loop with exponential backoff for the failures that are worth retrying.
//
// Thread-safe: curl_global_init runs once (std::call_once) and every call
// uses its own easy handle, so any number of threads may send at once.
// Transport failures are values: Timeout for a request that ran past its
// limit, IOError for one that could not connect or broke off (both worth a
// retry), InvalidArgument for a URL curl cannot use (not worth one).
//
// Secrets: callers pass the secrets a request carries (`secrets`), and every
// message built here has them scrubbed; a request's headers never appear in
// a message at all.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace smelter {

struct HttpResponse {
  long status = 0;                            // 200, 404, ...
  std::map<std::string, std::string> headers;  // names lower-cased; the final response's,
                                               // plus any x-linked-* seen on a redirect
  std::string body;                            // unless a body_sink took it (2xx only)
  // Retry-After in seconds when the response carried one (a number or an
  // HTTP date); -1 otherwise.
  double retry_after_s = -1;

  std::string Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? "" : it->second;
  }
};

struct HttpRequest {
  std::string method = "GET";  // "GET" or "POST"
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // sent as given
  std::string body;                                        // POST body
  // The whole request must finish within this many seconds (0 = no limit).
  int timeout_s = 60;
  // Give up when fewer than 1 byte/s arrives for this long (0 = never);
  // for large downloads, where a total limit would be wrong.
  int stall_timeout_s = 0;
  int connect_timeout_s = 10;
  bool follow_redirects = false;
  // When set, the body of a 2xx response is handed here chunk by chunk
  // (with the response's status and headers so far) instead of being kept
  // in HttpResponse::body; returning false aborts the transfer (an IOError).
  // Bodies of other responses are still collected, for their messages.
  std::function<bool(const HttpResponse& head, std::string_view chunk)> body_sink;
};

// Sends one request. A non-2xx status is not an error here: it comes back
// in the response for the caller to judge.
Result<HttpResponse> SendHttp(const HttpRequest& request,
                              const std::vector<std::string>& secrets = {});

// When to try again, and how long to wait before it.
struct RetryPolicy {
  int max_retries = 5;  // retries after the first try
  std::chrono::milliseconds base_delay{200};  // doubles on each retry, with jitter
  std::chrono::milliseconds max_delay{10000};
  // A Retry-After longer than this is cut to it, so that a service asking
  // for an hour does not hang a pipeline for an hour.
  std::chrono::milliseconds max_retry_after{60000};
  // Retry when the service cannot be reached at all (connection refused,
  // unknown host)? Worth it in the middle of a run (a service restarting);
  // not for a first probe, where the likely cause is that it is not running.
  bool retry_unreachable = true;
};

// The wait before retry number `retry` (0-based): base * 2^retry, capped at
// max_delay, times a random factor in [0.5, 1] so that many clients do not
// retry in lockstep; a Retry-After (seconds, >= 0) replaces it.
std::chrono::milliseconds BackoffDelay(const RetryPolicy& policy, int retry, double retry_after_s);

// Whether a response status is worth retrying: 429 and 5xx.
bool IsRetryableStatus(long status);

// SendHttp, retried per `policy` on 429, 5xx, timeouts and broken
// connections. Returns the last response (which may still be a 429 or 5xx
// once the retries are spent) or the last transport error. `make_request`
// is called before every attempt, so that a signed request can be re-signed
// with a fresh timestamp.
Result<HttpResponse> SendHttpWithRetries(const std::function<HttpRequest()>& make_request,
                                         const RetryPolicy& policy,
                                         const std::vector<std::string>& secrets = {});

// `text` with every occurrence of each non-empty secret replaced by "***",
// and any "Bearer <token>" cut to "Bearer ***".
std::string ScrubSecrets(std::string text, const std::vector<std::string>& secrets);

// A service's error body made fit for a one-line message: the "message" of
// a JSON error ({"error":{"message":...}}, {"message":...}, {"error":"..."})
// when there is one, else the text; whitespace collapsed, secrets scrubbed,
// cut to `max_chars`.
std::string ServiceErrorText(std::string_view body, const std::vector<std::string>& secrets,
                             size_t max_chars = 300);

// "scheme://host[:port]" of a URL, for messages and model ids; `url` itself
// when it does not parse.
std::string UrlOrigin(const std::string& url);
// "host[:port]" of a URL, as a Host header carries it (the port only when
// it is not the scheme's default).
std::string UrlHostPort(const std::string& url);
// The path and query of a URL ("/v1/x?a=b"), "/" when there is none.
std::string UrlPathAndQuery(const std::string& url);

// RFC 3986 percent-encoding: everything but A-Z a-z 0-9 - _ . ~ is
// encoded, and '/' too unless `keep_slash`.
std::string UriEncode(std::string_view s, bool keep_slash);

}  // namespace smelter
