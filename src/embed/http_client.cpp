#include "embed/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <ctime>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

namespace smelter {

namespace {

// curl_global_init is not thread-safe and must run once before any handle
// is made; every entry point goes through here.
bool EnsureCurlInitialized() {
  static std::once_flag once;
  static bool ok = false;
  std::call_once(once, [] { ok = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK; });
  return ok;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

// Retry-After is either delay-seconds or an HTTP date.
double ParseRetryAfter(const std::string& value) {
  std::string v = Trim(value);
  if (v.empty()) return -1;
  if (std::all_of(v.begin(), v.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
    return v.size() > 9 ? 1e9 : static_cast<double>(std::stol(v));
  }
  time_t when = curl_getdate(v.c_str(), nullptr);
  if (when < 0) return -1;
  double d = std::difftime(when, std::time(nullptr));
  return d < 0 ? 0 : d;
}

// What went wrong in a failed transfer, for the retry decision.
struct Failure {
  bool transient = false;    // a retry may succeed (timeout, reset, refused)
  bool unreachable = false;  // nothing answered at all (refused, unknown host)
};

struct Transfer {
  const HttpRequest* request = nullptr;
  HttpResponse response;
  bool sink_refused = false;
  size_t body_limit = size_t{1} << 30;  // a runaway body is an error, not an OOM
  bool body_too_large = false;
};

// Called by libcurl (C): nothing may be thrown through it.
size_t OnHeaderImpl(char* data, size_t size, size_t nitems, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t n = size * nitems;
  std::string_view line(data, n);
  if (line.rfind("HTTP/", 0) == 0) {
    // A new response (after a redirect or a 100 Continue): start over, but
    // keep what the hub says on its redirect about the file it points to.
    std::map<std::string, std::string> kept;
    for (auto& [k, v] : t->response.headers)
      if (k.rfind("x-linked-", 0) == 0) kept.emplace(k, v);
    t->response.headers = std::move(kept);
    t->response.retry_after_s = -1;
    size_t sp = line.find(' ');
    t->response.status = sp == std::string_view::npos ? 0 : std::atol(std::string(line.substr(sp + 1, 3)).c_str());
    return n;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return n;
  std::string name = Lower(Trim(line.substr(0, colon)));
  std::string value = Trim(line.substr(colon + 1));
  if (name == "retry-after") t->response.retry_after_s = ParseRetryAfter(value);
  t->response.headers[name] = value;
  return n;
}

size_t OnHeader(char* data, size_t size, size_t nitems, void* user) {
  try {
    return OnHeaderImpl(data, size, nitems, user);
  } catch (...) {
    return 0;  // aborts the transfer
  }
}

size_t OnBodyImpl(char* data, size_t size, size_t nmemb, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t n = size * nmemb;
  long status = t->response.status;
  if (t->request->body_sink && status >= 200 && status < 300) {
    if (!t->request->body_sink(t->response, std::string_view(data, n))) {
      t->sink_refused = true;
      return 0;  // makes curl stop with CURLE_WRITE_ERROR
    }
    return n;
  }
  if (t->response.body.size() + n > t->body_limit) {
    t->body_too_large = true;
    return 0;
  }
  t->response.body.append(data, n);
  return n;
}

size_t OnBody(char* data, size_t size, size_t nmemb, void* user) {
  try {
    return OnBodyImpl(data, size, nmemb, user);
  } catch (...) {
    static_cast<Transfer*>(user)->sink_refused = true;
    return 0;  // aborts the transfer
  }
}

// The URL without its query (a query may carry a token) or user:password.
std::string UrlForMessage(const std::string& url, const std::vector<std::string>& secrets) {
  std::string u = url.substr(0, url.find('?'));
  size_t scheme = u.find("://");
  size_t host = scheme == std::string::npos ? 0 : scheme + 3;
  size_t at = u.find('@', host);
  if (at != std::string::npos && at < u.find('/', host)) u.erase(host, at + 1 - host);
  return ScrubSecrets(u, secrets);
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

Result<HttpResponse> SendOnce(const HttpRequest& request, const std::vector<std::string>& secrets,
                              Failure* failure) {
  *failure = Failure{};
  if (!EnsureCurlInitialized()) return Status::Internal("libcurl failed to initialize");
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return Status::Internal("libcurl could not make a handle");
  CURL* c = curl.get();

  Transfer t;
  t.request = &request;
  char errbuf[CURL_ERROR_SIZE] = {0};

  curl_slist* raw_list = nullptr;
  for (const auto& [name, value] : request.headers) {
    std::string line = name + ": " + value;
    curl_slist* next = curl_slist_append(raw_list, line.c_str());
    if (!next) {
      curl_slist_free_all(raw_list);
      return Status::Internal("out of memory building request headers");
    }
    raw_list = next;
  }
  // No "Expect: 100-continue" round trip for large bodies.
  curl_slist* next = curl_slist_append(raw_list, "Expect:");
  if (next) raw_list = next;
  std::unique_ptr<curl_slist, SlistDeleter> header_list(raw_list);

  curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM: we are multi-threaded
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, header_list.get());
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "smelter");
  // HTTP(S) only, redirects included: no file:// or ftp:// surprises.
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  if (request.timeout_s > 0) curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(request.timeout_s));
  if (request.connect_timeout_s > 0)
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, static_cast<long>(request.connect_timeout_s));
  if (request.stall_timeout_s > 0) {
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, static_cast<long>(request.stall_timeout_s));
  }
  if (request.follow_redirects) {
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
    // Custom Authorization headers are not passed on to another host (the
    // default since curl 7.58); say so explicitly all the same.
    curl_easy_setopt(c, CURLOPT_UNRESTRICTED_AUTH, 0L);
  }
  // Compressed JSON answers are much smaller; downloads stay byte-exact so
  // that Range requests and checksums refer to the same bytes.
  if (!request.body_sink) curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
  if (request.method == "POST") {
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  } else if (request.method != "GET") {
    return Status::InvalidArgument("unsupported HTTP method " + request.method);
  }

