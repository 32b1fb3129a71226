// The [enrich] section (see enrich_config.h).

#include "enrich/enrich_config.h"

#include <string>

namespace smelter {

namespace {

Result<SecurityLevel> ReadLevel(const std::string& where, const toml::node& node) {
  auto v = node.value<std::string>();
  if (!v) return Status::InvalidArgument(where + ": expected a level name");
  auto level = ParseSecurityLevel(*v);
  if (!level) {
    return Status::InvalidArgument(where + ": \"" + *v + "\" is not public, internal, confidential or restricted");
  }
  return *level;
}

Result<const toml::table*> SubTable(const std::string& where, const toml::node& node) {
  const toml::table* t = node.as_table();
  if (t == nullptr) return Status::InvalidArgument(where + ": expected a table");
  return t;
}

}  // namespace

Result<EnrichOptions> ParseEnrichOptions(const toml::table& section) {
  EnrichOptions options;
  for (const auto& [key_node, node] : section) {
    const std::string key(key_node.str());
    const std::string where = "enrich." + key;
    if (key == "default_security_level") {
      auto level = ReadLevel(where, node);
      if (!level.ok()) return level.status();
      options.security.default_level = *level;
    } else if (key == "path_tags") {
      auto table = SubTable(where, node);
      if (!table.ok()) return table.status();
      for (const auto& [pattern, tags_node] : **table) {
        PathTagRule rule;
        rule.pattern = std::string(pattern.str());
        const std::string at = where + ".\"" + rule.pattern + "\"";
        if (auto one = tags_node.value<std::string>()) {
          rule.tags.push_back(*one);
        } else if (const toml::array* list = tags_node.as_array()) {
          for (const toml::node& t : *list) {
            auto tag = t.value<std::string>();
            if (!tag || tag->empty()) return Status::InvalidArgument(at + ": expected a list of tag names");
            rule.tags.push_back(*tag);
          }
        } else {
          return Status::InvalidArgument(at + ": expected a tag or a list of tags");
        }
        options.tag_rules.push_back(std::move(rule));
      }
    } else if (key == "path_security") {
      auto table = SubTable(where, node);
      if (!table.ok()) return table.status();
      for (const auto& [pattern, level_node] : **table) {
        const std::string p(pattern.str());
        auto level = ReadLevel(where + ".\"" + p + "\"", level_node);
        if (!level.ok()) return level.status();
        options.security.path_rules.push_back({p, *level});
      }
    } else if (key == "markers") {
      auto table = SubTable(where, node);
      if (!table.ok()) return table.status();
      options.security.markers.clear();
      for (const auto& [phrase, level_node] : **table) {
        const std::string p(phrase.str());
        auto level = ReadLevel(where + ".\"" + p + "\"", level_node);
        if (!level.ok()) return level.status();
        options.security.markers.push_back({p, *level});
      }
    } else if (key == "pii_security") {
      auto table = SubTable(where, node);
      if (!table.ok()) return table.status();
      options.security.pii_rules.clear();
      for (const auto& [type, rule_node] : **table) {
        PiiLevelRule rule;
        rule.pii_type = std::string(type.str());
        const std::string at = where + "." + rule.pii_type;
        if (const toml::table* t = rule_node.as_table()) {
          for (const auto& [k, v] : *t) {
            if (k.str() == "level") {
              auto level = ReadLevel(at + ".level", v);
              if (!level.ok()) return level.status();
              rule.level = *level;
            } else if (k.str() == "min_count") {
              auto n = v.value<int64_t>();
              if (!n || *n < 1) return Status::InvalidArgument(at + ".min_count: expected an integer >= 1");
              rule.min_count = static_cast<int>(*n);
            } else {
              return Status::InvalidArgument(at + "." + std::string(k.str()) + ": unknown key (level, min_count)");
            }
          }
          if (!t->contains("level")) return Status::InvalidArgument(at + ": level is missing");
        } else {
          auto level = ReadLevel(at, rule_node);
          if (!level.ok()) return level.status();
          rule.level = *level;
        }
        options.security.pii_rules.push_back(std::move(rule));
      }
    } else {
      return Status::InvalidArgument(where + ": unknown setting");
    }
  }
  return options;
}

}  // namespace smelter
