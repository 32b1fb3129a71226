// A small command-line parser: flags, options with values, positionals,
// and generated --help text. Errors are values, reported with the usage.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/status.h"

namespace smelter::cli {

struct OptionSpec {
  std::string long_name;   // "workers" for --workers
  char short_name = 0;     // 'k' for -k, 0 for none
  std::string value_name;  // "N"; empty for a flag
  std::string help;
};

struct CommandSpec {
  std::string name;
  std::string usage;       // "smelter search QUERY [options]"
  std::string summary;     // one line
  std::string description; // paragraphs, may be empty
  std::vector<OptionSpec> options;
  int min_positionals = 0;
  int max_positionals = 0;  // -1 for unlimited
  std::string examples;
};

struct ParsedArgs {
  std::map<std::string, std::string> values;  // options with values (the last one given)
  std::map<std::string, std::vector<std::string>> all_values;  // every value of repeated options
  std::map<std::string, bool> flags;
  std::vector<std::string> positionals;
  bool help = false;

  bool Flag(const std::string& name) const { return flags.count(name) > 0; }
  std::string Value(const std::string& name, const std::string& fallback = "") const {
    auto it = values.find(name);
    return it == values.end() ? fallback : it->second;
  }
};

// Parses `args` (the words after the command name) against `spec`.
Result<ParsedArgs> ParseArgs(const CommandSpec& spec, const std::vector<std::string>& args);

std::string HelpText(const CommandSpec& spec);

// Parses a positive integer option value; the error names the option.
Result<int> ParsePositiveInt(const std::string& option, const std::string& value);

}  // namespace smelter::cli