  CURLcode rc = curl_easy_perform(c);
  if (rc == CURLE_OK) {
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    t.response.status = code;
    return std::move(t.response);
  }

  std::string where = UrlForMessage(request.url, secrets);
  std::string detail = ScrubSecrets(errbuf[0] ? errbuf : curl_easy_strerror(rc), secrets);
  switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
      failure->transient = true;
      if (request.stall_timeout_s > 0 && t.response.status != 0) {
        return Status::Timeout("transfer from " + where + " stalled for " +
                               std::to_string(request.stall_timeout_s) + " s");
      }
      return Status::Timeout("no answer from " + where + " within " +
                             std::to_string(request.timeout_s > 0 ? request.timeout_s : request.connect_timeout_s) +
                             " s");
    case CURLE_COULDNT_CONNECT: {
      failure->transient = true;
      failure->unreachable = true;
      long os_errno = 0;
      curl_easy_getinfo(c, CURLINFO_OS_ERRNO, &os_errno);
      std::string why = os_errno ? std::strerror(static_cast<int>(os_errno)) : detail;
      if (os_errno == ECONNREFUSED) why = "connection refused";
      return Status::IOError("cannot reach " + where + ": " + why + "; is the service running?");
    }
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      failure->transient = true;
      failure->unreachable = true;
      return Status::IOError("cannot reach " + where + ": " + detail);
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return Status::InvalidArgument("bad URL " + where + ": " + detail);
    case CURLE_WRITE_ERROR:
      if (t.body_too_large) return Status::TooLarge("answer from " + where + " is too large");
      if (t.sink_refused) return Status::IOError("transfer from " + where + " stopped by the receiver");
      return Status::IOError("transfer from " + where + " failed: " + detail);
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
      return Status::IOError("TLS failure talking to " + where + ": " + detail);
    case CURLE_TOO_MANY_REDIRECTS:
      return Status::IOError("too many redirects from " + where);
    default:
      // Resets, broken transfers, TLS handshakes that fell over: transient.
      failure->transient = true;
      return Status::IOError("request to " + where + " failed: " + detail);
  }
}

}  // namespace

Result<HttpResponse> SendHttp(const HttpRequest& request, const std::vector<std::string>& secrets) {
  Failure failure;
  return SendOnce(request, secrets, &failure);
}

bool IsRetryableStatus(long status) { return status == 429 || (status >= 500 && status <= 599); }

std::chrono::milliseconds BackoffDelay(const RetryPolicy& policy, int retry, double retry_after_s) {
  using std::chrono::milliseconds;
  if (retry_after_s >= 0) {
    double ms = std::min(retry_after_s * 1000.0, static_cast<double>(policy.max_retry_after.count()));
    return milliseconds(static_cast<int64_t>(ms));
  }
  double base = static_cast<double>(policy.base_delay.count());
  double cap = static_cast<double>(policy.max_delay.count());
  double d = std::min(cap, base * std::pow(2.0, std::min(retry, 30)));
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uniform_real_distribution<double> jitter(0.5, 1.0);
  return milliseconds(static_cast<int64_t>(d * jitter(rng)));
}

Result<HttpResponse> SendHttpWithRetries(const std::function<HttpRequest()>& make_request,
                                         const RetryPolicy& policy,
                                         const std::vector<std::string>& secrets) {
  const int max_retries = std::max(0, policy.max_retries);
  for (int attempt = 0;; ++attempt) {
    HttpRequest request = make_request();
    Failure failure;
    Result<HttpResponse> r = SendOnce(request, secrets, &failure);
    double retry_after = -1;
    if (r.ok()) {
      if (!IsRetryableStatus(r->status) || attempt >= max_retries) return r;
      retry_after = r->retry_after_s;
    } else {
      bool retry = failure.transient && (!failure.unreachable || policy.retry_unreachable);
      if (!retry || attempt >= max_retries) return r;
    }
    std::this_thread::sleep_for(BackoffDelay(policy, attempt, retry_after));
  }
}

