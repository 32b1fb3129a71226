// OCR with the Tesseract C++ API; PDF pages rendered by poppler-cpp, image
// files decoded by leptonica. See ocr.h for the contract.
//
// Threads: every recognition runs single-threaded inside Tesseract and
// holds one of `ocr_threads` slots shared by every process of this user (see
// OcrSlots), so the pages of all documents being OCR'd at once -- in worker
// threads or in extraction worker processes -- never use more cores.
// Engines (a TessBaseAPI with its language models loaded, ~0.1 s to set up)
// are pooled per language string and reused by whichever thread takes one;
// an engine is used by one thread at a time, as Tesseract requires.
#include "extract/ocr.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <leptonica/allheaders.h>
#include <poppler-document.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>
#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace smelter {
namespace {

// A page or image beyond this many pixels is refused (images) or rendered
// at a lower resolution (PDF pages): 100 MP is a 33 x 33 inch scan at 300
// dpi, and one 8-bit copy of it is already 100 MB.
constexpr double kMaxPixels = 100e6;

// Tesseract's LSTM runs its gates in OpenMP parallel regions. Many pages
// recognised side by side then start cores x 4 threads that fight over the
// cores (measured: a page takes 2-3x longer). OMP_THREAD_LIMIT=1 turns the
// regions into plain loops, but libgomp reads the environment once, when it
// is loaded -- before main() in a program linked with Tesseract -- so only
// a parent can set it (the pipeline does, for its extraction workers).
// What works at any time is limiting active parallel levels to 0, which
// serialises every region; libgomp comes in through Tesseract, so it is
// looked up at run time instead of adding a link dependency. Called on each
// thread before it recognises, in case the setting is per thread.
void SerialiseOpenMp() {
  static std::once_flag once;
  static void (*set_max_active_levels)(int) = nullptr;
  std::call_once(once, [] {
    set_max_active_levels = reinterpret_cast<void (*)(int)>(dlsym(RTLD_DEFAULT, "omp_set_max_active_levels"));
    // Leptonica reports every unreadable image on stderr; the caller gets a
    // Status instead.
    setMsgSeverity(L_SEVERITY_NONE);
  });
  if (set_max_active_levels) set_max_active_levels(0);
}

// ---------------------------------------------------------------- slots

// Limit on pages being recognised at once, machine-wide for this user.
//
// With extract.isolation = "process" every pipeline worker extracts in a
// child process of its own, so a semaphore in memory would let each child
// run `ocr_threads` pages: workers x cores threads. The slots are therefore
// files, slot-0 .. slot-(limit-1) in a private folder, held with flock():
// processes and threads alike (each opens its own descriptor) exclude one
// another, and the kernel frees the slot of a child killed mid-page (by the
// timeout or memory watchdog), which a POSIX semaphore would leak. Each
// caller passes its own limit, since options may differ between callers.
// If the folder cannot be used, a semaphore in memory limits this process.
class OcrSlots {
 public:
  static OcrSlots& Instance() {
    static OcrSlots slots;
    return slots;
  }

