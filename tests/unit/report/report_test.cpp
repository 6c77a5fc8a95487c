// report: the collector's numbers (summary, per model, top lists, anomalies, duplicates, data quality) and the
// Markdown / JSON renderings of them, built from rows in memory.
#include "glyphsieve/report/report.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <limits>
#include <map>
#include <numeric>
#include <random>

#include <nlohmann/json.hpp>

#include "glyphsieve/core/error.hpp"
#include "glyphsieve/core/text.hpp"
#include "report/format.hpp"

namespace glyphsieve::report {
namespace {

using Cells = std::map<std::string, std::string>;

const std::vector<std::string> kHeader = {"title",          "canonical_model", "is_valid_gpu", "unknown_reason",
                                          "unit_price_usd", "vram_gb",         "seller",       "score"};

// A row in `header` order from named cells; unnamed cells are empty. Valid GPU by default.
std::vector<std::string> make_row(const std::vector<std::string>& header, Cells cells) {
  cells.try_emplace("is_valid_gpu", "true");
  std::vector<std::string> row;
  for (const auto& name : header) row.push_back(cells.count(name) ? cells.at(name) : "");
  return row;
}

// Adds rows at input lines 2, 3, ... (line 1 is the header).
ReportCollector collect(const std::vector<std::string>& header, const std::vector<Cells>& rows,
                        const ReportOptions& options = {}) {
  ReportCollector c(header, options);
  std::int64_t line = 2;
  for (const auto& cells : rows) c.add(make_row(header, cells), line++);
  return c;
}

Cells gpu(std::string model, std::string price, std::string score, std::string title = "a listing") {
  return {{"title", std::move(title)},
          {"canonical_model", std::move(model)},
          {"unit_price_usd", std::move(price)},
          {"score", std::move(score)},
          {"vram_gb", "24"},
          {"seller", "Shop"}};
}

std::vector<std::int64_t> lines_of(const std::vector<ListingEntry>& entries) {
  std::vector<std::int64_t> out;
  for (const auto& e : entries) out.push_back(e.line);
  return out;
}

// Body rows of the first table under "## <heading>" (0 when the section has no table).
std::size_t markdown_table_rows(const std::string& md, const std::string& heading) {
  const std::size_t start = md.find("## " + heading + "\n");
  if (start == std::string::npos) return 0;
  std::size_t end = md.find("\n## ", start + 3);
  if (end == std::string::npos) end = md.size();
  std::size_t rows = 0, pos = start;
  bool in_table = false;
  while (pos < end) {
    std::size_t eol = md.find('\n', pos);
    if (eol == std::string::npos) eol = md.size();
    const bool is_row = md.compare(pos, 1, "|") == 0;
    if (is_row) {
      in_table = true;
      ++rows;
    } else if (in_table) {
      break;
    }
    pos = eol + 1;
  }
  return rows >= 2 ? rows - 2 : 0;  // minus the column names and the rule
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

TEST(Report, SummaryCountsEveryKindOfRow) {
  ReportCollector c(kHeader, {});
  c.add(make_row(kHeader, gpu("GeForce RTX 4090", "1600", "90")), 2);
  c.add(make_row(kHeader, gpu("GeForce RTX 4090", "1800", "85")), 3);
  c.add(make_row(kHeader, gpu("RTX A6000", "4000", "70")), 4);
  c.add(make_row(kHeader, gpu("RTX A6000", "", "72")), 5);  // no price
  c.add(make_row(kHeader, {{"title", "NVLink bridge"},
                           {"canonical_model", "UNKNOWN"},
                           {"is_valid_gpu", "false"},
                           {"unknown_reason", "non-GPU item: NVLink/SLI bridge"}}),
        6, /*written=*/false);  // filtered by --filter-invalid
  c.add(make_row(kHeader, {{"title", "Mystery GPU 9000"},
                           {"canonical_model", "UNKNOWN"},
                           {"unknown_reason", "GPU model not in the registry"}}),
        7);
  c.add(make_row(kHeader, gpu("GeForce RTX 3090", "700", "60")), 8, /*written=*/false);  // valid but filtered
  c.add_rejected(2);
  const Report r = c.finish();

  EXPECT_EQ(r.summary.listings, 7);
  EXPECT_EQ(r.summary.written, 5);
  EXPECT_EQ(r.summary.filtered, 2);
  EXPECT_EQ(r.summary.valid_gpus, 5);
  EXPECT_EQ(r.summary.analysed, 4);
  EXPECT_EQ(r.summary.distinct_models, 2);
  EXPECT_EQ(r.summary.unit_price.count, 3);
  EXPECT_DOUBLE_EQ(*r.summary.unit_price.min, 1600);
  EXPECT_DOUBLE_EQ(*r.summary.unit_price.median, 1800);
  EXPECT_DOUBLE_EQ(*r.summary.unit_price.mean, 2466.0 + 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(*r.summary.unit_price.max, 4000);
  EXPECT_EQ(r.quality.rejected, 2);
  EXPECT_EQ(r.quality.non_gpu, 1);
  ASSERT_EQ(r.quality.non_gpu_reasons.size(), 1u);
  EXPECT_EQ(r.quality.non_gpu_reasons[0].reason, "NVLink/SLI bridge");
  EXPECT_EQ(r.quality.unmatched, 1);
  EXPECT_EQ(r.quality.without_price, 3);  // the A6000 without price, the bridge, the mystery GPU
  EXPECT_EQ(r.quality.analysed_without_price, 1);

  const std::string md = render_markdown(r);
  EXPECT_NE(md.find("- Listings: 7 (5 written, 2 filtered)"), std::string::npos) << md;
  EXPECT_NE(md.find("min $1,600.00 · median $1,800.00 · mean $2,466.67 · max $4,000.00"), std::string::npos) << md;
}

TEST(Report, SummarySaysNotAvailableWithoutPrices) {
  const Report r = collect(kHeader, {gpu("L4", "", "50")}).finish();
  EXPECT_EQ(r.summary.unit_price.count, 0);
  EXPECT_FALSE(r.summary.unit_price.median.has_value());
  EXPECT_NE(render_markdown(r).find("- Unit price (USD): n/a"), std::string::npos);
  EXPECT_TRUE(nlohmann::json::parse(render_json(r))["summary"]["unit_price_usd"]["median"].is_null());
}

TEST(Report, MedianOfOddAndEvenCounts) {
  EXPECT_EQ(median({3, 1, 2}), 2.0);
  EXPECT_EQ(median({4, 1, 3, 2}), 2.5);  // mean of the two middle values
  EXPECT_EQ(median({7}), 7.0);
  EXPECT_FALSE(median({}).has_value());
  EXPECT_DOUBLE_EQ(*median({1e308, 1e308}), 1e308);  // no overflow to infinity

  const Report r =
      collect(kHeader, {gpu("L4", "100", "50"), gpu("L4", "400", "50"), gpu("L4", "200", "50"), gpu("L4", "300", "50")})
          .finish();
  EXPECT_DOUBLE_EQ(*r.summary.unit_price.median, 250);
  ASSERT_EQ(r.models.size(), 1u);
  EXPECT_DOUBLE_EQ(*r.models[0].median_price, 250);
}

TEST(Report, PerModelTableAndDollarsPerGigabyte) {
  auto no_vram = gpu("Mystery Card", "500", "40");
  no_vram.erase("vram_gb");
  const Report r = collect(kHeader, {gpu("RTX A6000", "4000", "70"), gpu("GeForce RTX 4090", "1200", "90"),
                                     gpu("GeForce RTX 4090", "1800", "88"), no_vram, gpu("RTX A6000", "", "75")})
                       .finish();
  ASSERT_EQ(r.models.size(), 3u);
  // Count desc, then name: the two 2-listing models alphabetically, then the single one.
  EXPECT_EQ(r.models[0].model, "GeForce RTX 4090");
  EXPECT_EQ(r.models[1].model, "RTX A6000");
  EXPECT_EQ(r.models[2].model, "Mystery Card");
  EXPECT_DOUBLE_EQ(*r.models[0].median_price, 1500);
  EXPECT_DOUBLE_EQ(*r.models[0].usd_per_gb, 62.5);  // 1500 / 24 GB
  EXPECT_DOUBLE_EQ(*r.models[0].best_score, 90);
  EXPECT_EQ(r.models[1].count, 2);
  EXPECT_EQ(r.models[1].priced, 1);
  EXPECT_DOUBLE_EQ(*r.models[1].best_score, 75);
  EXPECT_FALSE(r.models[2].usd_per_gb.has_value());  // no VRAM known

  const std::string md = render_markdown(r);
  EXPECT_NE(md.find("| GeForce RTX 4090 | 2 | $1,200.00 | $1,500.00 | $1,800.00 | $62.50 | 90.0 |"), std::string::npos)
      << md;
  EXPECT_NE(md.find("| Mystery Card | 1 | $500.00 | $500.00 | $500.00 | n/a | 40.0 |"), std::string::npos) << md;
  EXPECT_DOUBLE_EQ(nlohmann::json::parse(render_json(r))["models"][0]["usd_per_gb"].get<double>(), 62.5);
}

TEST(Report, TopListTiesGoToLowerPriceThenEarlierLine) {
  const std::vector<Cells> rows = {
      gpu("L40S", "8000", "80"),  // line 2
      gpu("L40S", "7000", "80"),  // line 3: same score, cheaper
      gpu("L40S", "7000", "80"),  // line 4: same score and price, later line
      gpu("L40S", "", "80"),      // line 5: no price goes last among the 80s
      gpu("L40S", "9000", "95"),  // line 6: best score
      gpu("L40S", "9000", ""),    // line 7: no score, not listed
  };
  ReportOptions options;
  options.top = 10;
  const Report r = collect(kHeader, rows, options).finish();
  EXPECT_EQ(lines_of(r.top_by_score), (std::vector<std::int64_t>{6, 3, 4, 2, 5}));

  // The same listings arriving in another order rank the same way.
  ReportCollector c(kHeader, options);
  for (std::int64_t line = 7; line >= 2; --line)
    c.add(make_row(kHeader, rows[static_cast<std::size_t>(line - 2)]), line);
  EXPECT_EQ(lines_of(c.finish().top_by_score), (std::vector<std::int64_t>{6, 3, 4, 2, 5}));

  options.top = 2;
  EXPECT_EQ(lines_of(collect(kHeader, rows, options).finish().top_by_score), (std::vector<std::int64_t>{6, 3}));
}

TEST(Report, TopByScorePerDollar) {
  const Report r = collect(kHeader, {gpu("A", "2000", "90"),   // 45 per $1k
                                     gpu("B", "500", "40"),    // 80 per $1k
                                     gpu("C", "", "99"),       // no price: left out
                                     gpu("D", "1000", "45")})  // 45 per $1k too: the higher score goes first
                       .finish();
  EXPECT_EQ(lines_of(r.top_by_value), (std::vector<std::int64_t>{3, 2, 5}));
  EXPECT_DOUBLE_EQ(*r.top_by_value[0].score_per_kusd, 80);
  EXPECT_NE(render_markdown(r).find("| 1 | 80.00 | 40.0 | B | $500.00 |"), std::string::npos);
}

TEST(Report, PriceAnomaliesAgainstTheModelMedian) {
  const Report r =
      collect(kHeader, {gpu("A100", "10000", "80"), gpu("A100", "11000", "80"), gpu("A100", "10500", "80"),
                        gpu("A100", "30000", "80", "A100 gold plated"), gpu("A100", "4000", "80", "A100 too cheap"),
                        // only two priced listings: never checked, however far apart
                        gpu("T4", "100", "50"), gpu("T4", "1000", "50")})
          .finish();
  EXPECT_EQ(r.anomalies.models_checked, 1);
  ASSERT_EQ(r.anomalies.total, 2);
  ASSERT_EQ(r.anomalies.shown.size(), 2u);
  // Median of 4000, 10000, 10500, 11000, 30000 is 10500; 30000 is 2.86x, 4000 is 0.38x (2.625x off).
  EXPECT_EQ(r.anomalies.shown[0].listing.title, "A100 gold plated");
  EXPECT_DOUBLE_EQ(r.anomalies.shown[0].model_median, 10500);
  EXPECT_NEAR(r.anomalies.shown[0].ratio, 30000.0 / 10500.0, 1e-12);
  EXPECT_EQ(r.anomalies.shown[1].listing.title, "A100 too cheap");

  ReportOptions capped;
  capped.top = 1;
  const Report c = collect(kHeader,
                           {gpu("A100", "10000", "80"), gpu("A100", "11000", "80"), gpu("A100", "10500", "80"),
                            gpu("A100", "30000", "80"), gpu("A100", "4000", "80")},
                           capped)
                       .finish();
  EXPECT_EQ(c.anomalies.shown.size(), 1u);
  EXPECT_NE(render_markdown(c).find("…and 1 more anomalies."), std::string::npos);
}

TEST(Report, NoAnomaliesUnderThreeListings) {
  const Report r = collect(kHeader, {gpu("T4", "100", "50"), gpu("T4", "1000", "50"), gpu("T4", "", "50")}).finish();
  EXPECT_EQ(r.anomalies.models_checked, 0);
  EXPECT_EQ(r.anomalies.total, 0);
  const std::string md = render_markdown(r);
  EXPECT_NE(md.find("above 2× or below 1/2× its model's median"), std::string::npos) << md;
  EXPECT_NE(md.find("None found."), std::string::npos);
}

const std::vector<std::string> kCapacityHeader = {"title",
                                                  "canonical_model",
                                                  "is_valid_gpu",
                                                  "unit_price_usd",
                                                  "score",
                                                  "quantization_capacity",
                                                  "quantization_capacity.7b",
                                                  "quantization_capacity.13b",
                                                  "quantization_capacity.70b"};

TEST(Report, CapacityColumnsIncludedWhenPresent) {
  const Report r = collect(kCapacityHeader, {{{"title", "RTX 4090 24GB"},
                                              {"canonical_model", "GeForce RTX 4090"},
                                              {"unit_price_usd", "1600"},
                                              {"score", "90"},
                                              {"quantization_capacity", R"({"7b":3,"13b":1,"70b":0})"},
                                              {"quantization_capacity.7b", "3"},
                                              {"quantization_capacity.13b", "1"},
                                              {"quantization_capacity.70b", "0"}}})
                       .finish();
  EXPECT_EQ(r.capacity_keys, (std::vector<std::string>{"7b", "13b", "70b"}));  // header order
  ASSERT_EQ(r.models.size(), 1u);
  EXPECT_EQ(r.models[0].capacity, (std::vector<std::optional<std::int64_t>>{3, 1, 0}));

  const std::string md = render_markdown(r);
  EXPECT_NE(md.find("| Capacity 7b | Capacity 13b | Capacity 70b |"), std::string::npos) << md;
  EXPECT_NE(md.find("| 7b:3 13b:1 70b:0 |"), std::string::npos) << md;
  const auto json = nlohmann::json::parse(render_json(r));
  EXPECT_EQ(json["top_by_score"][0]["quantization_capacity"]["13b"], 1);
  EXPECT_EQ(json["quantization_capacity_keys"].size(), 3u);
}

TEST(Report, CapacityNeverMentionedWhenAbsent) {
  const Report r = collect(kHeader, {gpu("GeForce RTX 4090", "1600", "90"), gpu("L4", "", "50")}).finish();
  EXPECT_TRUE(r.capacity_keys.empty());
  EXPECT_EQ(lower(render_markdown(r)).find("capacity"), std::string::npos);
  EXPECT_EQ(lower(render_json(r)).find("capacity"), std::string::npos);
}

TEST(Report, MissingScoreColumnIsADataErrorNamingIt) {
  const std::vector<std::string> header = {"title", "canonical_model", "is_valid_gpu", "price"};
  try {
    ReportCollector c(header, {}, "enriched.csv");
    FAIL() << "expected an Error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::kDataError);
    EXPECT_EQ(e.where().field, "score");
    EXPECT_NE(std::string(e.what()).find("enriched.csv:1: column 'score':"), std::string::npos) << e.what();
  }
}

TEST(Report, DuplicatesSectionWhenDedupRan) {
  const std::vector<std::string> header = {"title", "canonical_model", "is_valid_gpu", "unit_price_usd",
                                           "score", "duplicate_flag",  "duplicate_of"};
  ReportCollector c(header, {});
  c.add(make_row(header, {{"title", "RTX 4090"},
                          {"canonical_model", "GeForce RTX 4090"},
                          {"unit_price_usd", "1600"},
                          {"score", "90"},
                          {"duplicate_flag", "PRIMARY"}}),
        2);
  c.add(make_row(header, {{"title", "RTX 4090 relisted"},
                          {"canonical_model", "GeForce RTX 4090"},
                          {"unit_price_usd", "1600"},
                          {"score", "90"},
                          {"duplicate_flag", "DUPLICATE"},
                          {"duplicate_of", "2"}}),
        3);
  c.add(make_row(header, {{"title", "RTX 4090 again"},
                          {"canonical_model", "GeForce RTX 4090"},
                          {"unit_price_usd", "1610"},
                          {"score", "90"},
                          {"duplicate_flag", "DUPLICATE"},
                          {"duplicate_of", "2"}}),
        4, /*written=*/false);  // dropped by --drop-duplicates
  const Report r = c.finish();
  EXPECT_TRUE(r.duplicates.dedup_ran);
  EXPECT_EQ(r.duplicates.count, 2);
  ASSERT_EQ(r.duplicates.shown.size(), 2u);
  EXPECT_EQ(r.duplicates.shown[0].line, 3);
  EXPECT_EQ(r.duplicates.shown[0].duplicate_of, 2);
  EXPECT_EQ(r.summary.analysed, 1);  // duplicates stay out of the statistics
  EXPECT_EQ(r.top_by_score.size(), 1u);

  const std::string md = render_markdown(r);
  EXPECT_NE(md.find("- Duplicate rows: 2"), std::string::npos) << md;
  EXPECT_NE(md.find("| 3 | 2 | RTX 4090 relisted |"), std::string::npos) << md;
  const auto json = nlohmann::json::parse(render_json(r));
  EXPECT_EQ(json["duplicates"]["count"], 2);
  EXPECT_EQ(json["duplicates"]["examples"][1]["line"], 4);
}

TEST(Report, DuplicatesSectionSaysDedupDidNotRun) {
  const Report r = collect(kHeader, {gpu("L4", "300", "50")}).finish();
  EXPECT_FALSE(r.duplicates.dedup_ran);
  const std::string md = render_markdown(r);
  EXPECT_NE(md.find("Deduplication did not run"), std::string::npos);
  EXPECT_NE(md.find("--dedup"), std::string::npos);
  const auto json = nlohmann::json::parse(render_json(r));
  EXPECT_EQ(json["duplicates"]["dedup_ran"], false);
  EXPECT_FALSE(json["duplicates"].contains("count"));
}

TEST(Report, PriceLimitSectionOnlyWithTheOption) {
  const std::vector<Cells> rows = {gpu("A", "2500", "95"), gpu("B", "1500", "80"), gpu("C", "900", "70"),
                                   gpu("D", "2000", "85")};
  const Report without = collect(kHeader, rows).finish();
  EXPECT_FALSE(without.under_price_limit.has_value());
  EXPECT_EQ(render_markdown(without).find("Best value under"), std::string::npos);
  EXPECT_TRUE(nlohmann::json::parse(render_json(without))["best_under_price_limit"].is_null());

  ReportOptions options;
  options.price_limit = 2000;
  const Report with = collect(kHeader, rows, options).finish();
  ASSERT_TRUE(with.under_price_limit.has_value());
  EXPECT_EQ(with.under_price_limit->qualifying, 3);  // the limit is inclusive
  EXPECT_EQ(lines_of(with.under_price_limit->top), (std::vector<std::int64_t>{5, 3, 4}));
  EXPECT_EQ(markdown_table_rows(render_markdown(with), "Best value under $2,000.00"), 3u);

  options.price_limit = 100;
  const Report none = collect(kHeader, rows, options).finish();
  EXPECT_TRUE(none.under_price_limit->top.empty());
  EXPECT_NE(render_markdown(none).find("No scored listing has a unit price at or under $100.00."), std::string::npos);
}

TEST(Report, JsonParsesAndAgreesWithTheMarkdown) {
  std::vector<Cells> rows;
  for (int i = 0; i < 15; ++i) rows.push_back(gpu("L4", std::to_string(200 + 10 * i), std::to_string(40 + i)));
  ReportOptions options;
  options.top = 5;
  options.source = "scored.csv";
  const Report r = collect(kHeader, rows, options).finish();
  const std::string md = render_markdown(r);
  const std::string text = render_json(r);
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  EXPECT_EQ(text.compare(0, 4, "{\n  "), 0);  // 2-space indent
  const auto json = nlohmann::json::parse(text);
  EXPECT_EQ(json["source"], "scored.csv");
  EXPECT_EQ(json["top_by_score"].size(), 5u);
  EXPECT_EQ(markdown_table_rows(md, "Top listings by score"), json["top_by_score"].size());
  EXPECT_EQ(markdown_table_rows(md, "Top listings by score per dollar"), json["top_by_score_per_dollar"].size());
  EXPECT_EQ(json["summary"]["listings"], 15);
  EXPECT_EQ(json["top_by_score"][0]["score"], 54.0);
  EXPECT_EQ(md.rfind("# GPU listing report: scored.csv\n", 0), 0u);
}

TEST(Report, DeterministicOutput) {
  const std::vector<Cells> rows = {
      gpu("L4", "300", "50"),
      gpu("GeForce RTX 4090", "1600", "90"),
      gpu("GeForce RTX 4090", "1600", "90", "same again"),
      {{"title", "bridge"},
       {"canonical_model", "UNKNOWN"},
       {"is_valid_gpu", "false"},
       {"unknown_reason", "non-GPU item: NVLink/SLI bridge"}},
      {{"title", "riser"},
       {"canonical_model", "UNKNOWN"},
       {"is_valid_gpu", "false"},
       {"unknown_reason", "non-GPU item: PCIe riser"}},
      {{"title", "what is this"}, {"canonical_model", "UNKNOWN"}, {"unknown_reason", "GPU model not in the registry"}},
  };
  ReportOptions options;
  options.price_limit = 1000;
  const Report a = collect(kHeader, rows, options).finish();
  const Report b = collect(kHeader, rows, options).finish();
  EXPECT_EQ(render_markdown(a), render_markdown(b));
  EXPECT_EQ(render_json(a), render_json(b));
  // Ties among reasons go by name, not by hash order.
  ASSERT_EQ(a.quality.non_gpu_reasons.size(), 2u);
  EXPECT_EQ(a.quality.non_gpu_reasons[0].reason, "NVLink/SLI bridge");
  EXPECT_EQ(a.quality.non_gpu_reasons[1].reason, "PCIe riser");
}

TEST(Report, UnparseableNumbersAndShortRowsCountAsEmpty) {
  ReportCollector c(kHeader, {});
  c.add(make_row(kHeader, gpu("L4", "12,49O.00", "abc")), 2);
  c.add(make_row(kHeader, gpu("L4", "nan", "inf")), 3);
  c.add(make_row(kHeader, gpu("L4", "-5", "1e999")), 4);
  c.add({"only a title"}, 5);  // shorter than the header
  c.add({}, 6);
  const Report r = c.finish();
  EXPECT_EQ(r.summary.listings, 5);
  EXPECT_EQ(r.summary.analysed, 3);
  EXPECT_EQ(r.summary.unit_price.count, 0);
  EXPECT_TRUE(r.top_by_score.empty());
  EXPECT_EQ(r.quality.without_price, 5);
  EXPECT_EQ(r.quality.unmatched, 2);  // the short rows have no model
  EXPECT_NE(render_markdown(r).find("No valid GPU listing has a score."), std::string::npos);
}

TEST(Report, DataQualityListsUnmatchedTitlesByFrequency) {
  const Cells unknown = {{"title", "Mystery GPU 9000"},
                         {"canonical_model", "UNKNOWN"},
                         {"unknown_reason", "GPU model not in the registry"}};
  const Cells ambiguous = {
      {"title", "RTX 4090 or 4080"}, {"canonical_model", "UNKNOWN"}, {"unknown_reason", "ambiguous: could be A or B"}};
  const Report r = collect(kHeader, {ambiguous, unknown, unknown, gpu("L4", "300", "50")}).finish();
  EXPECT_EQ(r.quality.unmatched, 3);
  EXPECT_EQ(r.quality.unmatched_titles_total, 2);
  ASSERT_EQ(r.quality.unmatched_titles.size(), 2u);
  EXPECT_EQ(r.quality.unmatched_titles[0].title, "Mystery GPU 9000");
  EXPECT_EQ(r.quality.unmatched_titles[0].count, 2);
  EXPECT_EQ(r.quality.unmatched_titles[0].reason, "GPU model not in the registry");
  EXPECT_NE(render_markdown(r).find("| Mystery GPU 9000 | GPU model not in the registry | 2 |"), std::string::npos);
}

TEST(Report, MarkdownEscapesPipesAndShortensLongTitles) {
  const std::string long_title =
      "NVIDIA GeForce RTX 4090 Founders Edition 24GB GDDR6X | boxed | with receipt and the original packaging too";
  const Report r = collect(kHeader, {gpu("GeForce RTX 4090", "1600", "90", long_title)}).finish();
  const std::string md = render_markdown(r);
  EXPECT_NE(md.find("24GB GDDR6X \\| boxed \\| with"), std::string::npos) << md;
  EXPECT_NE(md.find("…"), std::string::npos);
  EXPECT_EQ(md.find("original packaging"), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(render_json(r))["top_by_score"][0]["title"], long_title);  // JSON keeps it whole
}

TEST(Report, HostileTitlesAndSellersShowAsTextNotMarkup) {
  // Titles and sellers come from the web: none of this may become a tag, an image, a link or emphasis.
  Cells row = gpu("GeForce RTX 4090", "1600", "90", "<script>alert(1)</script> ![x](http://e.example/t.png) *b* `c`");
  row["seller"] = "[Shop](javascript:alert(1)) & <b>";
  const Report r = collect(kHeader, {row}).finish();
  const std::string md = render_markdown(r);
  EXPECT_EQ(md.find("<script>"), std::string::npos) << md;
  EXPECT_EQ(md.find("<b>"), std::string::npos);
  EXPECT_EQ(md.find("!["), std::string::npos);
  EXPECT_NE(md.find("\\<script\\>alert(1)\\</script\\> \\!\\[x\\](http://e.example/t.png) \\*b\\* \\`c\\`"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("\\[Shop\\](javascript:alert(1)) \\& \\<b\\>"), std::string::npos) << md;
}

// The collector keeps only the best `top` rows of each list while streaming: the rows at the cut must be the ones a
// full sort would keep, ties included, whatever order the rows arrive in.
TEST(Report, TopListsKeepTheBestAcrossTiesAtTheCut) {
  const std::map<std::int64_t, Cells> rows = {
      {2, gpu("L40S", "", "90", "line 2")},        // no price: last among the 90s
      {3, gpu("L40S", "5000", "95", "line 3")},    // best score; 19 per $1k
      {4, gpu("L40S", "1000", "90", "line 4")},    // 90 per $1k
      {7, gpu("L40S", "900", "90", "line 7")},     // 100 per $1k
      {10, gpu("L40S", "1000", "90", "line 10")},  // same as line 4 but later
      {11, gpu("L4", "100", "80", "line 11")},     // 800 per $1k
      {12, gpu("L4", "100", "80", "line 12")},     // same as line 11 but later
      {13, gpu("L4", "50", "40", "line 13")},      // 800 per $1k too, lower score
  };
  ReportOptions options;
  options.top = 2;
  options.price_limit = 1000;
  ReportCollector c(kHeader, options);
  for (const std::int64_t line : {10, 12, 13, 2, 11, 7, 3, 4}) c.add(make_row(kHeader, rows.at(line)), line);
  const Report r = c.finish();
  // By score: 3; then the 90s by price (7 at $900 before 4 and 10 at $1,000); the cut falls among the 90s.
  EXPECT_EQ(lines_of(r.top_by_score), (std::vector<std::int64_t>{3, 7}));
  // By value: 11, 12 and 13 all make 800 per $1k; 13 has the lower score; 11 and 12 differ only by line.
  EXPECT_EQ(lines_of(r.top_by_value), (std::vector<std::int64_t>{11, 12}));
  // Under $1,000 (inclusive): 7, then 4 and 10 differ only by line (10 arrived first and had to make way).
  ASSERT_TRUE(r.under_price_limit.has_value());
  EXPECT_EQ(r.under_price_limit->qualifying, 6);  // 4, 7, 10, 11, 12, 13: an exact count, not capped
  EXPECT_EQ(lines_of(r.under_price_limit->top), (std::vector<std::int64_t>{7, 4}));
  // The kept entries are complete listings.
  EXPECT_EQ(r.under_price_limit->top[1].title, "line 4");
  EXPECT_EQ(r.under_price_limit->top[1].seller, "Shop");
  EXPECT_EQ(r.under_price_limit->top[1].model, "L40S");
  EXPECT_DOUBLE_EQ(*r.top_by_value[0].score_per_kusd, 800);

  options.top = 0;  // every list empty, the counts unchanged
  const Report none = collect(kHeader, {rows.at(4), rows.at(7)}, options).finish();
  EXPECT_TRUE(none.top_by_score.empty());
  EXPECT_TRUE(none.top_by_value.empty());
  EXPECT_TRUE(none.under_price_limit->top.empty());
  EXPECT_EQ(none.under_price_limit->qualifying, 2);
}

// A model's most extreme listings may be its cheapest and its dearest at once, and another model's may rank between
// them; listings off by the same ratio go by line.
TEST(Report, AnomaliesRankAcrossModelsAndBothEndsOfAModel) {
  std::vector<std::pair<std::int64_t, Cells>> rows;
  std::int64_t line = 20;
  for (int i = 0; i < 5; ++i) rows.push_back({line++, gpu("A", "100", "50", "A usual")});
  for (int i = 0; i < 5; ++i) rows.push_back({line++, gpu("B", "1000", "50", "B usual")});
  rows.push_back({9, gpu("A", "20000", "50", "A dearest")});  // 200x: |log| 5.30
  rows.push_back({8, gpu("A", "300", "50", "A dear")});       // 3x: 1.10
  rows.push_back({7, gpu("A", "30", "50", "A cheap")});       // 0.3x: 1.20
  rows.push_back({6, gpu("A", "5", "50", "A cheapest")});     // 0.05x: 3.00, as B's cheapest, at a later line
  rows.push_back({5, gpu("B", "40000", "50", "B dearest")});  // 40x: 3.69
  rows.push_back({4, gpu("B", "50", "50", "B cheapest")});    // 0.05x: 3.00
  ReportOptions options;
  options.top = 3;
  ReportCollector c(kHeader, options);
  for (const auto& [l, cells] : rows) c.add(make_row(kHeader, cells), l);
  const Report r = c.finish();
  EXPECT_EQ(r.anomalies.models_checked, 2);
  EXPECT_EQ(r.anomalies.total, 6);  // every anomaly counts, not only those kept as candidates
  std::vector<std::string> titles;
  for (const auto& a : r.anomalies.shown) titles.push_back(a.listing.title);
  EXPECT_EQ(titles, (std::vector<std::string>{"A dearest", "B dearest", "B cheapest"}));
  ASSERT_EQ(r.anomalies.shown.size(), 3u);
  EXPECT_DOUBLE_EQ(r.anomalies.shown[0].model_median, 100);
  EXPECT_DOUBLE_EQ(r.anomalies.shown[1].model_median, 1000);
  EXPECT_DOUBLE_EQ(r.anomalies.shown[2].ratio, 0.05);

  options.top = 10;  // room for all of them: the rest in |log ratio| order
  ReportCollector all(kHeader, options);
  for (const auto& [l, cells] : rows) all.add(make_row(kHeader, cells), l);
  titles.clear();
  for (const auto& a : all.finish().anomalies.shown) titles.push_back(a.listing.title);
  EXPECT_EQ(titles,
            (std::vector<std::string>{"A dearest", "B dearest", "B cheapest", "A cheapest", "A cheap", "A dear"}));
}

TEST(Report, AnomalyCheckStartsAtExactlyTheMinimumPricedListings) {
  std::vector<Cells> rows;
  for (std::int64_t i = 0; i + 1 < kAnomalyMinListings; ++i) rows.push_back(gpu("Checked", "100", "50"));
  rows.push_back(gpu("Checked", "1000", "50", "ten times"));  // kAnomalyMinListings priced listings
  rows.push_back(gpu("Checked", "", "50"));
  for (std::int64_t i = 0; i + 2 < kAnomalyMinListings; ++i) rows.push_back(gpu("Unchecked", "100", "50"));
  rows.push_back(gpu("Unchecked", "1000", "50"));  // one priced listing short, however many without a price
  rows.push_back(gpu("Unchecked", "", "50"));
  rows.push_back(gpu("Unchecked", "", "50"));
  ReportOptions options;
  options.top = 1;
  const Report r = collect(kHeader, rows, options).finish();
  EXPECT_EQ(r.anomalies.models_checked, 1);
  EXPECT_EQ(r.anomalies.total, 1);
  ASSERT_EQ(r.anomalies.shown.size(), 1u);
  EXPECT_EQ(r.anomalies.shown[0].listing.title, "ten times");
  EXPECT_DOUBLE_EQ(r.anomalies.shown[0].ratio, 10);
}

TEST(Report, DuplicatesBeyondTopAreCountedNotKept) {
  const std::vector<std::string> header = {"title", "canonical_model", "is_valid_gpu",
                                           "score", "duplicate_flag",  "duplicate_of"};
  ReportOptions options;
  options.top = 2;
  ReportCollector c(header, options);
  for (std::int64_t line = 2; line <= 7; ++line) {
    const bool dup = line != 2;
    c.add(make_row(header, {{"title", "copy " + std::to_string(line)},
                            {"canonical_model", "L4"},
                            {"score", "50"},
                            {"duplicate_flag", dup ? "DUPLICATE" : "PRIMARY"},
                            {"duplicate_of", dup ? "2" : ""}}),
          line, /*written=*/line % 2 == 0);
  }
  const Report r = c.finish();
  EXPECT_EQ(r.duplicates.count, 5);
  ASSERT_EQ(r.duplicates.shown.size(), 2u);  // the first two in input order
  EXPECT_EQ(r.duplicates.shown[0].line, 3);
  EXPECT_EQ(r.duplicates.shown[1].line, 4);
  EXPECT_EQ(r.duplicates.shown[1].title, "copy 4");
  EXPECT_EQ(r.duplicates.shown[1].duplicate_of, 2);
  EXPECT_NE(render_markdown(r).find("- Duplicate rows: 5"), std::string::npos);
}

// With `top` as large as the input, every row is kept and the lists are full sorts. The report for a small `top`
// must be exactly that report cut to `top`: random rows with many ties, lines out of input order.
TEST(Report, SmallTopIsTheFullSortCut) {
  std::vector<std::string> header = kHeader;
  header.insert(header.end(), {"duplicate_flag", "duplicate_of", "quantization_capacity.7b"});
  const std::vector<std::string> models = {"A", "A", "B", "C", "UNKNOWN", ""};
  const std::vector<std::string> prices = {"", "5", "50", "100", "100", "100", "120", "1000", "x", "0"};
  const std::vector<std::string> scores = {"", "10", "50", "50", "90", "12.5"};
  std::mt19937 rng(20240611);
  const auto pick = [&rng](const std::vector<std::string>& from) {
    return from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(rng)];
  };
  for (int round = 0; round < 100; ++round) {
    const auto n = std::uniform_int_distribution<std::int64_t>(0, 60)(rng);
    std::vector<std::int64_t> lines(static_cast<std::size_t>(n));
    std::iota(lines.begin(), lines.end(), 2);
    std::shuffle(lines.begin(), lines.end(), rng);
    std::vector<std::pair<std::vector<std::string>, bool>> rows;
    for (std::int64_t i = 0; i < n; ++i) {
      const std::string model = pick(models), price = pick(prices), score = pick(scores);
      Cells cells = gpu(model, price, score, "title " + pick(scores));
      cells["is_valid_gpu"] = rng() % 10 == 0 ? "false" : "true";
      cells["duplicate_flag"] = rng() % 5 == 0 ? "DUPLICATE" : "PRIMARY";
      cells["quantization_capacity.7b"] = pick({"", "1", "3"});
      rows.push_back({make_row(header, cells), rng() % 8 != 0});
    }
    ReportOptions options;
    options.price_limit = 100;
    options.top = 1000000;
    ReportCollector full(header, options);
    for (std::size_t i = 0; i < rows.size(); ++i) full.add(rows[i].first, lines[i], rows[i].second);
    const Report everything = full.finish();
    for (const int top : {0, 1, 2, 3, 7}) {
      options.top = top;
      ReportCollector c(header, options);
      for (std::size_t i = 0; i < rows.size(); ++i) c.add(rows[i].first, lines[i], rows[i].second);
      Report expected = everything;
      expected.options.top = top;
      const auto cut = [top](auto& list) { list.resize(std::min(list.size(), static_cast<std::size_t>(top))); };
      cut(expected.top_by_score);
      cut(expected.top_by_value);
      cut(expected.under_price_limit->top);
      cut(expected.anomalies.shown);
      cut(expected.duplicates.shown);
      cut(expected.quality.unmatched_titles);
      const Report r = c.finish();
      ASSERT_EQ(render_json(r), render_json(expected)) << "round " << round << ", top " << top;
      ASSERT_EQ(render_markdown(r), render_markdown(expected)) << "round " << round << ", top " << top;
    }
  }
}

TEST(Report, OptionsOutOfRangeAreUsageErrors) {
  ReportOptions bad_ratio;
  bad_ratio.anomaly_ratio = 1.0;
  ReportOptions nan_ratio;
  nan_ratio.anomaly_ratio = std::numeric_limits<double>::quiet_NaN();
  ReportOptions bad_top;
  bad_top.top = -1;
  ReportOptions bad_limit;
  bad_limit.price_limit = -5;
  ReportOptions nan_limit;
  nan_limit.price_limit = std::numeric_limits<double>::quiet_NaN();
  const std::vector<std::string> no_score = {"title", "canonical_model", "is_valid_gpu"};
  for (const auto& options : {bad_ratio, nan_ratio, bad_top, bad_limit, nan_limit}) {
    EXPECT_THROW(check_options(options), Error);
    // The collector checks its options first: a usage error even when the header would be a data error too.
    for (const auto& header : {kHeader, no_score}) {
      try {
        ReportCollector c(header, options);
        ADD_FAILURE() << "expected a usage error";
      } catch (const Error& e) {
        EXPECT_EQ(e.code(), ExitCode::kUsage);
        EXPECT_EQ(std::string(e.what()).rfind("report: ", 0), 0u) << e.what();
      }
    }
  }
  EXPECT_NO_THROW(check_options({}));
}

TEST(ReportFormat, PricesCellsAndTitles) {
  EXPECT_EQ(format_usd(1299), "$1,299.00");
  EXPECT_EQ(format_usd(1234567.891), "$1,234,567.89");
  EXPECT_EQ(format_usd(999.999), "$1,000.00");
  EXPECT_EQ(format_usd(-5), "-$5.00");
  EXPECT_EQ(format_usd(-0.001), "$0.00");
  EXPECT_EQ(format_usd(std::numeric_limits<double>::infinity()), "n/a");
  EXPECT_EQ(format_trimmed(2.0, 2), "2");
  EXPECT_EQ(format_trimmed(2.5, 2), "2.5");
  EXPECT_EQ(format_trimmed(1500, 2), "1,500");
  EXPECT_EQ(md_cell("a|b\nc"), "a\\|b c");
  EXPECT_EQ(shorten("short"), "short");
  EXPECT_EQ(shorten("ééééé", 4), "ééé…");  // counts characters, cuts between them
  EXPECT_EQ(cell_number(" 12.5 "), 12.5);
  EXPECT_FALSE(cell_number("12.5x").has_value());
  EXPECT_FALSE(parse_integer("3.0").has_value());
}

}  // namespace
}  // namespace glyphsieve::report