std::string ScrubSecrets(std::string text, const std::vector<std::string>& secrets) {
  for (const std::string& secret : secrets) {
    if (secret.empty()) continue;
    for (size_t pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos + 3)) {
      text.replace(pos, secret.size(), "***");
    }
  }
  // Whatever follows "Bearer " is a token, whoever echoed it.
  std::string lower = Lower(text);
  for (size_t pos = lower.find("bearer "); pos != std::string::npos; pos = lower.find("bearer ", pos + 1)) {
    size_t b = pos + 7, e = b;
    while (e < text.size() && !std::isspace(static_cast<unsigned char>(text[e])) && text[e] != '"' &&
           text[e] != '\'' && text[e] != ',')
      ++e;
    if (e == b || text.compare(b, e - b, "***") == 0) continue;
    text.replace(b, e - b, "***");
    lower.replace(b, e - b, "***");
  }
  return text;
}

std::string ServiceErrorText(std::string_view body, const std::vector<std::string>& secrets,
                             size_t max_chars) {
  std::string text(body);
  nlohmann::json j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_object()) {
    auto str = [](const nlohmann::json& o, const char* key) -> std::string {
      auto it = o.find(key);
      return it != o.end() && it->is_string() ? it->get<std::string>() : "";
    };
    std::string m;
    if (auto e = j.find("error"); e != j.end()) {
      if (e->is_object()) m = str(*e, "message");
      else if (e->is_string()) m = e->get<std::string>();
    }
    if (m.empty()) m = str(j, "message");
    if (m.empty()) m = str(j, "Message");
    if (m.empty()) m = str(j, "detail");
    if (!m.empty()) text = m;
  }
  // One line, no runs of blanks.
  std::string flat;
  flat.reserve(text.size());
  bool space = false;
  for (char ch : text) {
    if (std::isspace(static_cast<unsigned char>(ch))) {
      space = !flat.empty();
      continue;
    }
    if (space) flat.push_back(' ');
    space = false;
    flat.push_back(ch);
  }
  flat = ScrubSecrets(std::move(flat), secrets);
  if (flat.size() > max_chars) {
    size_t cut = max_chars;
    while (cut > 0 && (static_cast<unsigned char>(flat[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
    flat = flat.substr(0, cut) + "...";
  }
  return flat;
}

namespace {
struct UrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
std::string UrlPart(CURLU* u, CURLUPart part, unsigned flags = 0) {
  char* s = nullptr;
  if (curl_url_get(u, part, &s, flags) != CURLUE_OK || !s) return "";
  std::string out(s);
  curl_free(s);
  return out;
}
std::unique_ptr<CURLU, UrlDeleter> ParseUrl(const std::string& url) {
  EnsureCurlInitialized();
  std::unique_ptr<CURLU, UrlDeleter> u(curl_url());
  if (!u || curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) return nullptr;
  return u;
}
}  // namespace

std::string UrlOrigin(const std::string& url) {
  auto u = ParseUrl(url);
  if (!u) return url;
  std::string port = UrlPart(u.get(), CURLUPART_PORT);
  return UrlPart(u.get(), CURLUPART_SCHEME) + "://" + UrlPart(u.get(), CURLUPART_HOST) +
         (port.empty() ? "" : ":" + port);
}

std::string UrlHostPort(const std::string& url) {
  auto u = ParseUrl(url);
  if (!u) return "";
  std::string scheme = Lower(UrlPart(u.get(), CURLUPART_SCHEME));
  std::string port = UrlPart(u.get(), CURLUPART_PORT);
  if ((scheme == "https" && port == "443") || (scheme == "http" && port == "80")) port.clear();
  return UrlPart(u.get(), CURLUPART_HOST) + (port.empty() ? "" : ":" + port);
}

std::string UrlPathAndQuery(const std::string& url) {
  auto u = ParseUrl(url);
  if (!u) return "/";
  std::string path = UrlPart(u.get(), CURLUPART_PATH);
  if (path.empty()) path = "/";
  std::string query = UrlPart(u.get(), CURLUPART_QUERY);
  return query.empty() ? path : path + "?" + query;
}

std::string UriEncode(std::string_view s, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3);
  for (unsigned char ch : s) {
    bool alnum = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
    if (alnum || ch == '-' || ch == '_' || ch == '.' || ch == '~' || (keep_slash && ch == '/')) {
      out.push_back(static_cast<char>(ch));
    } else {
      out.push_back('%');
      out.push_back(kHex[ch >> 4]);
      out.push_back(kHex[ch & 15]);
    }
  }
  return out;
}

}  // namespace smelter
