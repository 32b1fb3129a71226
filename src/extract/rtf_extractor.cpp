// RTF -> elements, with a tokenizer and interpreter of our own.
//
// Debian has no maintained RTF parsing library (unrtf is a converter that
// loses code pages), and RTF is simple enough: control words, groups and
// text. The interpreter keeps a stack of group states (destination,
// font/code page, \uc skip count, paragraph properties) and routes text
// into the current destination:
//   - body text becomes paragraphs at \par; \outlinelevel or a stylesheet
//     style named "heading N" makes a kHeading, \ls/\ilvl or a \listtext /
//     \pntext marker a kListItem, \intbl paragraphs become cells of a kTable
//     (\cell ends a cell, \row a row);
//   - \info fields give the title and metadata (times as ISO 8601, local
//     time as RTF stores it);
//   - footnotes are collected and appended as paragraphs at the end;
//   - font, color and style tables, pictures, objects' data, headers and
//     footers, themes, and every other {\*\...} group are skipped;
//   - text boxes are read from \shpinst's \shptxt (their \shprslt
//     copy is skipped).
// 8-bit text (raw bytes and \'hh) is decoded through ICU in the code page
// of its font (\fcharset, \cpg) or the document's \ansicpg; \uN takes a
// Unicode character and skips the next \ucN fallback characters.
//
// Limits: more than kMaxDepth nested groups is kCorrupt ("too deeply
// nested"); output text stops at kMaxOutputBytes (noted in metadata).
#include <unicode/ucnv.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/utf8.h"
#include "extract/extractor.h"
#include "extract/text_util.h"

namespace smelter {
namespace {

using text_util::Trim;

constexpr int kMaxDepth = 2000;
constexpr size_t kMaxOutputBytes = 64u << 20;

enum class Dest {
  kBody,        // document text
  kSkip,        // ignored, with everything nested in it
  kFontTable,   // \fonttbl: font number -> charset
  kStyleSheet,  // \stylesheet: its child groups are entries
  kStyleEntry,  // one style: number, outline level, name
  kInfo,        // \info: its child groups are fields
  kInfoField,   // \title, \author, ...: text
  kInfoTime,    // \creatim, \revtim: \yr \mo \dy \hr \min \sec
  kListText,    // \listtext / \pntext: the bullet or number of a list item
  kFootnote,
  kShapeInst,   // \shpinst: shape properties, ignored but for \shptxt
  kShapeText,   // \shptxt: a text box's paragraphs, read like the body
};

// Paragraph properties: reset by \pard, saved and restored with groups.
struct ParaProps {
  int style = 0;
  int outline = -1;  // \outlinelevelN, 0-based; -1 when none
  bool in_table = false;
  int list_id = 0;  // \lsN
  int list_level = 0;
};

struct GroupState {
  Dest dest = Dest::kBody;
  bool owns_dest = false;  // the destination started in this group
  int uc = 1;              // fallback characters after \uN
  int font = -1;
  bool hidden = false;  // \v
  ParaProps para;
  std::string key;  // info field or time name
};

struct Style {
  std::string name;
  int outline = -1;
};

struct InfoTime {
  int yr = 0, mo = 0, dy = 0, hr = 0, min = 0, sec = 0;
};

// Windows code page for an RTF \fcharset value; 0 for "use the document's".
int CharsetCodePage(int charset) {
  switch (charset) {
    case 77: return 10000;
    case 128: return 932;
    case 129: return 949;
    case 130: return 1361;
    case 134: return 936;
    case 136: return 950;
    case 161: return 1253;
    case 162: return 1254;
    case 163: return 1258;
    case 177: return 1255;
    case 178: return 1256;
    case 186: return 1257;
    case 204: return 1251;
    case 222: return 874;
    case 238: return 1250;
    case 254: return 437;
    case 255: return 850;
    default: return 0;
  }
}

// ICU converter name for a Windows code page.
std::string ConverterName(int cp) {
  switch (cp) {
    case 10000: return "macintosh";
    case 932: return "windows-31j";
    case 936: return "GBK";
    case 949: return "windows-949";
    case 950: return "windows-950";
    case 1361: return "ibm-1361";
    case 437: return "ibm-437";
    case 850: return "ibm-850";
    case 65001: return "UTF-8";
    default: return "windows-" + std::to_string(cp);
  }
}

struct ConverterCloser {
  void operator()(UConverter* c) const { ucnv_close(c); }
};

// "heading 3" -> 3; anything else -> 0.
int HeadingLevelOfStyleName(std::string_view name) {
  std::string lower;
  for (char c : Trim(name)) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (lower.size() == 9 && lower.starts_with("heading ") && lower[8] >= '1' && lower[8] <= '9') {
    return std::min(lower[8] - '0', 6);
  }
  return 0;
}

// Collapses runs of spaces and tabs into one space and trims each line.
std::string CleanText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\r') {
      space = true;
      continue;
    }
    if (c == '\n') {
      while (!out.empty() && out.back() == ' ') out.pop_back();
      out.push_back('\n');
      space = false;
      continue;
    }
    if (space && !out.empty() && out.back() != '\n') out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return std::string(Trim(out));
}