  // Returns the descriptor holding the slot, or -1 when only the in-memory
  // count holds it.
  int Acquire(int limit) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      free_.wait(lock, [&] { return in_use_ < limit; });
      ++in_use_;
    }
    if (folder_.empty()) return -1;
    // Any free slot; when none is, wait for one, picked round robin so
    // waiters spread over the slots.
    const int first = static_cast<int>(next_++ % static_cast<unsigned>(limit));
    for (int k = 0; k < limit; ++k) {
      const int fd = OpenSlot((first + k) % limit);
      if (fd < 0) return -1;
      if (flock(fd, LOCK_EX | LOCK_NB) == 0) return fd;
      close(fd);
    }
    const int fd = OpenSlot(first);
    if (fd < 0) return -1;
    while (flock(fd, LOCK_EX) != 0) {
      if (errno != EINTR) {
        close(fd);
        return -1;
      }
    }
    return fd;
  }

  void Release(int fd) {
    if (fd >= 0) close(fd);  // drops the lock
    {
      std::lock_guard<std::mutex> lock(mutex_);
      --in_use_;
    }
    // Waiters have different limits, so wake them all to re-check.
    free_.notify_all();
  }

 private:
  OcrSlots() {
    const char* base = std::getenv("XDG_RUNTIME_DIR");
    if (!base || !*base) base = std::getenv("TMPDIR");
    if (!base || !*base) base = "/tmp";
    std::string folder = std::string(base) + "/smelter-ocr-slots-" + std::to_string(getuid());
    mkdir(folder.c_str(), 0700);
    // Only a real folder of ours: another user's could hold every slot.
    struct stat info {};
    if (lstat(folder.c_str(), &info) == 0 && S_ISDIR(info.st_mode) && info.st_uid == getuid()) folder_ = folder;
  }

  int OpenSlot(int index) const {
    const std::string path = folder_ + "/slot-" + std::to_string(index);
    return open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  }

  std::string folder_;  // "" when unusable
  std::atomic<unsigned> next_{0};
  std::mutex mutex_;
  std::condition_variable free_;
  int in_use_ = 0;
};

class SlotGuard {
 public:
  explicit SlotGuard(int limit) : fd_(OcrSlots::Instance().Acquire(limit)) {}
  ~SlotGuard() { OcrSlots::Instance().Release(fd_); }
  SlotGuard(const SlotGuard&) = delete;
  SlotGuard& operator=(const SlotGuard&) = delete;

 private:
  int fd_;
};

int ThreadLimit(const ExtractOptions& options) {
  if (options.ocr_threads > 0) return options.ocr_threads;
  return std::max(1u, std::thread::hardware_concurrency());
}

// ---------------------------------------------------------------- engines

using Engine = std::unique_ptr<tesseract::TessBaseAPI>;

// Pool key of the orientation detector (not a valid language string).
constexpr const char* kOsdEngine = "osd/detector";

// A ready engine for `languages` (or the orientation detector), or nullptr
// when its data is missing.
Engine NewEngine(const std::string& languages) {
  SerialiseOpenMp();
  auto api = std::make_unique<tesseract::TessBaseAPI>();
  // Tesseract prints warnings ("Estimating resolution as ...") and load
  // errors through this file; results and failures reach us as values.
  api->SetVariable("debug_file", "/dev/null");
  if (languages == kOsdEngine) {
    // osd.traineddata holds only a legacy-engine model.
    if (api->Init(nullptr, "osd", tesseract::OEM_TESSERACT_ONLY) != 0) return nullptr;
    api->SetPageSegMode(tesseract::PSM_OSD_ONLY);
    return api;
  }
  // LSTM only: the legacy engine's adaptive classifier learns from earlier
  // pages, which would make a page's text depend on which pooled engine,
  // and which earlier document, it met.
  if (api->Init(nullptr, languages.c_str(), tesseract::OEM_LSTM_ONLY) != 0) return nullptr;
  // A missing language after the first is skipped with a warning; we want
  // all or nothing, so that OcrAvailable can say what to install.
  std::vector<std::string> loaded;
  api->GetLoadedLanguagesAsVector(&loaded);
  if (loaded.size() != static_cast<size_t>(std::count(languages.begin(), languages.end(), '+')) + 1) return nullptr;
  // The API's default is one uniform block; full layout analysis (what the
  // tesseract command does) finds columns and paragraphs.
  api->SetPageSegMode(tesseract::PSM_AUTO);
  return api;
}

// Idle engines by language string.
class EnginePool {
 public:
  static EnginePool& Instance() {
    static EnginePool pool;
    return pool;
  }
  Engine Take(const std::string& languages) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = idle_.find(languages);
      if (it != idle_.end()) {
        Engine engine = std::move(it->second);
        idle_.erase(it);
        return engine;
      }
    }
    return NewEngine(languages);
  }
  void Give(const std::string& languages, Engine engine) {
    if (!engine) return;
    engine->Clear();  // drops the image and results, keeps the models
    std::lock_guard<std::mutex> lock(mutex_);
    idle_.emplace(languages, std::move(engine));
  }

 private:
  std::mutex mutex_;
  std::multimap<std::string, Engine> idle_;
};

