// The HTTP embedders against a real HTTP server on loopback, and SigV4
// against AWS's published test suite.
#include "embed/http_embedder.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cmath>
#include <mutex>
#include <nlohmann/json.hpp>

#include "embed/http_client.h"
#include "embed/http_embedder_internal.h"
#include "embed/http_test_server.h"
#include "embed/sigv4.h"

namespace smelter {
namespace {

using nlohmann::json;
using http_test::LoopbackServer;
using Clock = std::chrono::steady_clock;

constexpr const char* kKeyEnv = "SMELTER_TEST_EMBED_KEY";
constexpr const char* kSecretKey = "sk-test-SECRET-4c2f9a";

// Millisecond backoff so that retry tests take no time.
RetryPolicy FastRetries(int max_retries) {
  RetryPolicy p;
  p.max_retries = max_retries;
  p.base_delay = std::chrono::milliseconds(1);
  p.max_delay = std::chrono::milliseconds(5);
  return p;
}

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

// A fake OpenAI-compatible service. The vector of text "tN" points along
// (N, 1, 2, 3); answers list the data in reverse order, indices intact.
// `script` may override the answer for the n-th embeddings call (0 = probe).
struct FakeOpenAi {
  LoopbackServer server;
  std::mutex mu;
  std::vector<size_t> batch_sizes;
  std::vector<std::string> auth_headers;
  std::function<bool(int call, const httplib::Request&, httplib::Response&)> script;
  int calls = 0;

  FakeOpenAi() {
    server.server().Post("/v1/embeddings", [this](const httplib::Request& req, httplib::Response& res) {
      int call;
      {
        std::lock_guard<std::mutex> lock(mu);
        call = calls++;
        auth_headers.push_back(req.get_header_value("Authorization"));
      }
      if (script && script(call, req, res)) return;
      json body = json::parse(req.body);
      const json& input = body["input"];
      {
        std::lock_guard<std::mutex> lock(mu);
        batch_sizes.push_back(input.size());
      }
      json data = json::array();
      for (size_t i = input.size(); i-- > 0;) {
        std::string text = input[i].get<std::string>();
        double n = text.size() > 1 && text[0] == 't' ? std::stod(text.substr(1)) : 0.0;
        data.push_back({{"object", "embedding"}, {"index", i}, {"embedding", {n, 1.0, 2.0, 3.0}}});
      }
      res.set_content(json{{"object", "list"}, {"data", data}, {"model", body["model"]}}.dump(), "application/json");
    });
  }

  ~FakeOpenAi() { server.Stop(); }