bool LooksOrdered(std::string_view marker) {
  marker = Trim(marker);
  if (marker.empty()) return false;
  const unsigned char c = static_cast<unsigned char>(marker.front());
  return std::isalnum(c) && (marker.back() == '.' || marker.back() == ')' || std::isdigit(c));
}

class RtfInterpreter {
 public:
  explicit RtfInterpreter(std::string_view bytes) : in_(bytes) {}

  Result<ExtractedDocument> Run() {
    SMELTER_RETURN_IF_ERROR(Parse());
    Finish();
    return std::move(doc_);
  }

 private:
  // ---- tokenizer ----------------------------------------------------------

  Status Parse() {
    stack_.push_back(GroupState{});
    size_t depth = 0;
    while (pos_ < in_.size()) {
      const char c = in_[pos_];
      if (c == '{') {
        ++pos_;
        FlushBytes();
        skip_ = 0;
        if (++depth > kMaxDepth) return Status::Corrupt("too deeply nested (over " + std::to_string(kMaxDepth) + " groups)");
        GroupState child = stack_.back();
        child.owns_dest = false;
        if (child.dest == Dest::kStyleSheet) {
          child.dest = Dest::kStyleEntry;
          child.owns_dest = true;
          style_entry_ = Style{};
          style_number_ = 0;
          style_name_.clear();
        }
        stack_.push_back(std::move(child));
      } else if (c == '}') {
        ++pos_;
        FlushBytes();
        skip_ = 0;
        if (depth == 0) continue;  // stray brace: ignore
        --depth;
        CloseGroup();
      } else if (c == '\\') {
        ReadControl();
      } else if (c == '\r' || c == '\n') {
        ++pos_;  // line breaks in the source are not text
      } else {
        ++pos_;
        if (stack_.back().dest == Dest::kSkip) continue;
        if (skip_ > 0) {
          --skip_;
          continue;
        }
        const unsigned char u = static_cast<unsigned char>(c);
        if (u == '\t') {
          EmitText("\t");
        } else if (u >= 0x20) {
          AddByte(c);
        }
      }
      if (truncated_) break;
    }
    FlushBytes();
    return Status::OK();
  }

  void ReadControl() {
    ++pos_;  // the backslash
    if (pos_ >= in_.size()) return;
    const char c = in_[pos_];
    if (!std::isalpha(static_cast<unsigned char>(c))) {
      ++pos_;
      ControlSymbol(c);
      return;
    }
    const size_t start = pos_;
    while (pos_ < in_.size() && pos_ - start < 32 && std::isalpha(static_cast<unsigned char>(in_[pos_]))) ++pos_;
    const std::string_view word = in_.substr(start, pos_ - start);
    bool has_param = false;
    long param = 0;
    bool negative = false;
    if (pos_ < in_.size() && in_[pos_] == '-' && pos_ + 1 < in_.size() &&
        std::isdigit(static_cast<unsigned char>(in_[pos_ + 1]))) {
      negative = true;
      ++pos_;
    }
    const size_t digits = pos_;
    while (pos_ < in_.size() && pos_ - digits < 10 && std::isdigit(static_cast<unsigned char>(in_[pos_]))) {
      param = param * 10 + (in_[pos_] - '0');
      ++pos_;
    }
    has_param = pos_ > digits;
    if (negative) param = -param;
    if (pos_ < in_.size() && in_[pos_] == ' ') ++pos_;  // the delimiter belongs to the word
    if (word == "bin") {
      // Raw binary data of `param` bytes: never text, never parsed.
      const size_t n = has_param && param > 0 ? static_cast<size_t>(param) : 0;
      pos_ = std::min(in_.size(), pos_ + n);
      return;
    }
    if (stack_.back().dest == Dest::kSkip) return;
    if (word != "u" && skip_ > 0) {
      --skip_;  // a control word stands for one fallback character
      return;
    }
    FlushBytes();
    ControlWord(word, has_param, static_cast<int>(std::clamp<long>(param, -2147483647L, 2147483647L)));
  }