// Borrows an engine for one scope.
class EngineLease {
 public:
  explicit EngineLease(const std::string& languages)
      : languages_(languages), engine_(EnginePool::Instance().Take(languages)) {}
  ~EngineLease() { EnginePool::Instance().Give(languages_, std::move(engine_)); }
  EngineLease(const EngineLease&) = delete;
  EngineLease& operator=(const EngineLease&) = delete;
  tesseract::TessBaseAPI* get() const { return engine_.get(); }

 private:
  std::string languages_;
  Engine engine_;
};

// Letters, digits, '_' and '-' joined by '+': anything else (a path) is
// not a language code and never reaches Tesseract's file lookup.
bool ValidLanguages(const std::string& languages) {
  if (languages.empty() || languages.front() == '+' || languages.back() == '+') return false;
  for (char c : languages) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '+') return false;
  }
  return languages.find("++") == std::string::npos;
}

// Debian names the data packages tesseract-ocr-<code>, lower case with
// '_' as '-': chi_sim -> tesseract-ocr-chi-sim.
std::string PackageName(std::string code) {
  for (char& c : code) c = c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return "tesseract-ocr-" + code;
}

// ---------------------------------------------------------------- layout

struct PixDeleter {
  void operator()(PIX* pix) const { pixDestroy(&pix); }
};
using PixPtr = std::unique_ptr<PIX, PixDeleter>;

bool IsAsciiLetter(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }

// Appends one OCR'd line to a paragraph. A line ending in a hyphen right
// after a letter was broken there: before a lower-case word the hyphen was
// the typesetter's and goes ("docu-" "ment" -> "document"); before anything
// else it is part of the word and stays, without a space ("Jean-" "Pierre").
void AppendLine(std::string_view line, std::string* paragraph) {
  if (paragraph->empty()) {
    paragraph->append(line);
    return;
  }
  const size_t n = paragraph->size();
  const char before = n >= 2 ? (*paragraph)[n - 2] : ' ';
  const bool letter_before = IsAsciiLetter(before) || static_cast<unsigned char>(before) >= 0x80;
  if ((*paragraph)[n - 1] == '-' && letter_before) {
    if (std::islower(static_cast<unsigned char>(line.front()))) paragraph->pop_back();
  } else {
    paragraph->push_back(' ');
  }
  paragraph->append(line);
}

std::string_view TrimLine(const char* text) {
  std::string_view line(text ? text : "");
  const size_t begin = line.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  const size_t end = line.find_last_not_of(" \t\r\n");
  return line.substr(begin, end - begin + 1);
}

// Recognises the image already set on `api` and reads paragraphs and word
// confidences back in Tesseract's reading order.
OcrPage Recognise(tesseract::TessBaseAPI* api, int page_number) {
  OcrPage page;
  page.page = page_number;
  SerialiseOpenMp();
  if (api->Recognize(nullptr) != 0) return page;  // nothing recognisable
  std::unique_ptr<tesseract::ResultIterator> it(api->GetIterator());
  if (!it) return page;

  std::string paragraph;
  auto flush = [&] {
    if (paragraph.empty()) return;
    Element element;
    element.type = ElementType::kParagraph;
    element.text = std::move(paragraph);
    element.page = page_number;
    page.elements.push_back(std::move(element));
    paragraph.clear();
  };
  it->Begin();
  do {
    if (it->Empty(tesseract::RIL_TEXTLINE)) continue;
    if (it->IsAtBeginningOf(tesseract::RIL_PARA)) flush();
    std::unique_ptr<char[]> text(it->GetUTF8Text(tesseract::RIL_TEXTLINE));
    std::string_view line = TrimLine(text.get());
    if (!line.empty()) AppendLine(line, &paragraph);
  } while (it->Next(tesseract::RIL_TEXTLINE));
  flush();

  double confidence_sum = 0;
  it->Begin();
  do {
    if (it->Empty(tesseract::RIL_WORD)) continue;
    std::unique_ptr<char[]> word(it->GetUTF8Text(tesseract::RIL_WORD));
    if (TrimLine(word.get()).empty()) continue;
    confidence_sum += it->Confidence(tesseract::RIL_WORD);
    ++page.words;
  } while (it->Next(tesseract::RIL_WORD));
  if (page.words > 0) page.confidence = confidence_sum / page.words;
  return page;
}

