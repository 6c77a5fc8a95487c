// dedup: same URL, or same model + seller + title at a price within 1%; flag by default, drop on request.
#include "glyphsieve/stages/dedup.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "glyphsieve/pipeline.hpp"
#include "run_in_memory.hpp"

namespace glyphsieve {
namespace {

std::pair<std::string, RunStats> run_dedup(const std::string& csv, bool drop) {
  auto r = testing::run_stage(std::make_unique<DedupStage>(drop), csv);
  return {r.out, r.stats};
}

const char* kListings =
    "title,seller,price,source_url,canonical_model\n"
    "RTX 4090 24GB,Shop A,1600.00,https://a.example/1,GeForce RTX 4090\n"              // line 2: primary
    "RTX 4090 24GB (relisted),Shop B,1500.00,https://a.example/1/,GeForce RTX 4090\n"  // same URL (trailing /)
    "RTX 4090 24GB,shop a,1610.00,https://a.example/2,GeForce RTX 4090\n"              // same model+seller+title, +0.6%
    "RTX 4090 24GB,Shop A,1700.00,https://a.example/3,GeForce RTX 4090\n"              // +6%: a different listing
    "RTX 4090 24GB,Shop C,1600.00,,GeForce RTX 4090\n";                                // other seller

TEST(DedupStage, FlagsDuplicatesWithTheirPrimaryLine) {
  const auto [out, stats] = run_dedup(kListings, false);
  EXPECT_EQ(stats.written, 5);
  EXPECT_EQ(out,
            "title,seller,price,source_url,canonical_model,duplicate_flag,duplicate_of\n"
            "RTX 4090 24GB,Shop A,1600.00,https://a.example/1,GeForce RTX 4090,PRIMARY,\n"
            "RTX 4090 24GB (relisted),Shop B,1500.00,https://a.example/1/,GeForce RTX 4090,DUPLICATE,2\n"
            "RTX 4090 24GB,shop a,1610.00,https://a.example/2,GeForce RTX 4090,DUPLICATE,2\n"
            "RTX 4090 24GB,Shop A,1700.00,https://a.example/3,GeForce RTX 4090,PRIMARY,\n"
            "RTX 4090 24GB,Shop C,1600.00,,GeForce RTX 4090,PRIMARY,\n");
}

TEST(DedupStage, DropsOnlyWhenAsked) {
  const auto [out, stats] = run_dedup(kListings, true);
  EXPECT_EQ(stats.input_rows, 5);
  EXPECT_EQ(stats.written, 3);
  EXPECT_EQ(stats.filtered, 2);
}

TEST(DedupStage, MissingPricesMatchEachOther) {
  const auto [out, stats] = run_dedup("title,seller,price\nA2,X,\nA2,X,\nA2,X,900\n", false);
  EXPECT_NE(out.find("A2,X,,DUPLICATE,2"), std::string::npos);
  EXPECT_NE(out.find("A2,X,900,PRIMARY,"), std::string::npos);
}

TEST(DedupStage, RunningTwiceGivesTheSameFile) {
  const auto once = run_dedup(kListings, false).first;
  EXPECT_EQ(run_dedup(once, false).first, once);
}

}  // namespace
}  // namespace glyphsieve