  EmbedderConfig Config(int batch_size = 32) const {
    EmbedderConfig c;
    c.model = "openai:test-model";
    c.endpoint = server.url() + "/v1/";
    c.api_key_env = kKeyEnv;
    c.batch_size = batch_size;
    c.timeout_s = 5;
    return c;
  }
};

class HttpEmbedderTest : public ::testing::Test {
 protected:
  void SetUp() override { unsetenv(kKeyEnv); }
  void TearDown() override { unsetenv(kKeyEnv); }
};

TEST_F(HttpEmbedderTest, BatchesAndOrdersByIndexAndNormalizes) {
  FakeOpenAi fake;
  auto e = NewOpenAiEmbedder(fake.Config(3), "test-model", FastRetries(0));
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ((*e)->dimension(), 4);
  EXPECT_EQ((*e)->model_id(), "openai:test-model@127.0.0.1:" + std::to_string(fake.server.port()));

  std::vector<std::string> texts = {"t1", "t2", "t3", "t4", "t5", "t6", "t7"};
  std::vector<std::string_view> views(texts.begin(), texts.end());
  std::vector<std::vector<float>> out;
  ASSERT_TRUE((*e)->Embed(views, &out).ok());
  ASSERT_EQ(out.size(), texts.size());
  for (size_t i = 0; i < out.size(); ++i) {
    ASSERT_EQ(out[i].size(), 4u);
    double n = static_cast<double>(i + 1);
    double norm = std::sqrt(n * n + 1 + 4 + 9);
    EXPECT_NEAR(out[i][0], n / norm, 1e-6) << "vector " << i << " is not text " << i << "'s";
    EXPECT_NEAR(out[i][3], 3 / norm, 1e-6);
    double len = 0;
    for (float x : out[i]) len += static_cast<double>(x) * x;
    EXPECT_NEAR(len, 1.0, 1e-5);
  }
  std::lock_guard<std::mutex> lock(fake.mu);
  EXPECT_EQ(fake.batch_sizes, (std::vector<size_t>{1, 3, 3, 1}));  // the probe, then 7 in 3s
  for (const std::string& h : fake.auth_headers) EXPECT_EQ(h, "") << "no key set, none sent";
}

TEST_F(HttpEmbedderTest, EmptyInputNeedsNoRequest) {
  FakeOpenAi fake;
  auto e = NewOpenAiEmbedder(fake.Config(), "test-model", FastRetries(0));
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  std::vector<std::vector<float>> out;
  EXPECT_TRUE((*e)->Embed({}, &out).ok());
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(fake.calls, 1);
}

TEST_F(HttpEmbedderTest, SendsBearerKeyFromEnvironment) {
  setenv(kKeyEnv, kSecretKey, 1);
  FakeOpenAi fake;
  auto e = NewOpenAiEmbedder(fake.Config(), "test-model", FastRetries(0));
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  std::lock_guard<std::mutex> lock(fake.mu);
  ASSERT_EQ(fake.auth_headers.size(), 1u);
  EXPECT_EQ(fake.auth_headers[0], std::string("Bearer ") + kSecretKey);
}

TEST_F(HttpEmbedderTest, KeyEchoedByServiceNeverReachesTheStatus) {
  setenv(kKeyEnv, kSecretKey, 1);
  FakeOpenAi fake;
  fake.script = [](int, const httplib::Request& req, httplib::Response& res) {
    res.status = 401;
    res.set_content(json{{"error", {{"message", "Incorrect API key provided: " + std::string(kSecretKey) +
                                                    " (you sent " + req.get_header_value("Authorization") + ")"}}}}
                        .dump(),
                    "application/json");
    return true;
  };
  auto e = NewOpenAiEmbedder(fake.Config(), "test-model", FastRetries(3));
  ASSERT_FALSE(e.ok());
  const std::string msg = e.status().ToString();
  EXPECT_EQ(msg.find(kSecretKey), std::string::npos) << msg;
  EXPECT_EQ(msg.find("SECRET"), std::string::npos) << msg;
  EXPECT_NE(msg.find("Incorrect API key provided: ***"), std::string::npos) << msg;
  EXPECT_NE(msg.find(kKeyEnv), std::string::npos) << "names the variable to fix: " << msg;
  EXPECT_EQ(fake.calls, 1) << "401 is not retried";
}

TEST_F(HttpEmbedderTest, RetriesTooManyRequestsHonouringRetryAfter) {
  FakeOpenAi fake;
  fake.script = [](int call, const httplib::Request&, httplib::Response& res) {
    if (call != 1) return false;  // the probe passes; the first Embed call is throttled once
    res.status = 429;
    res.set_header("Retry-After", "1");
    res.set_content(R"({"error":{"message":"slow down"}})", "application/json");
    return true;
  };
  auto e = NewOpenAiEmbedder(fake.Config(), "test-model", FastRetries(3));
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  std::vector<std::vector<float>> out;
  auto start = Clock::now();
  Status s = (*e)->Embed({"t5"}, &out);
  double took = Seconds(start);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_GE(took, 0.9) << "Retry-After: 1 was not honoured";
  EXPECT_LT(took, 5.0);
  EXPECT_EQ(fake.calls, 3);
}

TEST_F(HttpEmbedderTest, RetriesServerErrors) {
  FakeOpenAi fake;
  fake.script = [](int call, const httplib::Request&, httplib::Response& res) {
    if (call != 1 && call != 2) return false;
    res.status = call == 1 ? 500 : 503;
    res.set_content("upstream exploded", "text/plain");
    return true;
  };
  auto e = NewOpenAiEmbedder(fake.Config(), "test-model", FastRetries(3));
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  std::vector<std::vector<float>> out;
  Status s = (*e)->Embed({"t1", "t2"}, &out);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(out.size(), 2u);
  EXPECT_EQ(fake.calls, 4);  // probe, 500, 503, success
}

TEST_F(HttpEmbedderTest, GivesUpAfterMaxRetries) {
  FakeOpenAi fake;
  fake.script = [](int call, const httplib::Request&, httplib::Response& res) {
    if (call == 0) return false;
    res.status = 502;
    res.set_content(R"({"error":{"message":"bad gateway"}})", "application/json");
    return true;
  };
  auto e = NewOpenAiEmbedder(fake.Config(), "test-model", FastRetries(2));
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  std::vector<std::vector<float>> out;
  Status s = (*e)->Embed({"t1"}, &out);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::kIOError);
  EXPECT_NE(s.message().find("HTTP 502: bad gateway"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("after 2 retries"), std::string::npos) << s.message();
  EXPECT_EQ(fake.calls, 1 + 3);
  EXPECT_TRUE(out.empty()) << "nothing appended on failure";
}

TEST_F(HttpEmbedderTest, ClientErrorFailsAtOnceWithTheServiceMessage) {
  FakeOpenAi fake;
  fake.script = [](int call, const httplib::Request&, httplib::Response& res) {
    if (call == 0) return false;
    res.status = 400;
    std::string long_tail(2000, 'x');
    res.set_content(json{{"error", {{"message", "This model's maximum context length is 8192 tokens " + long_tail}}}}.dump(),
                    "application/json");
    return true;
  };
  auto e = NewOpenAiEmbedder(fake.Config(), "test-model", FastRetries(5));
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  std::vector<std::vector<float>> out;
  Status s = (*e)->Embed({"t1"}, &out);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.message().find("HTTP 400: This model's maximum context length is 8192 tokens"), std::string::npos)
      << s.message();
  EXPECT_LT(s.message().size(), 500u) << "the service's message is truncated";
  EXPECT_EQ(fake.calls, 2) << "400 is not retried";
}

TEST_F(HttpEmbedderTest, TimesOutSlowRequests) {
  FakeOpenAi fake;
  fake.script = [&fake](int call, const httplib::Request&, httplib::Response&) {
    if (call == 0) return false;
    fake.server.SleepUnlessReleased(std::chrono::milliseconds(4000));
    return false;
  };
  EmbedderConfig config = fake.Config();
  config.timeout_s = 1;
  auto e = NewOpenAiEmbedder(config, "test-model", FastRetries(0));
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  std::vector<std::vector<float>> out;
  auto start = Clock::now();
  Status s = (*e)->Embed({"t1"}, &out);
  double took = Seconds(start);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::kTimeout) << s.ToString();
  EXPECT_GE(took, 0.9);
  EXPECT_LT(took, 3.0);
}