// Below this mean word confidence a page may be sideways or upside down
// (scanned the wrong way round): upright text scores 85-95, text read
// upside down ~30.
constexpr double kSuspectConfidence = 60;

// Recognises the image set on `api`, turning it upright first when the
// result is poor and Tesseract's orientation detector (osd.traineddata)
// finds it rotated. The turned result is kept only if it reads better, so
// a detector mistake costs time, never text.
OcrPage RecogniseUpright(tesseract::TessBaseAPI* api, int page_number) {
  OcrPage page = Recognise(api, page_number);
  if (page.words == 0 || page.confidence >= kSuspectConfidence) return page;
  PIX* input = api->GetInputImage();  // owned by `api`
  if (!input) return page;
  EngineLease osd(kOsdEngine);
  if (!osd.get()) return page;
  osd.get()->SetImage(input);
  int degrees = 0;
  float confidence = 0;
  if (!osd.get()->DetectOrientationScript(&degrees, &confidence, nullptr, nullptr) || degrees % 360 == 0) return page;
  // `degrees` is how far the image is turned clockwise; turn it back.
  PixPtr upright(pixRotateOrth(input, (4 - degrees / 90 % 4) % 4));
  if (!upright) return page;
  api->SetImage(upright.get());
  OcrPage turned = Recognise(api, page_number);
  return turned.confidence > page.confidence ? turned : page;
}

// ---------------------------------------------------------------- running

// Runs work(worker, item) for every item in [0, count) on up to `limit`
// threads, the calling thread included; each item holds an OCR slot while
// it runs. `work` must not throw; a worker's state (its own poppler
// document) is keyed by the worker index.
void RunPages(size_t count, int limit, const std::function<void(size_t, size_t)>& work) {
  std::atomic<size_t> next{0};
  auto worker = [&](size_t index) {
    for (size_t item = next++; item < count; item = next++) {
      SlotGuard slot(limit);
      work(index, item);
    }
  };
  const size_t wanted = std::min(count, static_cast<size_t>(std::max(1, limit)));
  std::vector<std::thread> threads;
  for (size_t index = 1; index < wanted; ++index) {
    try {
      threads.emplace_back(worker, index);
    } catch (const std::exception&) {
      break;  // out of threads: the ones started (and this one) do the rest
    }
  }
  worker(0);
  for (std::thread& thread : threads) thread.join();
}

// Per-item outcome; `status` set when the item failed.
struct PageSlot {
  std::optional<OcrPage> page;
  Status status;
};

Result<std::vector<OcrPage>> Collect(std::vector<PageSlot> slots) {
  std::vector<OcrPage> pages;
  pages.reserve(slots.size());
  for (PageSlot& slot : slots) {
    if (!slot.status.ok()) return slot.status;
    if (!slot.page) return Status::Internal("OCR: a page was never recognised");
    pages.push_back(std::move(*slot.page));
  }
  return pages;
}

// Runs `body` turning exceptions from the libraries into a Status.
template <typename Body>
void Guarded(PageSlot* slot, Body body) {
  try {
    body();
  } catch (const std::bad_alloc&) {
    slot->status = Status::ParserCrashed("OCR: out of memory");
  } catch (const std::exception& e) {
    slot->status = Status::ParserCrashed(std::string("OCR: ") + e.what());
  } catch (...) {
    slot->status = Status::ParserCrashed("OCR: unknown exception");
  }
}

Status EngineMissing(const ExtractOptions& options) {
  std::string why;
  OcrAvailable(options, &why);
  return Status::Unsupported(why.empty() ? "Tesseract could not be started" : why);
}

}  // namespace