  void ControlSymbol(char c) {
    GroupState& g = stack_.back();
    if (c == '*') {
      // An ignorable destination: skipped unless its control word, which
      // comes next, is one we read.
      FlushBytes();
      if (!NextWordIs("shpinst")) g.dest = Dest::kSkip;
      return;
    }
    if (g.dest == Dest::kSkip) {
      if (c == '\'') pos_ = std::min(in_.size(), pos_ + 2);
      return;
    }
    if (c == '\'') {
      if (pos_ + 2 > in_.size()) {
        pos_ = in_.size();
        return;
      }
      const int hi = Hex(in_[pos_]), lo = Hex(in_[pos_ + 1]);
      pos_ += 2;
      if (hi < 0 || lo < 0) return;
      if (skip_ > 0) {
        --skip_;
        return;
      }
      AddByte(static_cast<char>(hi * 16 + lo));
      return;
    }
    if (skip_ > 0) {
      --skip_;
      return;
    }
    FlushBytes();
    switch (c) {
      case '\\': case '{': case '}': EmitText(std::string(1, c)); break;
      case '~': EmitText("\xC2\xA0"); break;
      case '_': EmitText("-"); break;
      case '\n': case '\r': EndParagraph(); break;  // "\<newline>" is \par
      default: break;  // \- optional hyphen, \| \: formula and index marks
    }
  }

  bool NextWordIs(std::string_view word) const {
    size_t at = pos_;
    while (at < in_.size() && (in_[at] == '\r' || in_[at] == '\n' || in_[at] == ' ')) ++at;
    if (at >= in_.size() || in_[at] != '\\') return false;
    const std::string_view rest = in_.substr(at + 1);
    return rest.starts_with(word) &&
           (rest.size() == word.size() || !std::isalpha(static_cast<unsigned char>(rest[word.size()])));
  }

  static int Hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  // ---- interpreter --------------------------------------------------------

  void SetDest(Dest dest) {
    GroupState& g = stack_.back();
    g.dest = dest;
    g.owns_dest = true;
  }

