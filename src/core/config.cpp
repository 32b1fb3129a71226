#include "core/config.h"

#include <functional>
#include <sstream>
#include <vector>

// Debian ships toml++ as a shared library built with exceptions; parse
// errors are caught right here and turned into a Status.
#include <toml++/toml.h>

#include "clean/clean_config.h"
#include "enrich/enrich_config.h"
#include "pii/pii_options.h"
#include "quality/quality_config.h"
#include "store/file_util.h"

namespace smelter {

namespace {

enum class Kind { kInt, kFloat, kBool, kString, kStringArray };

// One setting: where it lives, its default, what it means, and how to apply it.
struct Setting {
  const char* section;
  const char* key;
  Kind kind;
  const char* default_value;  // as written in TOML
  const char* help;
  std::function<Status(Config&, const toml::node&)> apply;
};

template <typename T, typename Check>
std::function<Status(Config&, const toml::node&)> Field(T Config::*section_ptr, auto member,
                                                         Check check) {
  return [section_ptr, member, check](Config& config, const toml::node& node) -> Status {
    using V = std::remove_reference_t<decltype((config.*section_ptr).*member)>;
    V value{};
    if constexpr (std::is_same_v<V, bool>) {
      auto v = node.value<bool>();
      if (!v) return Status::InvalidArgument("expected true or false");
      value = *v;
    } else if constexpr (std::is_integral_v<V>) {
      auto v = node.value<int64_t>();
      if (!v) return Status::InvalidArgument("expected an integer");
      value = static_cast<V>(*v);
    } else if constexpr (std::is_floating_point_v<V>) {
      auto v = node.value<double>();
      if (!v) return Status::InvalidArgument("expected a number");
      value = static_cast<V>(*v);
    } else {
      auto v = node.value<std::string>();
      if (!v) return Status::InvalidArgument("expected a string");
      value = *v;
    }
    std::string problem = check(value);
    if (!problem.empty()) return Status::InvalidArgument(problem);
    (config.*section_ptr).*member = value;
    return Status::OK();
  };
}

auto Positive = [](auto v) { return v > 0 ? std::string() : std::string("must be > 0"); };
auto NonNegative = [](auto v) { return v >= 0 ? std::string() : std::string("must be >= 0"); };
auto AnyValue = [](const auto&) { return std::string(); };

// An array of non-empty strings into a list of ExtractOptions.
std::function<Status(Config&, const toml::node&)> ExtractStrings(std::vector<std::string> ExtractOptions::*member) {
  return [member](Config& c, const toml::node& n) -> Status {
    const toml::array* array = n.as_array();
    if (!array) return Status::InvalidArgument("expected an array of strings");
    std::vector<std::string> values;
    for (const toml::node& item : *array) {
      auto v = item.value<std::string>();
      if (!v || !item.is_string() || v->empty()) return Status::InvalidArgument("expected an array of non-empty strings");
      values.push_back(*v);
    }
    c.extract.*member = std::move(values);
    return Status::OK();
  };
}

const std::vector<Setting>& Settings() {
  static const std::vector<Setting> kSettings = {
      {"pipeline", "workers", Kind::kInt, "0",
       "Documents processed in parallel. 0 means one worker per CPU core.",
       Field(&Config::pipeline, &PipelineConfig::workers, NonNegative)},
      {"pipeline", "strict", Kind::kBool, "false",
       "Exit with status 3 when any document is quarantined (default: exit 0 and report a "
       "warning count).",
       Field(&Config::pipeline, &PipelineConfig::strict, AnyValue)},
      {"extract", "max_file_mb", Kind::kInt, "512",
       "Files larger than this many MiB are quarantined as \"too large\" without being parsed.",
       [](Config& c, const toml::node& n) -> Status {
         auto v = n.value<int64_t>();
         if (!v || *v <= 0) return Status::InvalidArgument("expected an integer > 0");
         c.extract.max_bytes = static_cast<size_t>(*v) << 20;
         return Status::OK();
       }},
      {"extract", "archive_max_members", Kind::kInt, "10000",
       "An archive (ZIP, tar, .tar.gz) with more members than this is quarantined as \"too "
       "large\". Each member becomes a document of its own.",
       Field(&Config::extract, &ExtractOptions::archive_max_members, Positive)},
      {"extract", "archive_max_total_mb", Kind::kInt, "1024",
       "An archive whose members inflate to more than this many MiB in all is quarantined as "
       "\"too large\". Counted while inflating, whatever the headers claim.",
       [](Config& c, const toml::node& n) -> Status {
         auto v = n.value<int64_t>();
         if (!v || *v <= 0) return Status::InvalidArgument("expected an integer > 0");
         c.extract.archive_max_total_bytes = static_cast<uint64_t>(*v) << 20;
         return Status::OK();
       }},
      {"extract", "archive_max_ratio", Kind::kFloat, "100.0",
       "An archive that inflates to more than this many times its own size (past the first "
       "MiB) is an archive bomb and is quarantined as \"too large\"; reading stops there.",
       Field(&Config::extract, &ExtractOptions::archive_max_ratio, Positive)},
      {"extract", "archive_max_member_mb", Kind::kInt, "256",
       "An archive member or email attachment larger than this many MiB is skipped (listed in "
       "the parent's skipped_members) instead of becoming a document.",
       [](Config& c, const toml::node& n) -> Status {
         auto v = n.value<int64_t>();
         if (!v || *v <= 0) return Status::InvalidArgument("expected an integer > 0");
         c.extract.archive_max_member_bytes = static_cast<uint64_t>(*v) << 20;
         return Status::OK();
       }},
      {"extract", "pdf_passwords", Kind::kStringArray, "[]",
       "Passwords tried, in turn, on encrypted PDFs, e.g. [\"secret\", \"2024\"]. A PDF that none "
       "of them opens is quarantined as \"encrypted\". Files that only restrict copying or "
       "printing open without one.",
       [](Config& c, const toml::node& n) -> Status {
         const toml::array* array = n.as_array();
         if (!array) return Status::InvalidArgument("expected an array of strings");
         std::vector<std::string> passwords;
         for (const toml::node& item : *array) {
           auto v = item.value<std::string>();
           if (!v) return Status::InvalidArgument("expected an array of strings");
           passwords.push_back(*v);
         }
         c.extract.pdf_passwords = std::move(passwords);
         return Status::OK();
       }},
      {"extract", "ocr", Kind::kString, "\"auto\"",
       "When scanned pages and images are read by OCR (Tesseract). \"auto\": image files, and PDF "
       "pages whose text layer has fewer than ocr_min_page_chars characters. \"always\": every "
       "PDF page is OCR'd, its text layer ignored. \"off\": no OCR; images are quarantined as "
       "\"unsupported type\" and scanned PDFs as \"empty\".",
       Field(&Config::extract, &ExtractOptions::ocr, [](const std::string& v) {
         return v == "auto" || v == "off" || v == "always" ? std::string()
                                                           : std::string("must be \"auto\", \"off\" or \"always\"");
       })},
      {"extract", "ocr_languages", Kind::kString, "\"eng\"",
       "Tesseract languages to recognise, joined by '+', e.g. \"eng+deu\". Each needs its data "
       "package (apt-get install tesseract-ocr-deu); more languages make OCR slower.",
       Field(&Config::extract, &ExtractOptions::ocr_languages, [](const std::string& v) {
         bool ok = !v.empty() && v.front() != '+' && v.back() != '+' && v.find("++") == std::string::npos;
         for (char ch : v) {
           ok = ok && ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                       ch == '_' || ch == '-' || ch == '+');
         }
         return ok ? std::string() : std::string("expected language codes joined by '+', e.g. \"eng+deu\"");
       })},
      {"extract", "ocr_dpi", Kind::kInt, "300",
       "Resolution PDF pages are rendered at for OCR. 300 suits ordinary print; 200 is about "
       "twice as fast but misses small type; above 400 rarely helps.",
       Field(&Config::extract, &ExtractOptions::ocr_dpi,
             [](int v) { return v >= 72 && v <= 600 ? std::string() : std::string("must be 72..600"); })},
      {"extract", "ocr_min_page_chars", Kind::kInt, "32",
       "With ocr = \"auto\", a PDF page whose text layer has fewer characters than this is "
       "treated as scanned and OCR'd. 0 OCRs only pages with no text at all.",
       Field(&Config::extract, &ExtractOptions::ocr_min_page_chars, NonNegative)},
      {"extract", "ocr_threads", Kind::kInt, "0",
       "Pages OCR'd at the same time, across all workers and worker processes (each page uses "
       "one core). 0 means one per CPU core.",
       Field(&Config::extract, &ExtractOptions::ocr_threads, NonNegative)},
      {"extract", "isolation", Kind::kString, "\"process\"",
       "\"process\": every document is extracted in a separate worker process, so a parser "
       "that crashes, hangs or balloons costs only that document (quarantined as \"parser "
       "crashed\", \"timeout\" or \"memory limit\"). \"none\": in-process, slightly faster, "
       "for trusted input only.",
       Field(&Config::sandbox, &SandboxConfig::isolation, [](const std::string& v) {
         return v == "process" || v == "none" ? std::string()
                                              : std::string("must be \"process\" or \"none\"");
       })},
      {"extract", "timeout_seconds", Kind::kInt, "120",
       "Wall-clock limit for extracting one document (OCR included); over it, the document is "
       "quarantined as \"timeout\". Needs isolation = \"process\".",
       Field(&Config::sandbox, &SandboxConfig::timeout_seconds, Positive)},
      {"extract", "memory_limit_mb", Kind::kInt, "2048",
       "Resident memory limit of an extraction worker, in MiB; a document that takes more is "
       "quarantined as \"memory limit\". Needs isolation = \"process\".",
       Field(&Config::sandbox, &SandboxConfig::memory_limit_mb, Positive)},
      {"extract", "max_depth", Kind::kInt, "5",
       "How deep documents inside documents are followed (an attachment is depth 1, a file in a "
       "ZIP attached to it depth 2). Deeper ones are quarantined as \"too deeply nested\".",
       Field(&Config::sandbox, &SandboxConfig::max_depth, Positive)},
      {"extract", "csv_records_above_rows", Kind::kInt, "30",
       "A CSV/TSV file with up to this many data rows is read as tables (header repeated every "
       "200 rows). Above it, every row is a record of its own, one line \"Row 7. Name: Ada; City: "
       "London\": a long table is split across chunks without its header, so its rows would lose "
       "their column names. 0: always records.",
       [](Config& c, const toml::node& n) -> Status {
         // Read as a signed number first: -1 must not wrap to "never".
         auto v = n.value<int64_t>();
         if (!v || *v < 0) return Status::InvalidArgument("expected an integer >= 0");
         c.extract.csv_records_above_rows = static_cast<size_t>(*v);
         return Status::OK();
       }},
      {"extract", "json_text_fields", Kind::kStringArray, "[]",
       "JSON/JSONL record fields that are the text, e.g. [\"title\", \"body\"]: when set, only "
       "they are read (each a paragraph) and other fields are left out. Names are dotted paths "
       "without array positions (\"address.city\", \"items.name\"); a name covers the fields "
       "under it. Empty: every field is text (short ones as \"key: value\", prose as paragraphs).",
       ExtractStrings(&ExtractOptions::json_text_fields)},
      {"extract", "json_metadata_fields", Kind::kStringArray, "[]",
       "JSON/JSONL record fields that are metadata, not text, e.g. [\"author\", \"created\", "
       "\"id\"]: they go into the document's metadata under their name (for several records, "
       "each distinct value once, joined with \", \"), where enrichment reads author, dates and "
       "title. They win over json_text_fields.",
       ExtractStrings(&ExtractOptions::json_metadata_fields)},
      {"chunk", "max_tokens", Kind::kInt, "512",
       "Size budget of one chunk, in tokens (words and punctuation; long words count one "
       "token per ~4 characters, like subword tokenizers).",
       Field(&Config::chunk, &ChunkOptions::max_size, Positive)},
      {"chunk", "overlap_tokens", Kind::kInt, "64",
       "Tokens repeated from the end of one chunk at the start of the next, so that a "
       "sentence cut by a boundary is still found whole. Must be below max_tokens.",
       Field(&Config::chunk, &ChunkOptions::overlap, NonNegative)},
      {"embed", "model", Kind::kString, "\"builtin\"",
       "Embedding model: \"builtin\" (feature hashing, no model files), \"hf:ORG/NAME\" (a "
       "sentence-transformer pulled with `smelter model pull`), \"local:DIR\", \"openai:MODEL\" "
       "(any OpenAI-compatible service at `endpoint`) or \"bedrock:MODEL_ID\". Changing it "
       "re-embeds everything on the next run.",
       Field(&Config::embed, &EmbedderConfig::model, AnyValue)},
      {"embed", "dimension", Kind::kInt, "1024",
       "Vector dimension of the built-in embedder. Changing it re-embeds everything.",
       Field(&Config::embed, &EmbedderConfig::dimension, Positive)},
      {"embed", "model_cache_dir", Kind::kString, "\"\"",
       "Where `smelter model pull` keeps models. Empty: $SMELTER_MODEL_CACHE, else "
       "~/.cache/smelter/models.",
       Field(&Config::embed, &EmbedderConfig::model_cache_dir, AnyValue)},
      {"embed", "endpoint", Kind::kString, "\"\"",
       "Base URL of an embedding service, up to and including /v1 for OpenAI-compatible ones "
       "(e.g. \"http://localhost:11434/v1\" for Ollama). Empty: the service's default.",
       Field(&Config::embed, &EmbedderConfig::endpoint, AnyValue)},
      {"embed", "api_key_env", Kind::kString, "\"OPENAI_API_KEY\"",
       "Environment variable that holds the service's API key (the key itself never goes in "
       "this file).",
       Field(&Config::embed, &EmbedderConfig::api_key_env, AnyValue)},
      {"embed", "region", Kind::kString, "\"us-east-1\"", "AWS region for bedrock: models.",
       Field(&Config::embed, &EmbedderConfig::region, AnyValue)},
      {"embed", "batch_size", Kind::kInt, "32", "Texts per request or per forward pass.",
       Field(&Config::embed, &EmbedderConfig::batch_size, Positive)},
      {"embed", "timeout_s", Kind::kInt, "60", "Time limit of one request to an embedding service.",
       Field(&Config::embed, &EmbedderConfig::timeout_s, Positive)},
      {"embed", "max_retries", Kind::kInt, "5",
       "Retries of a request that failed with 429, 5xx or a connection error (exponential "
       "backoff).",
       Field(&Config::embed, &EmbedderConfig::max_retries, NonNegative)},
      {"embed", "max_tokens", Kind::kInt, "0",
       "Longest input of an in-process transformer, in its tokens; longer ones are truncated "
       "and counted. 0: the model's own maximum.",
       Field(&Config::embed, &EmbedderConfig::max_tokens, NonNegative)},
      {"embed", "threads", Kind::kInt, "0", "Threads of the in-process transformer. 0: one per core.",
       Field(&Config::embed, &EmbedderConfig::threads, NonNegative)},
      {"embed", "cache", Kind::kBool, "true",
       "Keep every vector keyed by (model, text hash) in gold/embeddings.db, so unchanged text "
       "is never embedded twice.",
       Field(&Config::embed, &EmbedderConfig::cache, AnyValue)},
      {"index", "hnsw_m", Kind::kInt, "16",
       "HNSW graph degree: higher is more accurate and uses more memory.",
       Field(&Config::hnsw, &VectorIndexOptions::m, Positive)},
      {"index", "hnsw_ef_construction", Kind::kInt, "200",
       "HNSW build-time search width: higher builds a better graph, more slowly.",
       Field(&Config::hnsw, &VectorIndexOptions::ef_construction, Positive)},
      {"index", "hnsw_ef_search", Kind::kInt, "64",
       "HNSW query-time search width: higher is more accurate, more slowly.",
       Field(&Config::hnsw, &VectorIndexOptions::ef_search, Positive)},
      {"search", "fusion", Kind::kString, "\"weighted\"",
       "How keyword and vector rankings combine. \"weighted\": weight x score, keyword scores "
       "divided by the best one and cosine similarities as they are, so a weak vector match "
       "moves the ranking little. \"rrf\": reciprocal-rank fusion, weight / (rrf_k + rank).",
       [](Config& c, const toml::node& n) -> Status {
         auto v = n.value<std::string>();
         if (!v || (*v != "weighted" && *v != "rrf"))
           return Status::InvalidArgument("expected \"weighted\" or \"rrf\"");
         c.search.fusion = *v;
         return Status::OK();
       }},
      {"search", "rrf_k", Kind::kInt, "60",
       "Reciprocal-rank-fusion constant (fusion = \"rrf\"): score = sum of weight / (rrf_k + rank).",
       Field(&Config::search, &SearchConfig::rrf_k, Positive)},
      {"search", "keyword_weight", Kind::kFloat, "1.0",
       "Weight of the BM25 keyword ranking in hybrid search.",
       Field(&Config::search, &SearchConfig::keyword_weight, NonNegative)},
      {"search", "vector_weight", Kind::kFloat, "1.0",
       "Weight of the vector ranking in hybrid search.",
       Field(&Config::search, &SearchConfig::vector_weight, NonNegative)},
      {"search", "candidates", Kind::kInt, "100",
       "Hits taken from each index before fusion.",
       Field(&Config::search, &SearchConfig::candidates, Positive)},
  };
  return kSettings;
}

const Setting* FindSetting(std::string_view section, std::string_view key) {
  for (const Setting& s : Settings())
    if (section == s.section && key == s.key) return &s;
  return nullptr;
}

}  // namespace

