// AWS Signature Version 4: signs an HTTP request with an access key, the
// way every AWS service (Bedrock included) checks it.
//
//   canonical request = method, canonical URI, canonical query, canonical
//                       headers, signed header names, hex SHA-256 of payload
//   string to sign    = "AWS4-HMAC-SHA256", timestamp, scope, hex SHA-256 of
//                       the canonical request
//   signing key       = HMAC chain "AWS4"+secret -> date -> region ->
//                       service -> "aws4_request"
//   signature         = hex HMAC-SHA256(signing key, string to sign)
//
// The pieces are exposed so that tests can check each against AWS's
// published test suite, and a test server can re-derive a signature.
// The secret key is used only as HMAC key material; nothing here puts it
// (or the session token) into a message.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace smelter {

struct AwsCredentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // temporary credentials only

  // From AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and the optional
  // AWS_SESSION_TOKEN. InvalidArgument naming the unset variables.
  static Result<AwsCredentials> FromEnvironment();
};

struct SigV4Request {
  std::string method;  // "POST"
  // The path as sent on the wire, percent-encoded as in the URL
  // ("/model/amazon.titan-embed-text-v2%3A0/invoke").
  std::string path = "/";
  std::string query;  // as sent, without the '?'
  // The headers to sign, Host among them; the signer adds its own.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string payload;
};

// The canonical request. Every path segment is URI-encoded again (AWS's
// rule for all services but S3, which takes the path as sent); `signed_headers`
// receives "host;x-amz-date;...".
std::string SigV4CanonicalRequest(const SigV4Request& request, const std::string& service,
                                  std::string* signed_headers);

// "20150830/us-east-1/service/aws4_request" for amz_date "20150830T123600Z".
std::string SigV4Scope(const std::string& amz_date, const std::string& region, const std::string& service);

std::string SigV4StringToSign(const std::string& amz_date, const std::string& scope,
                              const std::string& canonical_request);

// Hex HMAC-SHA256 of `string_to_sign` under the key derived from `secret`.
std::string SigV4Signature(const std::string& secret, const std::string& amz_date, const std::string& region,
                           const std::string& service, const std::string& string_to_sign);

struct SigV4Options {
  // Send and sign x-amz-content-sha256 (S3 requires it; others accept it).
  bool content_sha256_header = true;
};

// Adds X-Amz-Date, X-Amz-Content-Sha256 (per options), X-Amz-Security-Token
// (for temporary credentials) and Authorization to request->headers.
// `amz_date` is the signing time, "YYYYMMDDTHHMMSSZ" (see AmzDateNow).
void SignSigV4(const AwsCredentials& credentials, const std::string& region, const std::string& service,
               const std::string& amz_date, SigV4Request* request, const SigV4Options& options = {});

// The current UTC time as "YYYYMMDDTHHMMSSZ".
std::string AmzDateNow();

}  // namespace smelter
