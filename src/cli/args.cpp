#include "cli/args.h"

#include <charconv>

namespace smelter::cli {

namespace {
const OptionSpec* FindLong(const CommandSpec& spec, const std::string& name) {
  for (const auto& o : spec.options)
    if (o.long_name == name) return &o;
  return nullptr;
}
const OptionSpec* FindShort(const CommandSpec& spec, char c) {
  for (const auto& o : spec.options)
    if (o.short_name == c) return &o;
  return nullptr;
}
}  // namespace

Result<ParsedArgs> ParseArgs(const CommandSpec& spec, const std::vector<std::string>& args) {
  ParsedArgs out;
  bool only_positionals = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (only_positionals || a.size() < 2 || a[0] != '-' ) {
      out.positionals.push_back(a);
      continue;
    }
    if (a == "--") {
      only_positionals = true;
      continue;
    }
    if (a == "--help" || a == "-h") {
      out.help = true;
      continue;
    }
    const OptionSpec* opt = nullptr;
    std::string inline_value;
    bool has_inline = false;
    if (a.rfind("--", 0) == 0) {
      std::string name = a.substr(2);
      size_t eq = name.find('=');
      if (eq != std::string::npos) {
        inline_value = name.substr(eq + 1);
        name = name.substr(0, eq);
        has_inline = true;
      }
      opt = FindLong(spec, name);
    } else if (a.size() >= 2 && !std::isdigit(static_cast<unsigned char>(a[1]))) {
      opt = FindShort(spec, a[1]);
      if (opt && a.size() > 2) {
        inline_value = a.substr(2);
        has_inline = true;
      }
    } else {
      out.positionals.push_back(a);  // a negative number
      continue;
    }
    if (!opt) {
      return Status::InvalidArgument("unknown option " + a + " for `smelter " + spec.name +
                                     "` (see `smelter " + spec.name + " --help`)");
    }
    if (opt->value_name.empty()) {
      if (has_inline) return Status::InvalidArgument("option --" + opt->long_name + " takes no value");
      out.flags[opt->long_name] = true;
      continue;
    }
    if (!has_inline) {
      if (i + 1 >= args.size()) {
        return Status::InvalidArgument("option --" + opt->long_name + " needs a value (" +
                                       opt->value_name + ")");
      }
      inline_value = args[++i];
    }
    out.values[opt->long_name] = inline_value;
    out.all_values[opt->long_name].push_back(inline_value);
  }
  if (out.help) return out;
  int n = static_cast<int>(out.positionals.size());
  if (n < spec.min_positionals) {
    return Status::InvalidArgument("missing argument; usage: " + spec.usage);
  }
  if (spec.max_positionals >= 0 && n > spec.max_positionals) {
    return Status::InvalidArgument("unexpected argument \"" + out.positionals[spec.max_positionals] +
                                   "\"; usage: " + spec.usage);
  }
  return out;
}

std::string HelpText(const CommandSpec& spec) {
  std::string out = spec.summary + "\n\nUsage: " + spec.usage + "\n";
  if (!spec.description.empty()) out += "\n" + spec.description + "\n";
  out += "\nOptions:\n";
  auto line = [&](const std::string& left, const std::string& help) {
    std::string l = "  " + left;
    if (l.size() < 26) l.append(26 - l.size(), ' ');
    else l += "\n" + std::string(26, ' ');
    out += l + help + "\n";
  };
  for (const auto& o : spec.options) {
    std::string left = o.short_name ? std::string("-") + o.short_name + ", " : "    ";
    left += "--" + o.long_name;
    if (!o.value_name.empty()) left += " " + o.value_name;
    line(left, o.help);
  }
  line("    --lake DIR", "the lake (default: $SMELTER_LAKE, else ./lake)");
  line("-h, --help", "show this help");
  if (!spec.examples.empty()) out += "\nExamples:\n" + spec.examples;
  return out;
}

Result<int> ParsePositiveInt(const std::string& option, const std::string& value) {
  int v = 0;
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
  if (ec != std::errc() || ptr != value.data() + value.size() || v <= 0) {
    return Status::InvalidArgument("--" + option + " expects a positive integer, got \"" + value + "\"");
  }
  return v;
}

}  // namespace smelter::cli