namespace {

// The silver sections, parsed by their own modules. NotFound: not one of
// them (the settings table handles it).
Status ApplySilverSection(const std::string& name, const toml::table& section, SilverConfig& silver) {
  if (name == "clean") {
    Result<CleanOptions> clean = ParseCleanOptions(section);
    if (!clean.ok()) return Status::InvalidArgument(clean.status().message());
    silver.clean = *clean;
    return Status::OK();
  }
  if (name == "quality") {
    Result<std::vector<QualityRule>> rules = ParseQualityRules(section);
    if (!rules.ok()) return Status::InvalidArgument(rules.status().message());
    silver.quality = *rules;
    return Status::OK();
  }
  if (name == "enrich") {
    Result<EnrichOptions> enrich = ParseEnrichOptions(section);
    if (!enrich.ok()) return Status::InvalidArgument(enrich.status().message());
    silver.enrich = *enrich;
    return Status::OK();
  }
  if (name == "pii") {
    for (const auto& [key, node] : section) {
      std::string k(key.str());
      if (k == "enabled") {
        auto v = node.value<bool>();
        if (!v) return Status::InvalidArgument("pii.enabled: expected true or false");
        silver.pii_enabled = *v;
        continue;
      }
      auto v = node.value<std::string>();
      if (!v) return Status::InvalidArgument("pii." + k + ": expected a string");
      SMELTER_RETURN_IF_ERROR(ApplyPiiSetting(k, *v, &silver.pii));
    }
    return Status::OK();
  }
  if (name == "dedup") {
    for (const auto& [key, node] : section) {
      std::string k(key.str());
      if (k == "enabled") {
        auto v = node.value<bool>();
        if (!v) return Status::InvalidArgument("dedup." + k + ": expected true or false");
        silver.dedup_enabled = *v;
      } else if (k == "threshold") {
        auto v = node.value<double>();
        if (!v || *v <= 0 || *v >= 1) return Status::InvalidArgument("dedup.threshold: expected a number between 0 and 1");
        silver.dedup.threshold = *v;
      } else if (k == "shingle" || k == "permutations") {
        auto v = node.value<int64_t>();
        if (!v || *v <= 0 || *v > 1024) return Status::InvalidArgument("dedup." + k + ": expected an integer between 1 and 1024");
        if (k == "shingle") silver.dedup.minhash.shingle = static_cast<int>(*v);
        else silver.dedup.minhash.permutations = static_cast<int>(*v);
      } else if (k == "policy") {
        auto v = node.value<std::string>();
        if (!v) return Status::InvalidArgument("dedup.policy: expected a string");
        Result<dedup::CanonicalPolicy> policy = dedup::ParseCanonicalPolicy(*v);
        if (!policy.ok()) return Status::InvalidArgument("dedup.policy: " + policy.status().message());
        silver.dedup.policy = *policy;
      } else if (k == "paragraphs") {
        // is_boolean: toml++ would read 1 as true.
        auto v = node.value<bool>();
        if (!v || !node.is_boolean()) return Status::InvalidArgument("dedup.paragraphs: expected true or false");
        silver.paragraphs.enabled = *v;
      } else if (k == "paragraph_min_docs" || k == "paragraph_min_words") {
        auto v = node.value<int64_t>();
        if (!v || !node.is_integer() || *v < 1 || *v > 1000000)
          return Status::InvalidArgument("dedup." + k + ": expected an integer between 1 and 1000000");
        if (k == "paragraph_min_docs") silver.paragraphs.min_docs = static_cast<int>(*v);
        else silver.paragraphs.min_words = static_cast<int>(*v);
      } else if (k == "path_priority") {
        const toml::table* rules = node.as_table();
        if (!rules) return Status::InvalidArgument("dedup.path_priority: expected a table of \"glob\" = priority");
        silver.dedup_priorities.clear();
        for (const auto& [pattern, value] : *rules) {
          auto v = value.value<int64_t>();
          if (!v || !value.is_integer())
            return Status::InvalidArgument("dedup.path_priority.\"" + std::string(pattern.str()) +
                                           "\": expected an integer priority");
          silver.dedup_priorities.push_back({std::string(pattern.str()), *v});
        }
      } else {
        return Status::InvalidArgument("unknown setting dedup." + k + "; see `smelter config --reference`");
      }
    }
    return Status::OK();
  }
  return Status::NotFound(name);
}

// The silver sections, documented once for the default file (as comments)
// and the reference page.
constexpr const char* kSilverSections = R"toml(
[clean]
# Applied to every extracted text before anything else.
# repair_mojibake = true          # "Ã©" -> "é" where the damage is certain
# remove_control_chars = true
# nfkc = true                     # Unicode compatibility normalization
# normalize_whitespace = true
# join_hyphenation = true         # "infor-" + "mation" at a line end -> "information"
# remove_repeated_lines = true    # running headers/footers repeated across pages
# repeated_line_min_pages = 3
# repeated_line_min_page_fraction = 0.5
# boilerplate_max_line_chars = 200

[pii]
# Found with one Hyperscan pass, confirmed by validators (Luhn, mod-97,
# libphonenumber, SSN ranges, ...), redacted before silver and gold.
# enabled = true
# policy = "tag"                  # tag ([EMAIL]) | mask | hash (salted pseudonym) | keep
# policy_email = "hash"           # per type: email phone ssn card iban ip credential dob name
# types = "all"                   # or a comma-separated list of the types above
# phone_region = "US"             # region of numbers written without +CC
# salt_env = "SMELTER_PII_SALT"   # environment variable with the salt (needed by "hash")

[quality]
# Rules, each a number/list (action "reject": quarantined with every failed
# rule and its measured value) or { limit = ..., action = "warn" } (recorded).
# No rules by default. `smelter quality` reports them.
# min_chars = 50
# min_words = 20
# max_chars = 5000000
# max_non_alpha_ratio = { limit = 0.6, action = "warn" }
# max_repeated_line_ratio = 0.5
# languages = ["en", "de"]        # identified per document with cld2
# min_ocr_confidence = 60
# required_metadata = { values = ["author"], action = "warn" }

[dedup]
# Exact (hash of normalized text) and near duplicates (MinHash + LSH over
# word shingles) across the whole lake; one canonical document per cluster
# reaches gold. `smelter dedup` lists the clusters.
# enabled = true
# threshold = 0.8                 # estimated share of words in common
# shingle = 3                     # words per shingle
# permutations = 128
# policy = "newest"               # newest (source mtime) | longest | priority
# Repeated paragraphs (disclaimers, signatures): when on, a paragraph that
# paragraph_min_docs other gold documents already keep is left out of this
# document's chunks (silver keeps the whole text). Counted per document in
# the catalog (`smelter show`); turning it off restores them on the next run.
# paragraphs = false
# paragraph_min_docs = 1          # 1: every copy after the first is dropped
# paragraph_min_words = 8         # shorter paragraphs ("Thanks,") are never dropped
# [dedup.path_priority]           # policy = "priority": glob over source paths -> priority
# "**/published/**" = 10          # example; the highest matching value wins, else 0
# "**/drafts/**" = -10            # example
# (A document's priority is taken when it is first deduplicated; a changed
# rule decides among documents that arrive afterwards.)

[enrich]
# Metadata for every chunk; `smelter search --filter key<=value` uses it.
# default_security_level = "public"   # public < internal < confidential < restricted
# [enrich.path_tags]
# "finance/**" = ["finance"]
# [enrich.path_security]
# "hr/**" = "confidential"
# [enrich.markers]                # content markers (replace the defaults)
# "CONFIDENTIAL" = "confidential"
# [enrich.pii_security]           # PII found raises the level (replace the defaults)
# ssn = "confidential"
)toml";

}  // namespace

