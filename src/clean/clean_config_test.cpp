#include "clean/clean_config.h"

#include <gtest/gtest.h>

namespace smelter {
namespace {

Result<CleanOptions> Parse(std::string_view text) {
  toml::table table = toml::parse(text);
  return ParseCleanOptions(*table["clean"].as_table());
}

TEST(CleanConfigTest, DefaultsAndOverrides) {
  auto defaults = Parse("[clean]\n");
  ASSERT_TRUE(defaults.ok());
  EXPECT_TRUE(defaults->repair_mojibake);
  EXPECT_TRUE(defaults->remove_repeated_page_lines);
  EXPECT_EQ(defaults->repeated_lines.min_pages, 3);

  auto options = Parse(R"(
[clean]
repair_mojibake = false
join_hyphenation = false
remove_repeated_lines = false
repeated_line_min_pages = 4
repeated_line_min_page_fraction = 0.8
boilerplate_max_line_chars = 120
)");
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_FALSE(options->repair_mojibake);
  EXPECT_FALSE(options->join_hyphenation);
  EXPECT_FALSE(options->remove_repeated_page_lines);
  EXPECT_TRUE(options->nfkc);
  EXPECT_EQ(options->repeated_lines.min_pages, 4);
  EXPECT_DOUBLE_EQ(options->repeated_lines.min_page_fraction, 0.8);
  EXPECT_EQ(options->repeated_lines.max_line_chars, 120u);
}

TEST(CleanConfigTest, Errors) {
  auto message = [](std::string_view text) {
    auto r = Parse(text);
    return r.ok() ? std::string("ok") : r.status().message();
  };
  EXPECT_EQ(message("[clean]\nnfkc = \"yes\"\n"), "clean.nfkc: expected true or false");
  EXPECT_EQ(message("[clean]\nrepeated_line_min_pages = 1\n"), "clean.repeated_line_min_pages: expected an integer >= 2");
  EXPECT_EQ(message("[clean]\nrepeated_line_min_page_fraction = 1.5\n"),
            "clean.repeated_line_min_page_fraction: expected a number in (0, 1]");
  EXPECT_EQ(message("[clean]\nstrip_emoji = true\n"), "clean.strip_emoji: unknown setting");
}

}  // namespace
}  // namespace smelter
