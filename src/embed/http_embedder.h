// Embeddings from HTTP services: OpenAI-compatible /v1/embeddings and
// Amazon Bedrock (Titan text embeddings, SigV4-signed), through libcurl.
// Batching, retries with exponential backoff on 429 and 5xx, timeouts.
// Keys come from environment variables and never appear in logs or errors.
// Both send one short probe request when constructed, to learn the vector
// dimension (config.dimension is ignored) and to report an unreachable
// service or a bad key before the pipeline starts.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "embed/embedder.h"

namespace smelter {

// `model_name` is what the service calls the model ("text-embedding-3-small",
// "nomic-embed-text"). config.endpoint is the base URL up to and including
// "/v1" (default https://api.openai.com/v1).
Result<std::unique_ptr<Embedder>> NewOpenAiEmbedder(const EmbedderConfig& config,
                                                    const std::string& model_name);

// `model_id` as Bedrock names it ("amazon.titan-embed-text-v2:0"). Credentials
// from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and optional
// AWS_SESSION_TOKEN; config.endpoint overrides
// https://bedrock-runtime.<region>.amazonaws.com (for tests).
Result<std::unique_ptr<Embedder>> NewBedrockEmbedder(const EmbedderConfig& config,
                                                     const std::string& model_id);

}  // namespace smelter
