#include "store/file_util.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/hash.h"
#include "store/lake.h"

namespace smelter {
namespace {

namespace fs = std::filesystem;

TEST(FileUtil, AtomicWriteLeavesNoTemporaryFiles) {
  fs::path dir = fs::temp_directory_path() / "file-util-test";
  fs::remove_all(dir);
  std::string path = (dir / "a" / "b.txt").string();
  ASSERT_TRUE(WriteFileAtomic(path, "hello").ok());
  ASSERT_TRUE(WriteFileAtomic(path, "world").ok());
  EXPECT_EQ(*ReadFile(path), "world");
  int files = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) files += e.is_regular_file();
  EXPECT_EQ(files, 1);
  ASSERT_TRUE(CopyFileAtomic(path, (dir / "c.txt").string()).ok());
  EXPECT_EQ(*ReadFile((dir / "c.txt").string()), "world");
  EXPECT_EQ(ReadFile((dir / "missing").string()).status().code(), Status::Code::kNotFound);
  fs::remove_all(dir);
}

TEST(Hash, KnownVectors) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(FastHashHex("abc").size(), 16u);
}

TEST(Lake, InitIsIdempotentAndOpenExplainsMissingLakes) {
  fs::path dir = fs::temp_directory_path() / "lake-test";
  fs::remove_all(dir);
  ASSERT_TRUE(Lake::Init(dir.string()).ok());
  ASSERT_TRUE(WriteFileAtomic((dir / "smelter.toml").string(), "[chunk]\nmax_tokens = 100\n").ok());
  ASSERT_TRUE(Lake::Init(dir.string()).ok());  // keeps the edited config
  auto lake = Lake::Open(dir.string());
  ASSERT_TRUE(lake.ok());
  EXPECT_EQ((*lake)->config().chunk.max_size, 100);
  auto missing = Lake::Open((dir / "nope").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("smelter init"), std::string::npos);
  EXPECT_EQ(Lake::BronzeKey("abcdef"), "bronze/objects/ab/abcdef");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace smelter