Result<Config> ParseConfig(const std::string& toml_text, const std::string& origin) {
  toml::table parsed;
  try {
    parsed = toml::parse(toml_text, origin);
  } catch (const toml::parse_error& err) {
    std::ostringstream msg;
    msg << origin << ":" << err.source().begin.line << ": " << err.description();
    return Status::InvalidArgument(msg.str());
  }
  Config config;
  for (const auto& [section_key, section_node] : parsed) {
    const toml::table* section = section_node.as_table();
    std::string section_name(section_key.str());
    if (!section) {
      return Status::InvalidArgument(origin + ": \"" + section_name +
                                     "\" must be a [section]; see `smelter config --reference`");
    }
    Status silver = ApplySilverSection(section_name, *section, config.silver);
    if (silver.code() == Status::Code::kOk) continue;
    if (silver.code() != Status::Code::kNotFound)
      return Status::InvalidArgument(origin + ": " + silver.message());
    for (const auto& [key, node] : *section) {
      std::string key_name(key.str());
      const Setting* setting = FindSetting(section_name, key_name);
      if (!setting) {
        return Status::InvalidArgument(origin + ": unknown setting " + section_name + "." +
                                       key_name + "; see `smelter config --reference`");
      }
      Status st = setting->apply(config, node);
      if (!st.ok()) {
        return Status::InvalidArgument(origin + ": " + section_name + "." + key_name + ": " +
                                       st.message());
      }
    }
  }
  if (config.chunk.overlap >= config.chunk.max_size) {
    return Status::InvalidArgument(origin + ": chunk.overlap_tokens must be below chunk.max_tokens");
  }
  return config;
}