TEST_F(HttpEmbedderTest, MalformedAnswersAreErrors) {
  FakeOpenAi fake;
  fake.script = [](int call, const httplib::Request&, httplib::Response& res) {
    if (call == 0) return false;
    if (call == 1) res.set_content(R"({"data":[{"index":0,"embedding":[1,2,3,4]}]})", "application/json");  // 1 of 2
    if (call == 2) res.set_content(R"({"data":[{"index":0,"embedding":[1,2]}]})", "application/json");  // wrong dim
    if (call == 3) res.set_content("<html>proxy error</html>", "text/html");
    return true;
  };
  auto e = NewOpenAiEmbedder(fake.Config(), "test-model", FastRetries(0));
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  std::vector<std::vector<float>> out;
  EXPECT_FALSE((*e)->Embed({"t1", "t2"}, &out).ok());
  EXPECT_FALSE((*e)->Embed({"t1"}, &out).ok());
  EXPECT_FALSE((*e)->Embed({"t1"}, &out).ok());
  EXPECT_TRUE(out.empty());
}

TEST_F(HttpEmbedderTest, UnreachableServiceFailsFastWithAHint) {
  int closed_port;
  {
    LoopbackServer gone;
    closed_port = gone.port();
  }
  EmbedderConfig config;
  config.endpoint = "http://127.0.0.1:" + std::to_string(closed_port) + "/v1";
  config.api_key_env = kKeyEnv;
  auto start = Clock::now();
  auto e = NewOpenAiEmbedder(config, "test-model", FastRetries(5));
  ASSERT_FALSE(e.ok());
  EXPECT_LT(Seconds(start), 2.0);
  EXPECT_EQ(e.status().code(), Status::Code::kIOError);
  EXPECT_NE(e.status().message().find("cannot reach http://127.0.0.1:" + std::to_string(closed_port)), std::string::npos)
      << e.status().message();
  EXPECT_NE(e.status().message().find("connection refused; is the service running?"), std::string::npos)
      << e.status().message();
}

// ---------------------------------------------------------------------------
// Bedrock.

constexpr const char* kAccessKey = "AKIDTESTEXAMPLE";
constexpr const char* kAwsSecret = "wJalrXUtnFEMI/TESTSECRET+KEY";
constexpr const char* kAwsToken = "FQoGZXIvYXdzTESTSESSIONTOKEN";