  void ControlWord(std::string_view w, bool has_param, int p) {
    GroupState& g = stack_.back();
    // Destinations that are never text.
    static constexpr std::string_view kSkipped[] = {
        "colortbl", "pict", "objdata", "objclass", "objname", "header", "footer", "headerl", "headerr",
        "headerf", "footerl", "footerr", "footerf", "themedata", "colorschememapping", "datastore",
        "latentstyles", "xmlnstbl", "listtable", "listoverridetable", "revtbl", "rsidtbl", "filetbl",
        "pgdsctbl", "fldinst", "annotation", "atnid", "atnauthor", "xe", "tc", "tcn", "txe", "private",
        "generator", "userprops", "docvar", "template", "nonshppict", "bkmkstart", "bkmkend",
        "mmathPr", "fchars", "lchars", "printim", "buptim", "nextfile", "passwordhash", "shprslt"};
    if (std::find(std::begin(kSkipped), std::end(kSkipped), w) != std::end(kSkipped)) {
      SetDest(Dest::kSkip);
      return;
    }
    switch (g.dest) {
      case Dest::kFontTable:
        if (w == "f" && has_param) current_font_ = p;
        else if (w == "fcharset" && current_font_ >= 0) font_cp_[current_font_] = CharsetCodePage(p);
        else if (w == "cpg" && current_font_ >= 0 && p > 0) font_cp_[current_font_] = p;
        return;
      case Dest::kStyleEntry:
        if (w == "s" && has_param) style_number_ = p;
        else if (w == "ts" || w == "ds" || w == "cs") style_number_ = -1;  // table/section/char styles
        else if (w == "outlinelevel") style_entry_.outline = p;
        else if (w == "u" || w == "uc") break;  // Unicode in a style name
        else return;
        break;
      case Dest::kInfo:
        if (w == "title" || w == "subject" || w == "author" || w == "keywords" || w == "company" ||
            w == "doccomm" || w == "manager" || w == "category") {
          SetDest(Dest::kInfoField);
          stack_.back().key = std::string(w);
          info_[std::string(w)].clear();
        } else if (w == "creatim" || w == "revtim") {
          SetDest(Dest::kInfoTime);
          stack_.back().key = std::string(w);
          time_ = InfoTime{};
        } else if (w != "u" && w != "uc") {
          SetDest(Dest::kSkip);  // \operator, \version, counts, ...
        }
        if (w != "u" && w != "uc") return;
        break;
      case Dest::kShapeInst:
        if (w == "shptxt") {
          SetDest(Dest::kShapeText);
          saved_paras_.push_back(std::move(para_));
          para_.clear();
        }
        return;
      case Dest::kInfoTime:
        if (w == "yr") time_.yr = p;
        else if (w == "mo") time_.mo = p;
        else if (w == "dy") time_.dy = p;
        else if (w == "hr") time_.hr = p;
        else if (w == "min") time_.min = p;
        else if (w == "sec") time_.sec = p;
        return;
      default:
        break;
    }

    // Destinations we read.
    if (w == "fonttbl") return SetDest(Dest::kFontTable);
    if (w == "stylesheet") return SetDest(Dest::kStyleSheet);
    if (w == "info") return SetDest(Dest::kInfo);
    if (w == "shpinst") return SetDest(Dest::kShapeInst);
    if (w == "listtext" || w == "pntext") {
      SetDest(Dest::kListText);
      para_list_marker_ = true;
      list_marker_.clear();
      return;
    }
    if (w == "pn") {  // old-style list numbering: the paragraph is a list item
      para_list_marker_ = true;
      return SetDest(Dest::kSkip);
    }
    if (w == "footnote") {
      SetDest(Dest::kFootnote);
      footnote_.clear();
      return;
    }

    // Document properties.
    if (w == "ansicpg" && p > 0) { ansi_cp_ = p; return; }
    if (w == "mac") { ansi_cp_ = 10000; return; }
    if (w == "pc") { ansi_cp_ = 437; return; }
    if (w == "pca") { ansi_cp_ = 850; return; }
    if (w == "deff") { default_font_ = p; if (g.font < 0) g.font = p; return; }

    // Character and paragraph properties.
    if (w == "uc") { g.uc = std::clamp(p, 0, 16); return; }
    if (w == "f") { g.font = p; return; }
    if (w == "plain") { g.font = default_font_; g.hidden = false; return; }
    if (w == "v") { g.hidden = !has_param || p != 0; return; }
    if (w == "pard") { g.para = ParaProps{}; return; }
    if (w == "s") { g.para.style = p; return; }
    if (w == "outlinelevel") { g.para.outline = p; return; }
    if (w == "intbl") { g.para.in_table = true; return; }
    if (w == "itap") { g.para.in_table = p > 0; return; }
    if (w == "ls") { g.para.list_id = p; return; }
    if (w == "ilvl") { g.para.list_level = std::clamp(p, 0, 8); return; }

    // Text.
    if (w == "u") {
      skip_ = 0;
      uint32_t cp = static_cast<uint32_t>(p < 0 ? p + 65536 : p) & 0xFFFF;
      if (cp >= 0xD800 && cp <= 0xDBFF) {
        high_surrogate_ = cp;
      } else {
        if (cp >= 0xDC00 && cp <= 0xDFFF && high_surrogate_) {
          cp = 0x10000 + ((high_surrogate_ - 0xD800) << 10) + (cp - 0xDC00);
        }
        high_surrogate_ = 0;
        if (cp != 0xFEFF && cp != 0) {
          std::string utf8;
          AppendUtf8(cp, &utf8);
          EmitText(utf8);
        }
      }
      skip_ = stack_.back().uc;
      return;
    }
    if (w == "par" || w == "sect") return EndParagraph();
    if (w == "page" || w == "column") return EndParagraph();
    if (w == "line") return EmitText("\n");
    if (w == "tab") return EmitText("\t");
    if (w == "cell") return EndCell();
    if (w == "row") return EndRow();
    if (w == "nestcell" || w == "nestrow") return EmitText(" ");
    if (w == "emdash") return EmitText("\xE2\x80\x94");
    if (w == "endash") return EmitText("\xE2\x80\x93");
    if (w == "bullet") return EmitText("\xE2\x80\xA2");
    if (w == "lquote") return EmitText("\xE2\x80\x98");
    if (w == "rquote") return EmitText("\xE2\x80\x99");
    if (w == "ldblquote") return EmitText("\xE2\x80\x9C");
    if (w == "rdblquote") return EmitText("\xE2\x80\x9D");
    if (w == "emspace" || w == "enspace" || w == "qmspace") return EmitText(" ");
  }

