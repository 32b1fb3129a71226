// The HTTP embedders' factories with an explicit retry policy, so that
// tests can shrink the backoff to milliseconds. Production code uses the
// factories in http_embedder.h, which take the policy from the config.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "embed/embedder.h"
#include "embed/http_client.h"

namespace smelter {

// config.max_retries with the production delays (200 ms doubling, 10 s cap).
RetryPolicy EmbedderRetryPolicy(const EmbedderConfig& config);

Result<std::unique_ptr<Embedder>> NewOpenAiEmbedder(const EmbedderConfig& config, const std::string& model_name,
                                                    const RetryPolicy& retry);
Result<std::unique_ptr<Embedder>> NewBedrockEmbedder(const EmbedderConfig& config, const std::string& model_id,
                                                     const RetryPolicy& retry);

}  // namespace smelter
