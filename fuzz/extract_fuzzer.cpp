// libFuzzer harness for one extractor, chosen when it is compiled.
//
// fuzz/CMakeLists.txt builds this file once per line of fuzz/targets.txt
// with -DSMELTER_FUZZ_EXTRACTOR="<name>". The harness feeds the fuzz bytes
// to that registry entry's extractor (once per DocKind it handles, since
// e.g. csv and tsv take different paths) and renders every successful
// result as Markdown, exactly as the pipeline would. The name "detect"
// instead runs DetectType() and the ExtractDocument() entry point, so the
// detector and the routing behind it are fuzzed too.
//
// Contract checked: for any bytes, no crash, no sanitizer report, and no
// exception out of Extract() (extractors promise to return errors as
// Status; an escaping exception is a bug even though the registry would
// catch it). OCR is off so that an iteration stays in milliseconds.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "core/element.h"
#include "extract/extractor.h"
#include "extract/type_detect.h"

#ifndef SMELTER_FUZZ_EXTRACTOR
#error "compile with -DSMELTER_FUZZ_EXTRACTOR=\"<registry name>\" (see fuzz/CMakeLists.txt)"
#endif

namespace {

using namespace smelter;

constexpr std::string_view kTarget = SMELTER_FUZZ_EXTRACTOR;

// Exit code that tells run.sh "this build has no such extractor": a line
// in targets.txt may name an extractor another change has yet to register.
constexpr int kNotRegistered = 77;

const ExtractOptions& Options() {
  static const ExtractOptions options = [] {
    ExtractOptions o;
    o.ocr = "off";
    o.ocr_threads = 1;
    return o;
  }();
  return options;
}

struct Target {
  const ExtractorInfo* info = nullptr;
  std::unique_ptr<Extractor> extractor;
};

// Found once: the registry entry named kTarget and a private instance of it.
const Target& TheTarget() {
  static const Target target = [] {
    Target t;
    for (const ExtractorInfo& info : ExtractorRegistry()) {
      if (info.name == kTarget) {
        t.info = &info;
        t.extractor = info.make();
      }
    }
    return t;
  }();
  return target;
}

void Render(const Result<ExtractedDocument>& result) {
  if (!result.ok()) return;
  RenderedMarkdown markdown = RenderMarkdown(*result);
  // Keep the optimizer from dropping the work.
  if (markdown.text.size() == SIZE_MAX) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (kTarget != "detect" && !TheTarget().info) {
    std::fprintf(stderr, "fuzz: no extractor named \"%s\" in this build\n", SMELTER_FUZZ_EXTRACTOR);
    std::exit(kNotRegistered);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (kTarget == "detect") {
    DetectedType detected;
    Render(ExtractDocument(bytes, "", Options(), &detected));
    return 0;
  }
  const Target& target = TheTarget();
  for (DocKind kind : target.info->kinds) {
    ExtractInput input;
    input.bytes = bytes;
    input.filename = "fuzz." + std::string(DocKindName(kind));
    input.type.kind = kind;
    input.options = &Options();
    Render(target.extractor->Extract(input));
  }
  return 0;
}