  void CloseGroup() {
    GroupState closed = std::move(stack_.back());
    stack_.pop_back();
    if (stack_.empty()) stack_.push_back(GroupState{});  // more '}' than '{': stay usable
    if (!closed.owns_dest) return;
    switch (closed.dest) {
      case Dest::kStyleEntry:
        if (style_number_ >= 0) {
          std::string name(Trim(style_name_));
          if (!name.empty() && name.back() == ';') name.pop_back();
          style_entry_.name = std::string(Trim(name));
          styles_[style_number_] = style_entry_;
        }
        break;
      case Dest::kInfoField: {
        std::string value = CleanText(info_[closed.key]);
        if (value.empty()) info_.erase(closed.key);
        else info_[closed.key] = value;
        break;
      }
      case Dest::kInfoTime:
        if (time_.yr > 0) {
          char iso[32];
          std::snprintf(iso, sizeof iso, "%04d-%02d-%02dT%02d:%02d:%02d", std::clamp(time_.yr, 0, 9999),
                        std::clamp(time_.mo, 1, 12), std::clamp(time_.dy, 1, 31), std::clamp(time_.hr, 0, 23),
                        std::clamp(time_.min, 0, 59), std::clamp(time_.sec, 0, 59));
          info_[closed.key] = iso;
        }
        break;
      case Dest::kShapeText: {
        // The box's last paragraph, then the paragraph it interrupted.
        stack_.push_back(closed);
        EndParagraph();
        stack_.pop_back();
        if (!saved_paras_.empty()) {
          para_ = std::move(saved_paras_.back());
          saved_paras_.pop_back();
        }
        break;
      }
      case Dest::kFootnote: {
        std::string text = CleanText(footnote_);
        if (!text.empty()) footnotes_.push_back(std::move(text));
        footnote_.clear();
        break;
      }
      default:
        break;
    }
  }

  // ---- text ---------------------------------------------------------------

  int CodePageOf(const GroupState& g) const {
    const int font = g.font >= 0 ? g.font : default_font_;
    auto it = font_cp_.find(font);
    if (it != font_cp_.end() && it->second > 0) return it->second;
    return ansi_cp_;
  }

  void AddByte(char b) {
    const GroupState& g = stack_.back();
    if (!Sink(g)) return;
    const int cp = CodePageOf(g);
    if (!bytes_.empty() && cp != bytes_cp_) FlushBytes();
    bytes_cp_ = cp;
    bytes_.push_back(b);
  }

