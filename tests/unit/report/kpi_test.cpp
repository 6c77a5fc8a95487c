// KPIs, --fail-if gates and the report's frontier section: computed by the collector, parsed and judged.
#include "glyphsieve/report/kpi.hpp"

#include <gtest/gtest.h>

#include <map>

#include "glyphsieve/core/error.hpp"
#include "glyphsieve/report/report.hpp"

namespace glyphsieve::report {
namespace {

using Cells = std::map<std::string, std::string>;

const std::vector<std::string> kHeader = {"title", "canonical_model", "is_valid_gpu", "unknown_reason",
                                          "unit_price_usd", "score", "duplicate_flag"};

std::vector<std::string> row(Cells cells) {
  cells.try_emplace("is_valid_gpu", "true");
  std::vector<std::string> out;
  for (const auto& name : kHeader) out.push_back(cells.count(name) ? cells.at(name) : "");
  return out;
}

Cells gpu(std::string model, std::string price, std::string score) {
  return {{"title", model + " card"}, {"canonical_model", model}, {"unit_price_usd", price}, {"score", score}};
}

std::string usage_error(const std::string& text) {
  try {
    parse_gate(text);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::kUsage);
    return e.what();
  }
  return "";
}

TEST(Gates, ParseEveryOperatorSpacesAndPercent) {
  const Gate a = parse_gate("unknown_rate>0.05");
  EXPECT_EQ(a.kpi, "unknown_rate");
  EXPECT_EQ(a.op, Gate::Op::kGreater);
  EXPECT_DOUBLE_EQ(a.threshold, 0.05);
  EXPECT_EQ(parse_gate("match_rate >= 0.9").op, Gate::Op::kGreaterEqual);
  EXPECT_EQ(parse_gate(" rejected<=3 ").op, Gate::Op::kLessEqual);
  const Gate p = parse_gate("match_rate < 90%");
  EXPECT_EQ(p.op, Gate::Op::kLess);
  EXPECT_DOUBLE_EQ(p.threshold, 0.9);
}

TEST(Gates, BadGatesAreUsageErrorsThatSayWhy) {
  EXPECT_NE(usage_error("unknwn_rate>0.1").find("did you mean 'unknown_rate'"), std::string::npos);
  EXPECT_NE(usage_error("unknown_rate=0.1").find("no comparison operator"), std::string::npos);
  EXPECT_NE(usage_error(">0.1").find("no KPI name"), std::string::npos);
  EXPECT_NE(usage_error("unknown_rate>abc").find("'abc' is not a number"), std::string::npos);
  EXPECT_NE(usage_error("unknown_rate>").find("is not a number"), std::string::npos);
  EXPECT_NE(usage_error("rejected>5%").find("not one"), std::string::npos);  // % only for rates
  EXPECT_NE(usage_error("seconds>nan").find("not a number"), std::string::npos);
}

TEST(Gates, EvaluateFailsWhenTheConditionHoldsOrTheValueIsUnknown) {
  Kpis k;
  k.unknown_rate = 0.08;
  k.rejected = 0;
  const auto results = evaluate_gates(
      {parse_gate("unknown_rate>0.05"), parse_gate("unknown_rate>0.08"), parse_gate("rejected>=0"),
       parse_gate("seconds>100")},
      k);
  ASSERT_EQ(results.size(), 4u);
  EXPECT_TRUE(results[0].failed);
  EXPECT_FALSE(results[1].failed);  // > is strict
  EXPECT_TRUE(results[2].failed);
  EXPECT_TRUE(results[3].failed);  // untimed run: seconds unknown, nothing to vouch for
  EXPECT_EQ(describe(results[0]), "unknown_rate = 0.08 (8.00%), fails unknown_rate>0.05");
}

TEST(Kpis, CollectorCountsEveryRowSeen) {
  ReportCollector c(kHeader, {});
  std::int64_t line = 2;
  c.add(row(gpu("RTX 4090", "1600", "70")), line++);
  c.add(row(gpu("RTX 4090", "", "70")), line++);  // no price
  Cells dup = gpu("RTX 4090", "1600", "70");
  dup["duplicate_flag"] = "DUPLICATE";
  c.add(row(dup), line++);
  c.add(row({{"title", "mystery card"}, {"canonical_model", "UNKNOWN"}, {"is_valid_gpu", "false"}}), line++);
  c.add(row({{"title", "NVLink bridge"}, {"canonical_model", "UNKNOWN"}, {"is_valid_gpu", "false"},
             {"unknown_reason", "non-GPU item: NVLink/SLI bridge"}}),
        line++, false);  // filtered
  c.add_rejected(5);
  const Kpis k = c.finish().kpis;
  EXPECT_EQ(k.listings, 5);
  EXPECT_EQ(k.written, 4);
  EXPECT_EQ(k.filtered, 1);
  EXPECT_EQ(k.rejected, 5);
  EXPECT_EQ(k.rows_read, 10);
  EXPECT_DOUBLE_EQ(k.match_rate, 3.0 / 5);
  EXPECT_DOUBLE_EQ(k.unknown_rate, 1.0 / 5);
  EXPECT_DOUBLE_EQ(k.non_gpu_rate, 1.0 / 5);
  EXPECT_DOUBLE_EQ(k.duplicate_rate, 1.0 / 5);
  EXPECT_DOUBLE_EQ(k.missing_price_rate, 3.0 / 5);
  EXPECT_DOUBLE_EQ(k.rejected_rate, 0.5);
  EXPECT_FALSE(k.seconds);  // the caller's
}

TEST(Kpis, NoRowsMeansZeroRates) {
  ReportCollector c(kHeader, {});
  const Kpis k = c.finish().kpis;
  EXPECT_EQ(k.rows_read, 0);
  EXPECT_EQ(k.match_rate, 0);
  EXPECT_EQ(k.rejected_rate, 0);
}

TEST(ReportFrontier, ListsTheParetoListingsByPriceAndLeavesOutDuplicatesAndInvalid) {
  ReportCollector c(kHeader, {});
  std::int64_t line = 2;
  c.add(row(gpu("A", "100", "50")), line++);   // 2: frontier
  c.add(row(gpu("B", "200", "40")), line++);   // 3: dominated by 2
  c.add(row(gpu("C", "300", "60")), line++);   // 4: frontier
  Cells dup = gpu("D", "50", "99");
  dup["duplicate_flag"] = "DUPLICATE";
  c.add(row(dup), line++);                      // 5: would dominate everything, but a duplicate
  c.add(row({{"title", "x"}, {"canonical_model", "UNKNOWN"}, {"unit_price_usd", "10"}, {"score", "99"}}),
        line++);                                // 6: unknown model
  c.add(row(gpu("E", "300", "60")), line++);   // 7: ties 4 exactly: both stay
  const Report r = c.finish();
  std::vector<std::int64_t> lines;
  for (const auto& e : r.frontier.listings) lines.push_back(e.line);
  EXPECT_EQ(lines, (std::vector<std::int64_t>{2, 4, 7}));
  EXPECT_EQ(r.frontier.candidates, 4);
  EXPECT_EQ(r.frontier.plotted.size(), 4u);
  EXPECT_EQ(std::count_if(r.frontier.plotted.begin(), r.frontier.plotted.end(),
                          [](const ScatterPoint& p) { return p.on_frontier; }),
            3);

  ReportOptions all;
  all.include_invalid = true;
  ReportCollector every(kHeader, all);
  line = 2;
  every.add(row(gpu("A", "100", "50")), line++);
  every.add(row(dup), line++);  // now analysed: it dominates A
  const Report r2 = every.finish();
  ASSERT_EQ(r2.frontier.listings.size(), 1u);
  EXPECT_EQ(r2.frontier.listings[0].line, 3);
}

TEST(ReportFrontier, FlagsAFrontierListingThatIsAPriceAnomaly) {
  ReportCollector c(kHeader, {});
  std::int64_t line = 2;
  for (const char* price : {"200", "210", "190", "205"}) c.add(row(gpu("P100", price, "60")), line++);
  c.add(row(gpu("P100", "19", "60")), line++);  // a typo: a tenth of the median
  const Report r = c.finish();
  ASSERT_EQ(r.frontier.listings.size(), 1u);
  EXPECT_EQ(r.frontier.listings[0].line, 6);
  ASSERT_TRUE(r.frontier.anomaly_ratio[0]);
  EXPECT_NEAR(*r.frontier.anomaly_ratio[0], 19.0 / 200, 1e-9);
  EXPECT_NE(render_markdown(r).find("Flagged as price anomalies"), std::string::npos);
}

TEST(ReportFrontier, TheChartSampleIsBoundedAndKeepsEveryFrontierListing) {
  ReportCollector c(kHeader, {});
  const std::int64_t n = static_cast<std::int64_t>(kScatterSample) * 3;
  for (std::int64_t i = 0; i < n; ++i) {
    // Score rises with price, so each listing is on the frontier when it arrives; the last ten stay on it.
    const bool top = i >= n - 10;
    c.add(row(gpu("M", std::to_string(100 + i), top ? std::to_string(50 + i) : "40")), i + 2);
  }
  const Report r = c.finish();
  EXPECT_EQ(r.frontier.candidates, n);
  EXPECT_LE(r.frontier.plotted.size(), kScatterSample + r.frontier.listings.size());
  EXPECT_GE(r.frontier.plotted.size(), kScatterSample);
  const Report again = c.finish();
  ASSERT_EQ(again.frontier.plotted.size(), r.frontier.plotted.size());
  for (std::size_t i = 0; i < r.frontier.plotted.size(); ++i) {
    EXPECT_EQ(again.frontier.plotted[i].line, r.frontier.plotted[i].line);
  }
}

TEST(ShellJoin, QuotesWhatAShellWouldSplitOrExpand) {
  EXPECT_EQ(shell_join({"pipeline", "-i", "a b.csv", "--fail-if", "unknown_rate>0.05", "it's"}),
            "pipeline -i 'a b.csv' --fail-if 'unknown_rate>0.05' 'it'\\''s'");
  EXPECT_EQ(shell_join({""}), "''");
}

}  // namespace
}  // namespace glyphsieve::report