bool OcrAvailable(const ExtractOptions& options, std::string* why) {
  static std::mutex mutex;
  static std::map<std::string, std::string> verdicts;  // languages -> "" or why not
  const std::string& languages = options.ocr_languages;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = verdicts.find(languages);
  if (it == verdicts.end()) {
    std::string verdict;
    if (!ValidLanguages(languages)) {
      verdict = "extract.ocr_languages \"" + languages + "\" is not a list of Tesseract language codes like \"eng+deu\"";
    } else if (Engine engine = NewEngine(languages)) {
      EnginePool::Instance().Give(languages, std::move(engine));  // the probe is the first pooled engine
    } else {
      // Name each missing language and its package.
      std::string missing, packages;
      size_t start = 0;
      while (start <= languages.size()) {
        size_t end = languages.find('+', start);
        if (end == std::string::npos) end = languages.size();
        const std::string code = languages.substr(start, end - start);
        if (!NewEngine(code)) {
          missing += (missing.empty() ? "" : ", ") + code;
          packages += " " + PackageName(code);
        }
        start = end + 1;
      }
      verdict = missing.empty()
                    ? "Tesseract failed to load languages \"" + languages + "\""
                    : "Tesseract language data not installed for " + missing + " (apt-get install" + packages + ")";
    }
    it = verdicts.emplace(languages, std::move(verdict)).first;
  }
  if (why) *why = it->second;
  return it->second.empty();
}

Result<std::vector<OcrPage>> OcrImage(std::string_view image_bytes, const ExtractOptions& options) {
  if (!OcrAvailable(options, nullptr)) return EngineMissing(options);
  const auto* data = reinterpret_cast<const l_uint8*>(image_bytes.data());
  const size_t size = image_bytes.size();

  // The header alone gives the size, so a decompression bomb is refused
  // before a single pixel is allocated.
  l_int32 format = 0, width = 0, height = 0, bps = 0, spp = 0, colormap = 0;
  if (size == 0 || pixReadHeaderMem(data, size, &format, &width, &height, &bps, &spp, &colormap) != 0) {
    return Status::Corrupt("not a readable image");
  }
  if (static_cast<double>(width) * height > kMaxPixels) {
    return Status::TooLarge(std::to_string(width) + "x" + std::to_string(height) + " pixels, limit 100 megapixels");
  }

  // Every frame of a TIFF is a page; other formats have one.
  l_int32 frames = 1;
  const bool tiff = L_FORMAT_IS_TIFF(format);
  if (tiff) {
    FILE* stream = fmemopen(const_cast<l_uint8*>(data), size, "rb");
    if (!stream) return Status::Internal("fmemopen failed");
    if (tiffGetCount(stream, &frames) != 0 || frames < 1) frames = 0;
    std::fclose(stream);
    if (frames == 0) return Status::Corrupt("TIFF without readable frames");
  }

  std::vector<PageSlot> slots(static_cast<size_t>(frames));
  RunPages(slots.size(), ThreadLimit(options), [&](size_t /*worker*/, size_t item) {
    PageSlot& slot = slots[item];
    Guarded(&slot, [&] {
      PixPtr pix(tiff ? pixReadMemTiff(data, size, static_cast<l_int32>(item)) : pixReadMem(data, size));
      if (!pix) {
        slot.status = Status::Corrupt(tiff ? "TIFF frame " + std::to_string(item + 1) + " cannot be decoded"
                                           : "image data cannot be decoded");
        return;
      }
      if (static_cast<double>(pixGetWidth(pix.get())) * pixGetHeight(pix.get()) > kMaxPixels) {
        slot.status = Status::TooLarge("TIFF frame " + std::to_string(item + 1) + " over 100 megapixels");
        return;
      }
      EngineLease engine(options.ocr_languages);
      if (!engine.get()) {
        slot.status = EngineMissing(options);
        return;
      }
      // Tesseract takes the resolution from the image, and estimates it
      // from the text size when the file states none.
      engine.get()->SetImage(pix.get());
      slot.page = RecogniseUpright(engine.get(), static_cast<int>(item) + 1);
    });
  });
  return Collect(std::move(slots));
}