  // Decodes the 8-bit run collected so far into the current destination.
  void FlushBytes() {
    if (bytes_.empty()) return;
    std::string utf8;
    bool ascii = std::all_of(bytes_.begin(), bytes_.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (ascii) {
      utf8 = bytes_;
    } else {
      UConverter* conv = Converter(bytes_cp_);
      if (!conv) conv = Converter(1252);
      if (conv) {
        std::vector<UChar> wide(bytes_.size() * 2 + 4);
        UErrorCode err = U_ZERO_ERROR;
        ucnv_reset(conv);
        const int32_t n = ucnv_toUChars(conv, wide.data(), static_cast<int32_t>(wide.size()), bytes_.data(),
                                        static_cast<int32_t>(bytes_.size()), &err);
        if (U_SUCCESS(err)) {
          for (int32_t i = 0; i < n; ++i) {
            uint32_t cp = wide[static_cast<size_t>(i)];
            if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < n) {
              const uint32_t lo = wide[static_cast<size_t>(i) + 1];
              if (lo >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                ++i;
              }
            }
            AppendUtf8(cp, &utf8);
          }
        }
      }
    }
    bytes_.clear();
    EmitText(utf8);
  }

  UConverter* Converter(int cp) {
    auto it = converters_.find(cp);
    if (it != converters_.end()) return it->second.get();
    UErrorCode err = U_ZERO_ERROR;
    UConverter* conv = ucnv_open(ConverterName(cp).c_str(), &err);
    if (U_FAILURE(err)) {
      if (conv) ucnv_close(conv);
      conv = nullptr;
    }
    converters_[cp].reset(conv);
    return conv;
  }

  // Where text of this group goes; nullptr when nowhere.
  std::string* Sink(const GroupState& g) {
    switch (g.dest) {
      case Dest::kBody:
      case Dest::kShapeText: return g.hidden ? nullptr : &para_;
      case Dest::kStyleEntry: return &style_name_;
      case Dest::kInfoField: return &info_[g.key];
      case Dest::kListText: return &list_marker_;
      case Dest::kFootnote: return &footnote_;
      default: return nullptr;
    }
  }

  void EmitText(std::string_view text) {
    if (text.empty()) return;
    std::string* sink = Sink(stack_.back());
    if (!sink) return;
    if (output_bytes_ + text.size() > kMaxOutputBytes) {
      truncated_ = true;
      return;
    }
    output_bytes_ += text.size();
    sink->append(text);
  }

  // ---- structure ----------------------------------------------------------

  void EndParagraph() {
    const GroupState& g = stack_.back();
    if (g.dest == Dest::kFootnote) {
      footnote_ += ' ';
      return;
    }
    if (g.dest != Dest::kBody && g.dest != Dest::kShapeText) return;
    if (g.para.in_table) {
      if (!cell_.empty() && !para_.empty()) cell_ += ' ';
      cell_ += para_;
      para_.clear();
      para_list_marker_ = false;
      return;
    }
    FlushTable();
    std::string text = CleanText(para_);
    para_.clear();
    const bool is_list = para_list_marker_ || g.para.list_id > 0;
    para_list_marker_ = false;
    if (text.empty()) return;
    Element e;
    int heading = 0;
    if (g.para.outline >= 0 && g.para.outline < 9) heading = std::min(g.para.outline + 1, 6);
    auto style = styles_.find(g.para.style);
    if (heading == 0 && style != styles_.end()) {
      heading = HeadingLevelOfStyleName(style->second.name);
      if (heading == 0 && style->second.outline >= 0 && style->second.outline < 9) {
        heading = std::min(style->second.outline + 1, 6);
      }
    }
    if (heading > 0) {
      e.type = ElementType::kHeading;
      e.level = heading;
    } else if (style != styles_.end() && HeadingLevelOfStyleName(style->second.name) == 0 &&
               Trim(style->second.name) == "Title") {
      e.type = ElementType::kTitle;
    } else if (is_list) {
      e.type = ElementType::kListItem;
      e.level = g.para.list_level;
      e.ordered = LooksOrdered(list_marker_);
    }
    e.text = std::move(text);
    doc_.elements.push_back(std::move(e));
  }

  void EndCell() {
    if (stack_.back().dest != Dest::kBody) return;
    if (!cell_.empty() && !para_.empty()) cell_ += ' ';
    cell_ += para_;
    para_.clear();
    para_list_marker_ = false;
    std::string text = CleanText(cell_);
    std::replace(text.begin(), text.end(), '\n', ' ');
    row_.push_back(std::move(text));
    cell_.clear();
  }

