// Pipeline driver: row accounting, ragged rows, strict mode, column preservation.
#include "glyphsieve/pipeline.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "glyphsieve/core/error.hpp"
#include "glyphsieve/resources/context.hpp"
#include "glyphsieve/stages/clean.hpp"
#include "glyphsieve/stages/enrich.hpp"
#include "glyphsieve/stages/normalize.hpp"
#include "run_in_memory.hpp"

namespace glyphsieve {
namespace {

struct Result {
  std::string out;
  RunStats stats;
  std::vector<std::pair<std::int64_t, std::string>> rejects;
};

Result run_all(const std::string& csv, bool strict = false, bool filter_invalid = false) {
  static ResourceContext ctx;
  Pipeline p;
  p.add(std::make_unique<CleanStage>(ctx.header_aliases(), ctx.currencies()));
  p.add(std::make_unique<NormalizeStage>(ctx.registry(), ctx.model_patterns(), 80, filter_invalid));
  p.add(std::make_unique<EnrichStage>(ctx.registry()));
  Result r;
  RunOptions opt;
  opt.strict = strict;
  opt.on_reject = [&](std::int64_t line, const std::string& reason, const Row&, std::size_t) {
    r.rejects.emplace_back(line, reason);
  };
  auto run = testing::run_in_memory(p, csv, opt);
  r.out = std::move(run.out);
  r.stats = run.stats;
  return r;
}

// Acceptance 3: quoted newline, BOM, CRLF and one ragged row.
TEST(Pipeline, QuotedNewlineBomCrlfAndARaggedRow) {
  const std::string csv =
      "\xEF\xBB\xBFtitle,price,notes\r\n"
      "NVIDIA RTX A6000 48GB,\"$4,399\",\"line one\r\nline two\"\r\n"
      "RTX 4090,1599,short,extra\r\n"
      "AMD Radeon RX 7900 XTX,999,ok\r\n";
  const Result r = run_all(csv);
  EXPECT_EQ(r.stats.input_rows, 3);
  EXPECT_EQ(r.stats.written, 2);
  EXPECT_EQ(r.stats.rejected, 1);
  EXPECT_EQ(r.stats.input_rows, r.stats.written + r.stats.rejected + r.stats.filtered);
  ASSERT_EQ(r.rejects.size(), 1u);
  EXPECT_EQ(r.rejects[0].first, 4);  // line 4: the quoted newline takes lines 2-3
  EXPECT_EQ(r.rejects[0].second, "expected 3 fields, found 4");
  EXPECT_NE(r.out.find("\"line one\r\nline two\""), std::string::npos);
  EXPECT_EQ(r.out.rfind("title,price,notes,", 0), 0u);  // BOM gone, input columns first and in order
}

TEST(Pipeline, StrictMakesARaggedRowFatal) {
  try {
    run_all("title,price\nRTX 4090,1\nbad\n", /*strict=*/true);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "in.csv:3: expected 2 fields, found 1 (--strict)");
  }
}

TEST(Pipeline, FilterInvalidIsCounted) {
  const Result r = run_all("title\nRTX 4090 24GB\nNVIDIA NVLink Bridge 2-Slot for RTX A6000\n", false, true);
  EXPECT_EQ(r.stats.input_rows, 2);
  EXPECT_EQ(r.stats.written, 1);
  EXPECT_EQ(r.stats.filtered, 1);
}

TEST(Pipeline, EmptyInputIsAnError) { EXPECT_THROW(run_all(""), Error); }

TEST(Pipeline, HeaderOnlyGivesHeaderOnly) {
  const Result r = run_all("title,price\n");
  EXPECT_EQ(r.stats.input_rows, 0);
  EXPECT_EQ(r.out.substr(0, 12), "title,price,");
}

TEST(Pipeline, RunningTwiceAddsNoColumns) {
  const Result once =
      run_all("Listing Title,Price_USD\nPNY NVIDIA RTX A6000 48GB GDDR6 VCNRTXA6000-PB,\"$4,650.00\"\n");
  const Result twice = run_all(once.out);
  EXPECT_EQ(once.out, twice.out);
}

}  // namespace
}  // namespace glyphsieve