// A fake Bedrock that re-derives every request's SigV4 signature from what
// arrived on the wire, with its own copy of the secret.
struct FakeBedrock {
  LoopbackServer server;
  std::string secret = kAwsSecret;
  std::mutex mu;
  std::vector<std::string> targets;
  std::vector<std::string> inputs;
  int verified = 0;

  FakeBedrock() {
    server.server().Post(R"(/model/(.+)/invoke)", [this](const httplib::Request& req, httplib::Response& res) {
      std::string why;
      if (!Verify(req, &why)) {
        res.status = 403;
        // A careless service that echoes what it got.
        res.set_header("x-amzn-ErrorType", "InvalidSignatureException:http://internal.amazon.com/coral/");
        res.set_content(json{{"message", "signature mismatch (" + why + ") for " + req.get_header_value("Authorization") +
                                             " token " + req.get_header_value("X-Amz-Security-Token") + " secret " +
                                             std::string(kAwsSecret)}}
                            .dump(),
                        "application/json");
        return;
      }
      json body = json::parse(req.body);
      std::string text = body["inputText"].get<std::string>();
      {
        std::lock_guard<std::mutex> lock(mu);
        targets.push_back(req.target);
        inputs.push_back(text);
        ++verified;
      }
      double n = static_cast<double>(text.size());
      res.set_content(json{{"embedding", {n, 0.0, 0.0, 1.0, 0.0}}, {"inputTextTokenCount", 2}}.dump(),
                      "application/json");
    });
  }

  ~FakeBedrock() { server.Stop(); }

  bool Verify(const httplib::Request& req, std::string* why) {
    const std::string auth = req.get_header_value("Authorization");
    const std::string prefix = "AWS4-HMAC-SHA256 Credential=";
    size_t sh = auth.find(", SignedHeaders="), sig = auth.find(", Signature=");
    if (auth.rfind(prefix, 0) != 0 || sh == std::string::npos || sig == std::string::npos) {
      *why = "no SigV4 Authorization";
      return false;
    }
    std::string credential = auth.substr(prefix.size(), sh - prefix.size());
    std::string signed_names = auth.substr(sh + 16, sig - sh - 16);
    std::string signature = auth.substr(sig + 12);
    std::string amz_date = req.get_header_value("X-Amz-Date");
    if (credential != std::string(kAccessKey) + "/" + amz_date.substr(0, 8) + "/eu-west-1/bedrock/aws4_request") {
      *why = "credential scope";
      return false;
    }
    if (req.get_header_value("X-Amz-Security-Token") != kAwsToken) {
      *why = "session token";
      return false;
    }
    SigV4Request r;
    r.method = req.method;
    size_t q = req.target.find('?');
    r.path = req.target.substr(0, q);
    r.query = q == std::string::npos ? "" : req.target.substr(q + 1);
    r.payload = req.body;
    for (size_t start = 0; start < signed_names.size();) {
      size_t semi = signed_names.find(';', start);
      if (semi == std::string::npos) semi = signed_names.size();
      std::string name = signed_names.substr(start, semi - start);
      r.headers.emplace_back(name, req.get_header_value(name.c_str()));
      start = semi + 1;
    }
    for (const char* must : {"host", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token"}) {
      if (signed_names.find(must) == std::string::npos) {
        *why = std::string(must) + " not signed";
        return false;
      }
    }
    std::string names_again;
    std::string canonical = SigV4CanonicalRequest(r, "bedrock", &names_again);
    std::string expected = SigV4Signature(secret, amz_date, "eu-west-1", "bedrock",
                                          SigV4StringToSign(amz_date, SigV4Scope(amz_date, "eu-west-1", "bedrock"),
                                                            canonical));
    if (names_again != signed_names || expected != signature) {
      *why = "signature";
      return false;
    }
    return true;
  }

  EmbedderConfig Config() const {
    EmbedderConfig c;
    c.model = "bedrock:amazon.titan-embed-text-v2:0";
    c.endpoint = server.url();
    c.region = "eu-west-1";
    c.timeout_s = 5;
    return c;
  }
};

class BedrockEmbedderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("AWS_ACCESS_KEY_ID", kAccessKey, 1);
    setenv("AWS_SECRET_ACCESS_KEY", kAwsSecret, 1);
    setenv("AWS_SESSION_TOKEN", kAwsToken, 1);
  }
  void TearDown() override {
    unsetenv("AWS_ACCESS_KEY_ID");
    unsetenv("AWS_SECRET_ACCESS_KEY");
    unsetenv("AWS_SESSION_TOKEN");
  }
};

