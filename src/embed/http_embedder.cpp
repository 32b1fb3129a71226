// Embedders backed by HTTP services. Both probe the service once at
// construction (one short input) to learn the vector dimension: the
// Embedder interface needs it before the first real call, services do not
// advertise it, and a misconfigured endpoint or key is better reported when
// the pipeline starts than after it has extracted a thousand documents.
#include "embed/http_embedder.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "embed/http_client.h"
#include "embed/http_embedder_internal.h"
#include "embed/sigv4.h"

namespace smelter {

namespace {

using nlohmann::json;

constexpr const char* kProbeText = "hello";

std::string StripTrailingSlashes(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

// JSON text of `j`; invalid UTF-8 in a document's text is replaced rather
// than thrown over.
std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// Services reject empty inputs; a blank embeds as (near) nothing.
std::string_view NonEmpty(std::string_view text) { return text.empty() ? std::string_view(" ") : text; }

void Normalize(std::vector<float>* v) {
  double sum = 0;
  for (float x : *v) sum += static_cast<double>(x) * x;
  if (sum <= 0) return;  // nothing to scale; a zero vector stays zero
  const float inv = static_cast<float>(1.0 / std::sqrt(sum));
  for (float& x : *v) x *= inv;
}

// A JSON array of numbers as floats; false when it is anything else.
bool ToFloats(const json& j, std::vector<float>* out) {
  if (!j.is_array() || j.empty()) return false;
  out->clear();
  out->reserve(j.size());
  for (const json& x : j) {
    if (!x.is_number()) return false;
    out->push_back(x.get<float>());
  }
  return true;
}

// The Status for a response the service refused, once retries are spent.
Status HttpError(const std::string& service, const HttpResponse& r, const std::vector<std::string>& secrets,
                 const std::string& hint, int retries) {
  std::string msg = service + " answered HTTP " + std::to_string(r.status);
  std::string text = ServiceErrorText(r.body, secrets);
  if (!text.empty()) msg += ": " + text;
  if (!hint.empty()) msg += " (" + hint + ")";
  if (IsRetryableStatus(r.status) && retries > 0) msg += " [after " + std::to_string(retries) + " retries]";
  if (r.status == 429 || r.status >= 500) return Status::IOError(msg);
  if (r.status == 404) return Status::NotFound(msg);
  if (r.status == 413) return Status::TooLarge(msg);
  return Status::InvalidArgument(msg);
}

Status BadAnswer(const std::string& service, const std::string& what) {
  return Status::IOError(service + " sent an answer Smelter cannot use: " + what);
}

// ---------------------------------------------------------------------------
// OpenAI-compatible /embeddings.

class OpenAiEmbedder : public Embedder {
 public:
  OpenAiEmbedder(const EmbedderConfig& config, std::string model, std::string api_key, RetryPolicy retry)
      : endpoint_(StripTrailingSlashes(config.endpoint.empty() ? "https://api.openai.com/v1" : config.endpoint)),
        url_(endpoint_ + "/embeddings"),
        model_(std::move(model)),
        api_key_env_(config.api_key_env),
        api_key_(std::move(api_key)),
        batch_size_(std::max(1, config.batch_size)),
        timeout_s_(config.timeout_s > 0 ? config.timeout_s : 60),
        retry_(retry),
        service_("embedding service at " + UrlOrigin(endpoint_)),
        model_id_("openai:" + model_ + "@" + UrlHostPort(endpoint_)) {}

  // Learns the dimension; the error says what is wrong with the setup.
  Status Probe() {
    RetryPolicy probe = retry_;
    probe.retry_unreachable = false;
    Result<std::vector<std::vector<float>>> v = EmbedBatch({kProbeText}, probe);
    if (!v.ok()) return v.status();
    dimension_ = static_cast<int>(v->front().size());
    return Status::OK();
  }

  std::string model_id() const override { return model_id_; }
  int dimension() const override { return dimension_; }

  Status Embed(const std::vector<std::string_view>& texts, std::vector<std::vector<float>>* out) const override {
    std::vector<std::vector<float>> all;
    all.reserve(texts.size());
    for (size_t begin = 0; begin < texts.size(); begin += static_cast<size_t>(batch_size_)) {
      size_t end = std::min(texts.size(), begin + static_cast<size_t>(batch_size_));
      Result<std::vector<std::vector<float>>> batch =
          EmbedBatch({texts.begin() + static_cast<std::ptrdiff_t>(begin), texts.begin() + static_cast<std::ptrdiff_t>(end)},
                     retry_);
      if (!batch.ok()) return batch.status();
      for (auto& v : *batch) {
        if (static_cast<int>(v.size()) != dimension_) {
          return BadAnswer(service_, "a vector of dimension " + std::to_string(v.size()) + " where " +
                                         std::to_string(dimension_) + " was expected");
        }
        all.push_back(std::move(v));
      }
    }
    for (auto& v : all) out->push_back(std::move(v));
    return Status::OK();
  }

 private:
  std::vector<std::string> Secrets() const { return {api_key_}; }

  Result<std::vector<std::vector<float>>> EmbedBatch(const std::vector<std::string_view>& texts,
                                                     const RetryPolicy& retry) const {
    json input = json::array();
    for (std::string_view t : texts) input.push_back(std::string(NonEmpty(t)));
    const std::string body = Dump(json{{"model", model_}, {"input", std::move(input)}});
    auto make_request = [&] {
      HttpRequest req;
      req.method = "POST";
      req.url = url_;
      req.body = body;
      req.timeout_s = timeout_s_;
      req.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
      if (!api_key_.empty()) req.headers.emplace_back("Authorization", "Bearer " + api_key_);
      return req;
    };
    Result<HttpResponse> r = SendHttpWithRetries(make_request, retry, Secrets());
    if (!r.ok()) return r.status();
    if (r->status < 200 || r->status >= 300) {
      std::string hint;
      if (r->status == 401 || r->status == 403) {
        hint = api_key_.empty() ? "no API key sent: set " + api_key_env_
                                : "check the key in " + api_key_env_;
      } else if (r->status == 404) {
        hint = "check embed.endpoint (the base URL, usually ending in /v1) and the model name \"" + model_ + "\"";
      }
      return HttpError(service_, *r, Secrets(), hint, retry.max_retries);
    }
    return ParseAnswer(r->body, texts.size());
  }

  // {"data":[{"index":0,"embedding":[...]}, ...]}, ordered by index.
  Result<std::vector<std::vector<float>>> ParseAnswer(const std::string& body, size_t expected) const {
    json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object() || !j.contains("data") || !j["data"].is_array()) {
      return BadAnswer(service_, "no \"data\" array");
    }
    const json& data = j["data"];
    if (data.size() != expected) {
      return BadAnswer(service_, std::to_string(data.size()) + " vectors for " + std::to_string(expected) + " inputs");
    }
    std::vector<std::vector<float>> vectors(expected);
    std::vector<bool> seen(expected, false);
    for (size_t pos = 0; pos < data.size(); ++pos) {
      const json& item = data[pos];
      if (!item.is_object()) return BadAnswer(service_, "a \"data\" entry that is not an object");
      size_t index = pos;
      if (auto it = item.find("index"); it != item.end()) {
        if (!it->is_number_unsigned() || it->get<uint64_t>() >= expected) {
          return BadAnswer(service_, "an index out of range");
        }
        index = static_cast<size_t>(it->get<uint64_t>());
      }
      if (seen[index]) return BadAnswer(service_, "index " + std::to_string(index) + " twice");
      seen[index] = true;
      auto emb = item.find("embedding");
      if (emb == item.end() || !ToFloats(*emb, &vectors[index])) {
        return BadAnswer(service_, "an \"embedding\" that is not an array of numbers");
      }
      Normalize(&vectors[index]);
    }
    for (size_t i = 1; i < vectors.size(); ++i) {
      if (vectors[i].size() != vectors[0].size()) return BadAnswer(service_, "vectors of different dimensions in one answer");
    }
    return vectors;
  }

  const std::string endpoint_;
  const std::string url_;
  const std::string model_;
  const std::string api_key_env_;
  const std::string api_key_;
  const int batch_size_;
  const int timeout_s_;
  const RetryPolicy retry_;
  const std::string service_;
  const std::string model_id_;
  int dimension_ = 0;  // set by Probe, then constant
};

// ---------------------------------------------------------------------------
// Amazon Bedrock, Titan text embeddings: one text per InvokeModel call.

class BedrockEmbedder : public Embedder {
 public:
  BedrockEmbedder(const EmbedderConfig& config, std::string model, AwsCredentials credentials, RetryPolicy retry)
      : region_(config.region.empty() ? "us-east-1" : config.region),
        endpoint_(StripTrailingSlashes(config.endpoint.empty()
                                           ? "https://bedrock-runtime." + region_ + ".amazonaws.com"
                                           : config.endpoint)),
        model_(std::move(model)),
        // A model id holds ':' ("amazon.titan-embed-text-v2:0"): encoded
        // here once, and once more by the signer's canonical URI.
        url_(endpoint_ + "/model/" + UriEncode(model_, false) + "/invoke"),
        host_(UrlHostPort(url_)),
        path_(UrlPathAndQuery(url_)),
        credentials_(std::move(credentials)),
        timeout_s_(config.timeout_s > 0 ? config.timeout_s : 60),
        retry_(retry),
        service_("Bedrock at " + UrlOrigin(endpoint_)),
        model_id_("bedrock:" + model_) {}

