#include "embed/sigv4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <ctime>

#include "core/hash.h"
#include "embed/http_client.h"

namespace smelter {

namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Trimmed, with inner runs of blanks collapsed to one space (AWS's rule for
// canonical header values).
std::string CanonicalHeaderValue(const std::string& v) {
  std::string out;
  bool space = false;
  for (char ch : v) {
    if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(ch);
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int hi = HexValue(s[i + 1]), lo = HexValue(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

// Parameters decoded, re-encoded the RFC 3986 way, sorted by name then value.
std::string CanonicalQuery(const std::string& query) {
  if (query.empty()) return "";
  std::vector<std::pair<std::string, std::string>> params;
  size_t start = 0;
  while (start <= query.size()) {
    size_t amp = query.find('&', start);
    if (amp == std::string::npos) amp = query.size();
    std::string_view part(query.data() + start, amp - start);
    if (!part.empty()) {
      size_t eq = part.find('=');
      std::string_view name = part.substr(0, eq);
      std::string_view value = eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1);
      params.emplace_back(UriEncode(PercentDecode(name), false), UriEncode(PercentDecode(value), false));
    }
    start = amp + 1;
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [k, v] : params) {
    if (!out.empty()) out += '&';
    out += k + "=" + v;
  }
  return out;
}

std::string Hmac(const std::string& key, const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string Hex(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

}  // namespace

Result<AwsCredentials> AwsCredentials::FromEnvironment() {
  auto env = [](const char* name) -> std::string {
    const char* v = std::getenv(name);
    return v ? v : "";
  };
  AwsCredentials c{env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY"), env("AWS_SESSION_TOKEN")};
  std::string missing;
  if (c.access_key_id.empty()) missing = "AWS_ACCESS_KEY_ID";
  if (c.secret_access_key.empty()) missing += std::string(missing.empty() ? "" : " and ") + "AWS_SECRET_ACCESS_KEY";
  if (!missing.empty()) {
    return Status::InvalidArgument("no AWS credentials: set " + missing +
                                   " (and AWS_SESSION_TOKEN for temporary credentials)");
  }
  return c;
}

std::string SigV4CanonicalRequest(const SigV4Request& request, const std::string& service,
                                  std::string* signed_headers) {
  std::string path = request.path.empty() ? "/" : request.path;
  std::string canonical_uri = service == "s3" ? path : UriEncode(path, /*keep_slash=*/true);

  // Lower-cased names, sorted; repeated names joined with commas in the
  // order they were given.
  std::vector<std::pair<std::string, std::string>> headers;
  for (const auto& [name, value] : request.headers) headers.emplace_back(Lower(name), CanonicalHeaderValue(value));
  std::stable_sort(headers.begin(), headers.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string canonical_headers, names;
  for (size_t i = 0; i < headers.size(); ++i) {
    if (i > 0 && headers[i].first == headers[i - 1].first) {
      canonical_headers.pop_back();  // the '\n'
      canonical_headers += "," + headers[i].second + "\n";
      continue;
    }
    canonical_headers += headers[i].first + ":" + headers[i].second + "\n";
    if (!names.empty()) names += ';';
    names += headers[i].first;
  }
  if (signed_headers) *signed_headers = names;
  return request.method + "\n" + canonical_uri + "\n" + CanonicalQuery(request.query) + "\n" + canonical_headers +
         "\n" + names + "\n" + Sha256Hex(request.payload);
}

std::string SigV4Scope(const std::string& amz_date, const std::string& region, const std::string& service) {
  return amz_date.substr(0, 8) + "/" + region + "/" + service + "/aws4_request";
}

std::string SigV4StringToSign(const std::string& amz_date, const std::string& scope,
                              const std::string& canonical_request) {
  return "AWS4-HMAC-SHA256\n" + amz_date + "\n" + scope + "\n" + Sha256Hex(canonical_request);
}

std::string SigV4Signature(const std::string& secret, const std::string& amz_date, const std::string& region,
                           const std::string& service, const std::string& string_to_sign) {
  std::string key = Hmac("AWS4" + secret, amz_date.substr(0, 8));
  key = Hmac(key, region);
  key = Hmac(key, service);
  key = Hmac(key, "aws4_request");
  return Hex(Hmac(key, string_to_sign));
}

void SignSigV4(const AwsCredentials& credentials, const std::string& region, const std::string& service,
               const std::string& amz_date, SigV4Request* request, const SigV4Options& options) {
  request->headers.emplace_back("X-Amz-Date", amz_date);
  if (options.content_sha256_header) request->headers.emplace_back("X-Amz-Content-Sha256", Sha256Hex(request->payload));
  if (!credentials.session_token.empty())
    request->headers.emplace_back("X-Amz-Security-Token", credentials.session_token);
  std::string signed_headers;
  std::string canonical = SigV4CanonicalRequest(*request, service, &signed_headers);
  std::string scope = SigV4Scope(amz_date, region, service);
  std::string signature = SigV4Signature(credentials.secret_access_key, amz_date, region, service,
                                         SigV4StringToSign(amz_date, scope, canonical));
  request->headers.emplace_back("Authorization", "AWS4-HMAC-SHA256 Credential=" + credentials.access_key_id + "/" +
                                                     scope + ", SignedHeaders=" + signed_headers +
                                                     ", Signature=" + signature);
}

std::string AmzDateNow() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

}  // namespace smelter