TEST_F(BedrockEmbedderTest, SignedRequestsOneTextEach) {
  FakeBedrock fake;
  auto e = NewBedrockEmbedder(fake.Config(), "amazon.titan-embed-text-v2:0", FastRetries(0));
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ((*e)->dimension(), 5);
  EXPECT_EQ((*e)->model_id(), "bedrock:amazon.titan-embed-text-v2:0");
  std::vector<std::vector<float>> out;
  Status s = (*e)->Embed({"a", "bbb", ""}, &out);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(out.size(), 3u);
  EXPECT_NEAR(out[0][0], 1 / std::sqrt(2.0), 1e-6);
  EXPECT_NEAR(out[1][0], 3 / std::sqrt(10.0), 1e-6);
  std::lock_guard<std::mutex> lock(fake.mu);
  EXPECT_EQ(fake.verified, 4);  // the probe and three texts, every one signed correctly
  EXPECT_EQ(fake.inputs, (std::vector<std::string>{"hello", "a", "bbb", " "}));
  EXPECT_EQ(fake.targets[0], "/model/amazon.titan-embed-text-v2%3A0/invoke");
}

TEST_F(BedrockEmbedderTest, WrongSecretIsRefusedAndNoSecretLeaks) {
  FakeBedrock fake;
  fake.secret = "some-other-secret";
  auto e = NewBedrockEmbedder(fake.Config(), "amazon.titan-embed-text-v2:0", FastRetries(3));
  ASSERT_FALSE(e.ok());
  const std::string msg = e.status().ToString();
  EXPECT_NE(msg.find("HTTP 403"), std::string::npos) << msg;
  EXPECT_NE(msg.find("InvalidSignatureException"), std::string::npos) << msg;
  EXPECT_EQ(msg.find(kAwsSecret), std::string::npos) << msg;
  EXPECT_EQ(msg.find(kAwsToken), std::string::npos) << msg;
  EXPECT_EQ(msg.find(kAccessKey), std::string::npos) << msg;
}

TEST_F(BedrockEmbedderTest, MissingCredentialsNameTheVariables) {
  unsetenv("AWS_ACCESS_KEY_ID");
  unsetenv("AWS_SECRET_ACCESS_KEY");
  auto e = NewBedrockEmbedder(EmbedderConfig{}, "amazon.titan-embed-text-v2:0");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(e.status().message().find("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"), std::string::npos)
      << e.status().message();
}

// ---------------------------------------------------------------------------
// SigV4 known answers: AWS's Signature Version 4 test suite (credentials
// AKIDEXAMPLE / wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, us-east-1,
// service "service", 20150830T123600Z).

constexpr const char* kSuiteDate = "20150830T123600Z";
const AwsCredentials kSuiteCredentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};

std::string SuiteAuthorization(const std::string& method, const std::string& path, const std::string& query) {
  SigV4Request r;
  r.method = method;
  r.path = path;
  r.query = query;
  r.headers = {{"Host", "example.amazonaws.com"}};
  SigV4Options options;
  options.content_sha256_header = false;
  SignSigV4(kSuiteCredentials, "us-east-1", "service", kSuiteDate, &r, options);
  for (const auto& [name, value] : r.headers)
    if (name == "Authorization") return value;
  return "";
}