  Status Probe() {
    RetryPolicy probe = retry_;
    probe.retry_unreachable = false;
    Result<std::vector<float>> v = EmbedOne(kProbeText, probe);
    if (!v.ok()) return v.status();
    dimension_ = static_cast<int>(v->size());
    return Status::OK();
  }

  std::string model_id() const override { return model_id_; }
  int dimension() const override { return dimension_; }

  Status Embed(const std::vector<std::string_view>& texts, std::vector<std::vector<float>>* out) const override {
    std::vector<std::vector<float>> all;
    all.reserve(texts.size());
    for (std::string_view text : texts) {
      Result<std::vector<float>> v = EmbedOne(text, retry_);
      if (!v.ok()) return v.status();
      if (static_cast<int>(v->size()) != dimension_) {
        return BadAnswer(service_, "a vector of dimension " + std::to_string(v->size()) + " where " +
                                       std::to_string(dimension_) + " was expected");
      }
      all.push_back(std::move(*v));
    }
    for (auto& v : all) out->push_back(std::move(v));
    return Status::OK();
  }

 private:
  std::vector<std::string> Secrets() const {
    return {credentials_.secret_access_key, credentials_.session_token, credentials_.access_key_id};
  }

  Result<std::vector<float>> EmbedOne(std::string_view text, const RetryPolicy& retry) const {
    const std::string body = Dump(json{{"inputText", std::string(NonEmpty(text))}});
    // Re-signed on every attempt: a signature is only good for minutes.
    auto make_request = [&] {
      SigV4Request sig;
      sig.method = "POST";
      size_t q = path_.find('?');
      sig.path = path_.substr(0, q);
      sig.query = q == std::string::npos ? "" : path_.substr(q + 1);
      sig.headers = {{"Host", host_}, {"Content-Type", "application/json"}, {"Accept", "application/json"}};
      sig.payload = body;
      SignSigV4(credentials_, region_, "bedrock", AmzDateNow(), &sig);
      HttpRequest req;
      req.method = "POST";
      req.url = url_;
      req.body = body;
      req.timeout_s = timeout_s_;
      req.headers = std::move(sig.headers);  // Host among them, exactly as signed
      return req;
    };
    Result<HttpResponse> r = SendHttpWithRetries(make_request, retry, Secrets());
    if (!r.ok()) return r.status();
    if (r->status < 200 || r->status >= 300) {
      // "ValidationException:http://internal.amazon.com/coral/..." -> the name.
      std::string type = r->Header("x-amzn-errortype");
      type = type.substr(0, type.find(':'));
      std::string hint;
      if (r->status == 403) {
        hint = "check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN and access to " + model_ + " in " +
               region_;
      } else if (r->status == 404) {
        hint = "check the model id \"" + model_ + "\" and embed.region";
      }
      if (!type.empty()) hint = type + (hint.empty() ? "" : "; " + hint);
      return HttpError(service_, *r, Secrets(), hint, retry.max_retries);
    }
    json j = json::parse(r->body, nullptr, /*allow_exceptions=*/false);
    std::vector<float> v;
    if (!j.is_object() || !j.contains("embedding") || !ToFloats(j["embedding"], &v)) {
      return BadAnswer(service_, "no \"embedding\" array of numbers");
    }
    Normalize(&v);
    return v;
  }