Result<std::vector<OcrPage>> OcrPdfPages(std::string_view pdf_bytes, const std::vector<int>& pages,
                                         const ExtractOptions& options) {
  if (pages.empty()) return std::vector<OcrPage>{};
  if (!OcrAvailable(options, nullptr)) return EngineMissing(options);
  if (pdf_bytes.size() > static_cast<size_t>(INT32_MAX)) return Status::TooLarge("PDF over 2 GiB");
  const int dpi = std::clamp(options.ocr_dpi > 0 ? options.ocr_dpi : 300, 72, 600);

  // Each worker opens its own copy of the document: poppler objects are
  // not safe to share between threads, and parsing the cross-reference
  // table is cheap next to recognising one page.
  const int limit = ThreadLimit(options);
  const size_t workers = std::min(pages.size(), static_cast<size_t>(limit));
  std::vector<std::unique_ptr<poppler::document>> documents(workers);
  // Unlocked the way the PDF extractor does: empty passwords (files that
  // only restrict copying), then each configured password.
  auto open = [&]() -> poppler::document* {
    std::unique_ptr<poppler::document> pdf(
        poppler::document::load_from_raw_data(pdf_bytes.data(), static_cast<int>(pdf_bytes.size())));
    if (pdf && pdf->is_locked()) {
      pdf->unlock("", "");
      for (const std::string& password : options.pdf_passwords) {
        if (!pdf->is_locked()) break;
        pdf->unlock(password, password);
      }
    }
    return pdf.release();
  };
  {
    std::unique_ptr<poppler::document> probe(open());
    if (!probe) return Status::Corrupt("PDF cannot be opened for OCR");
    if (probe->is_locked()) return Status::Encrypted("PDF needs a password");
    for (int number : pages) {
      if (number < 1 || number > probe->pages()) {
        return Status::InvalidArgument("page " + std::to_string(number) + " of " + std::to_string(probe->pages()));
      }
    }
    documents[0] = std::move(probe);
  }

  std::vector<PageSlot> slots(pages.size());
  RunPages(slots.size(), limit, [&](size_t worker, size_t item) {
    PageSlot& slot = slots[item];
    const int number = pages[item];
    Guarded(&slot, [&] {
      if (!documents[worker]) documents[worker].reset(open());
      std::unique_ptr<poppler::page> page(documents[worker] ? documents[worker]->create_page(number - 1) : nullptr);
      OcrPage empty;
      empty.page = number;
      if (!page) {  // a page poppler cannot build has no text to find
        slot.page = std::move(empty);
        return;
      }
      // A huge page is rendered coarser rather than refused: its text is
      // large too.
      const poppler::rectf box = page->page_rect();
      const double inches = (box.width() / 72.0) * (box.height() / 72.0);
      double page_dpi = dpi;
      if (inches > 0 && inches * page_dpi * page_dpi > kMaxPixels) page_dpi = std::sqrt(kMaxPixels / inches);

      poppler::page_renderer renderer;
      renderer.set_image_format(poppler::image::format_gray8);
      renderer.set_render_hint(poppler::page_renderer::antialiasing);
      renderer.set_render_hint(poppler::page_renderer::text_antialiasing);
      const poppler::image image = renderer.render_page(page.get(), page_dpi, page_dpi);
      if (!image.is_valid() || image.width() <= 0 || image.height() <= 0) {
        slot.page = std::move(empty);
        return;
      }
      EngineLease engine(options.ocr_languages);
      if (!engine.get()) {
        slot.status = EngineMissing(options);
        return;
      }
      engine.get()->SetImage(reinterpret_cast<const unsigned char*>(image.const_data()), image.width(),
                             image.height(), /*bytes_per_pixel=*/1, image.bytes_per_row());
      engine.get()->SetSourceResolution(static_cast<int>(page_dpi));
      slot.page = RecogniseUpright(engine.get(), number);
    });
  });
  return Collect(std::move(slots));
}

}  // namespace smelter