TEST(SigV4Test, GetVanillaPieces) {
  SigV4Request r;
  r.method = "GET";
  r.path = "/";
  r.headers = {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", kSuiteDate}};
  std::string signed_headers;
  std::string canonical = SigV4CanonicalRequest(r, "service", &signed_headers);
  EXPECT_EQ(canonical,
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(signed_headers, "host;x-amz-date");
  std::string sts = SigV4StringToSign(kSuiteDate, SigV4Scope(kSuiteDate, "us-east-1", "service"), canonical);
  EXPECT_EQ(sts,
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
            "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
  EXPECT_EQ(SigV4Signature(kSuiteCredentials.secret_access_key, kSuiteDate, "us-east-1", "service", sts),
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

TEST(SigV4Test, SuiteAuthorizationHeaders) {
  const std::string scope = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                            "SignedHeaders=host;x-amz-date, Signature=";
  EXPECT_EQ(SuiteAuthorization("GET", "/", ""),
            scope + "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");  // get-vanilla
  EXPECT_EQ(SuiteAuthorization("GET", "/", "Param2=value2&Param1=value1"),
            scope + "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");  // query-order-key-case
  EXPECT_EQ(SuiteAuthorization("POST", "/", ""),
            scope + "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");  // post-vanilla
  EXPECT_EQ(SuiteAuthorization("GET", "/\xe1\x88\xb4", ""),
            scope + "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85");  // get-utf8
}

TEST(SigV4Test, SessionTokenAndPayloadHashAreSigned) {
  SigV4Request r;
  r.method = "POST";
  r.path = "/model/a%3Ab/invoke";
  r.headers = {{"Host", "h"}};
  r.payload = "{}";
  SignSigV4({"AK", "SECRET", "TOKEN"}, "us-east-1", "bedrock", kSuiteDate, &r);
  std::map<std::string, std::string> h(r.headers.begin(), r.headers.end());
  EXPECT_EQ(h["X-Amz-Security-Token"], "TOKEN");
  EXPECT_EQ(h["X-Amz-Content-Sha256"], "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
  EXPECT_NE(h["Authorization"].find("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,"),
            std::string::npos)
      << h["Authorization"];
  EXPECT_EQ(h["Authorization"].find("SECRET"), std::string::npos);
  std::string names;
  // Non-S3 services sign the path encoded once more.
  EXPECT_NE(SigV4CanonicalRequest(r, "bedrock", &names).find("\n/model/a%253Ab/invoke\n"), std::string::npos);
}

// ---------------------------------------------------------------------------
// Client helpers.

TEST(HttpClientTest, ScrubsSecretsAndBearerTokens) {
  EXPECT_EQ(ScrubSecrets("key sk-123 and again sk-123", {"sk-123"}), "key *** and again ***");
  EXPECT_EQ(ScrubSecrets("Authorization: Bearer abc.def-ghi, more", {}), "Authorization: Bearer ***, more");
  EXPECT_EQ(ScrubSecrets("nothing here", {"", "zzz"}), "nothing here");
}

TEST(HttpClientTest, ServiceErrorText) {
  EXPECT_EQ(ServiceErrorText(R"({"error":{"message":"bad\n  input"}})", {}), "bad input");
  EXPECT_EQ(ServiceErrorText(R"({"message":"ValidationException"})", {}), "ValidationException");
  EXPECT_EQ(ServiceErrorText(R"({"error":"model not found"})", {}), "model not found");
  EXPECT_EQ(ServiceErrorText("plain text k3y", {"k3y"}), "plain text ***");
  EXPECT_EQ(ServiceErrorText(std::string(50, 'a'), {}, 10), std::string(10, 'a') + "...");
}

TEST(HttpClientTest, BackoffDoublesWithJitterAndHonoursRetryAfter) {
  RetryPolicy p;  // 200 ms doubling, 10 s cap
  for (int i = 0; i < 20; ++i) {
    auto d0 = BackoffDelay(p, 0, -1).count();
    EXPECT_GE(d0, 100);
    EXPECT_LE(d0, 200);
    auto d3 = BackoffDelay(p, 3, -1).count();
    EXPECT_GE(d3, 800);
    EXPECT_LE(d3, 1600);
    auto d10 = BackoffDelay(p, 10, -1).count();
    EXPECT_GE(d10, 5000);
    EXPECT_LE(d10, 10000);
  }
  EXPECT_EQ(BackoffDelay(p, 0, 3).count(), 3000);
  EXPECT_EQ(BackoffDelay(p, 0, 7200).count(), 60000);  // capped
}

TEST(HttpClientTest, UrlPieces) {
  EXPECT_EQ(UrlOrigin("http://127.0.0.1:8080/v1/x?y=1"), "http://127.0.0.1:8080");
  EXPECT_EQ(UrlHostPort("https://bedrock-runtime.us-east-1.amazonaws.com/model/x"),
            "bedrock-runtime.us-east-1.amazonaws.com");
  EXPECT_EQ(UrlHostPort("http://localhost:11434/v1"), "localhost:11434");
  EXPECT_EQ(UrlPathAndQuery("http://h/model/a%3A0/invoke?x=1"), "/model/a%3A0/invoke?x=1");
  EXPECT_EQ(UrlPathAndQuery("http://h"), "/");
  EXPECT_EQ(UriEncode("a:b/c d~", false), "a%3Ab%2Fc%20d~");
  EXPECT_EQ(UriEncode("1_Pooling/config.json", true), "1_Pooling/config.json");
}

}  // namespace
}  // namespace smelter