Result<Config> LoadConfigFile(const std::string& path) {
  Result<std::string> text = ReadFile(path);
  if (!text.ok()) return text.status();
  return ParseConfig(*text, path);
}

namespace {
void AppendWrapped(std::string& out, const std::string& prefix, const std::string& text) {
  std::istringstream words(text);
  std::string word, line;
  while (words >> word) {
    if (!line.empty() && line.size() + 1 + word.size() > 76) {
      out += prefix + line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  if (!line.empty()) out += prefix + line + "\n";
}
}  // namespace

std::string DefaultConfigText() {
  std::string out =
      "# Smelter pipeline configuration.\n"
      "# Every setting is shown with its default value. Uncomment and edit to change it.\n"
      "# Reference: `smelter config --reference`.\n";
  std::string current;
  for (const Setting& s : Settings()) {
    if (current != s.section) {
      current = s.section;
      out += "\n[" + current + "]\n";
    }
    out += "\n";
    AppendWrapped(out, "# ", s.help);
    out += std::string("# ") + s.key + " = " + s.default_value + "\n";
  }
  out += kSilverSections;
  return out;
}

std::string ConfigReferenceMarkdown() {
  std::string out =
      "# Configuration reference\n\n"
      "Settings live in `smelter.toml` at the root of the lake (`smelter init` writes it,\n"
      "every setting commented out at its default). Unknown keys are errors.\n"
      "This page is generated by `smelter config --reference`.\n";
  std::string current;
  for (const Setting& s : Settings()) {
    if (current != s.section) {
      current = s.section;
      out += "\n## [" + current + "]\n\n| key | default | meaning |\n| --- | --- | --- |\n";
    }
    out += std::string("| `") + s.key + "` | `" + s.default_value + "` | " + s.help + " |\n";
  }
  out += "\n## Silver stages: [clean], [pii], [quality], [dedup], [enrich]\n\n"
         "These sections hold lists and tables, so they are shown as an annotated example "
         "(every value is the default unless marked as an example):\n\n```toml";
  out += kSilverSections;
  out += "```\n";
  return out;
}

}  // namespace smelter