  const std::string region_;
  const std::string endpoint_;
  const std::string model_;
  const std::string url_;
  const std::string host_;
  const std::string path_;
  const AwsCredentials credentials_;
  const int timeout_s_;
  const RetryPolicy retry_;
  const std::string service_;
  const std::string model_id_;
  int dimension_ = 0;  // set by Probe, then constant
};

}  // namespace

RetryPolicy EmbedderRetryPolicy(const EmbedderConfig& config) {
  RetryPolicy p;
  p.max_retries = std::max(0, config.max_retries);
  return p;
}

Result<std::unique_ptr<Embedder>> NewOpenAiEmbedder(const EmbedderConfig& config, const std::string& model_name,
                                                    const RetryPolicy& retry) {
  if (model_name.empty()) return Status::InvalidArgument("embed.model \"openai:\" needs a model name, e.g. openai:text-embedding-3-small");
  // The key is optional: local servers (Ollama, vLLM, TEI) take none.
  std::string key;
  if (!config.api_key_env.empty()) {
    if (const char* v = std::getenv(config.api_key_env.c_str()); v) key = v;
  }
  auto e = std::make_unique<OpenAiEmbedder>(config, model_name, std::move(key), retry);
  SMELTER_RETURN_IF_ERROR(e->Probe());
  return std::unique_ptr<Embedder>(std::move(e));
}

Result<std::unique_ptr<Embedder>> NewBedrockEmbedder(const EmbedderConfig& config, const std::string& model_id,
                                                     const RetryPolicy& retry) {
  if (model_id.empty()) return Status::InvalidArgument("embed.model \"bedrock:\" needs a model id, e.g. bedrock:amazon.titan-embed-text-v2:0");
  Result<AwsCredentials> credentials = AwsCredentials::FromEnvironment();
  if (!credentials.ok()) return credentials.status();
  auto e = std::make_unique<BedrockEmbedder>(config, model_id, std::move(*credentials), retry);
  SMELTER_RETURN_IF_ERROR(e->Probe());
  return std::unique_ptr<Embedder>(std::move(e));
}

Result<std::unique_ptr<Embedder>> NewOpenAiEmbedder(const EmbedderConfig& config, const std::string& model_name) {
  return NewOpenAiEmbedder(config, model_name, EmbedderRetryPolicy(config));
}

Result<std::unique_ptr<Embedder>> NewBedrockEmbedder(const EmbedderConfig& config, const std::string& model_id) {
  return NewBedrockEmbedder(config, model_id, EmbedderRetryPolicy(config));
}

}  // namespace smelter
