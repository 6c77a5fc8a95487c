// Pipeline driver: row accounting, ragged rows, strict mode, column preservation.
#include "glyphsieve/pipeline.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include <fmt/format.h>

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

namespace glyphsieve {
namespace {

// --threads: a stage that counts rows, filters every 7th, rejects every 11th and throws on one line.
class Probe final : public Stage {
 public:
  explicit Probe(std::int64_t throw_at) : throw_at_(throw_at) {}
  std::string_view name() const override { return "probe"; }
  void bind(Header& header) override { out_ = header.ensure("probe"); }
  RowOutcome process(Row& row, std::int64_t line) override {
    ++rows_;
    if (line == throw_at_) throw_data_error("probe failed", Location{"in.csv", line});
    row[out_] = std::to_string(line * 3);
    if (line % 11 == 0) return RowOutcome::reject(fmt::format("line {} is a multiple of 11", line));
    if (line % 7 == 0) return RowOutcome::filter("multiple of 7");
    return RowOutcome::keep();
  }
  std::string summary() const override { return std::to_string(rows_) + " rows"; }
  std::unique_ptr<Stage> clone() const override { return std::make_unique<Probe>(*this); }
  void merge(const Stage& other) override { rows_ += dynamic_cast<const Probe&>(other).rows_; }

 private:
  std::int64_t throw_at_;
  std::size_t out_ = 0;
  std::int64_t rows_ = 0;
};

struct Observed {
  std::string out, events, summary, error;
  RunStats stats;
};

Observed run_probe(int threads, std::int64_t throw_at = -1, bool strict = false) {
  std::string csv = "a,b\n";
  for (int i = 2; i <= 5000; ++i) csv += (i == 3000 ? std::string("ragged\n") : fmt::format("{},x\n", i));
  Pipeline p;
  p.add(std::make_unique<Probe>(throw_at));
  Observed o;
  RunOptions opt;
  opt.threads = threads;
  opt.strict = strict;
  opt.on_reject = [&](std::int64_t line, const std::string& reason, const Row&, std::size_t) {
    o.events += fmt::format("reject {} {}\n", line, reason);
  };
  opt.on_row = [&](const Row& row, std::int64_t line, bool written) {
    o.events += fmt::format("row {} {} {}\n", line, written, row.back());
  };
  std::istringstream in(csv);
  std::ostringstream out;
  CsvReader reader(in, "in.csv");
  try {
    CsvWriter writer(out);
    o.stats = p.run(reader, writer, opt);
    writer.flush();
  } catch (const Error& e) {
    o.error = e.what();
  }
  o.out = out.str();
  o.summary = p.stages()[0]->summary();
  return o;
}

TEST(PipelineThreads, EveryThreadCountGivesTheSameRun) {
  const Observed one = run_probe(1);
  EXPECT_EQ(one.stats.input_rows, 4999);
  EXPECT_EQ(one.stats.input_rows, one.stats.written + one.stats.rejected + one.stats.filtered);
  EXPECT_EQ(one.summary, "4998 rows");  // the ragged row never reaches the stage
  for (const int threads : {2, 3, 8}) {
    const Observed many = run_probe(threads);
    EXPECT_EQ(many.out, one.out) << threads;
    EXPECT_EQ(many.events, one.events) << threads;
    EXPECT_EQ(many.summary, one.summary) << threads;
    EXPECT_EQ(many.stats.written, one.stats.written);
    EXPECT_EQ(many.stats.rejected, one.stats.rejected);
    EXPECT_EQ(many.stats.filtered, one.stats.filtered);
    ASSERT_EQ(many.stats.stages.size(), 1u);
    EXPECT_EQ(many.stats.stages[0].rows_in, 4998);
  }
}

// What the rows before a failure did (written, reported) is the same too, and the error is the same.
TEST(PipelineThreads, AStageErrorAndStrictModeStopAtTheSameRow) {
  const Observed one = run_probe(1, 2500);
  EXPECT_EQ(one.error, "in.csv:2500: probe failed");
  const Observed strict_one = run_probe(1, -1, true);
  EXPECT_EQ(strict_one.error, "in.csv:11: line 11 is a multiple of 11 (--strict)");
  for (const int threads : {2, 8}) {
    const Observed many = run_probe(threads, 2500);
    EXPECT_EQ(many.error, one.error);
    EXPECT_EQ(many.events, one.events);
    const Observed strict_many = run_probe(threads, -1, true);
    EXPECT_EQ(strict_many.error, strict_one.error);
    EXPECT_EQ(strict_many.events, strict_one.events);
  }
}

}  // namespace
}  // namespace glyphsieve