  void EndRow() {
    if (stack_.back().dest != Dest::kBody) return;
    if (!para_.empty() || !cell_.empty()) EndCell();
    if (!row_.empty()) table_.push_back(std::move(row_));
    row_.clear();
  }

  void FlushTable() {
    if (!row_.empty() || !cell_.empty()) {
      if (!cell_.empty()) {
        row_.push_back(CleanText(cell_));
        cell_.clear();
      }
      table_.push_back(std::move(row_));
      row_.clear();
    }
    if (table_.empty()) return;
    const bool any = std::any_of(table_.begin(), table_.end(), [](const auto& row) {
      return std::any_of(row.begin(), row.end(), [](const std::string& c) { return !c.empty(); });
    });
    if (any) {
      Element e;
      e.type = ElementType::kTable;
      e.rows = std::move(table_);
      e.has_header = true;
      doc_.elements.push_back(std::move(e));
    }
    table_.clear();
  }

  void Finish() {
    // Text after the last \par is a paragraph too.
    while (stack_.size() > 1) stack_.pop_back();
    stack_.back().dest = Dest::kBody;
    if (!Trim(para_).empty()) {
      if (stack_.back().para.in_table) EndRow();
      else EndParagraph();
    }
    FlushTable();
    for (std::string& note : footnotes_) {
      Element e;
      e.text = std::move(note);
      doc_.elements.push_back(std::move(e));
    }
    static constexpr std::pair<std::string_view, std::string_view> kKeys[] = {
        {"author", "author"},     {"subject", "subject"},   {"keywords", "keywords"},
        {"company", "company"},   {"doccomm", "description"}, {"manager", "manager"},
        {"category", "category"}, {"creatim", "created"},   {"revtim", "modified"}};
    for (const auto& [from, to] : kKeys) {
      auto it = info_.find(std::string(from));
      if (it != info_.end() && !it->second.empty()) doc_.metadata[std::string(to)] = it->second;
    }
    if (auto it = info_.find("title"); it != info_.end()) doc_.title = it->second;
    doc_.source_encoding = ConverterName(ansi_cp_);
    if (truncated_) doc_.metadata["rtf_note"] = "text truncated at " + std::to_string(kMaxOutputBytes) + " bytes";
  }

  std::string_view in_;
  size_t pos_ = 0;
  std::vector<GroupState> stack_;
  int skip_ = 0;  // fallback characters still to skip after \uN
  uint32_t high_surrogate_ = 0;

  int ansi_cp_ = 1252;
  int default_font_ = 0;
  int current_font_ = -1;          // font being defined in \fonttbl
  std::map<int, int> font_cp_;     // font number -> code page (0: document's)
  std::map<int, std::unique_ptr<UConverter, ConverterCloser>> converters_;
  std::string bytes_;  // 8-bit run awaiting decoding
  int bytes_cp_ = 1252;

  std::map<int, Style> styles_;
  Style style_entry_;
  int style_number_ = 0;
  std::string style_name_;

  std::map<std::string, std::string> info_;
  InfoTime time_;

  std::string para_;  // current paragraph's text
  std::vector<std::string> saved_paras_;  // paragraphs a text box interrupted
  bool para_list_marker_ = false;
  std::string list_marker_;
  std::string cell_;
  std::vector<std::string> row_;
  std::vector<std::vector<std::string>> table_;
  std::string footnote_;
  std::vector<std::string> footnotes_;

  size_t output_bytes_ = 0;
  bool truncated_ = false;
  ExtractedDocument doc_;
};

class RtfExtractor final : public Extractor {
 public:
  std::string_view name() const override { return "rtf"; }

  Result<ExtractedDocument> Extract(const ExtractInput& input) const override {
    std::string_view bytes = input.bytes;
    if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
    size_t start = 0;
    while (start < bytes.size() && text_util::IsAsciiSpace(bytes[start])) ++start;
    if (!bytes.substr(start).starts_with("{\\rtf")) return Status::Corrupt("not an RTF file (no {\\rtf header)");
    RtfInterpreter interpreter(bytes.substr(start));
    return interpreter.Run();
  }
};

}  // namespace

std::unique_ptr<Extractor> MakeRtfExtractor() { return std::make_unique<RtfExtractor>(); }

}  // namespace smelter
