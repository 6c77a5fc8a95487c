// report: the collector's numbers (summary, per model, top lists, anomalies, duplicates, data quality) and the
// Markdown / JSON renderings of them, built from rows in memory.
#include "glyphsieve/report/report.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <limits>
#include <map>

#include <nlohmann/json.hpp>

#include "glyphsieve/core/error.hpp"
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
ReportCollector collect(const std::vector<std::string>& header, const std::vector<Cells>& rows) {
  ReportCollector c(header);
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
  ReportCollector c(kHeader);
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
  const Report r = c.finish({});

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
  const Report r = collect(kHeader, {gpu("L4", "", "50")}).finish({});
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
          .finish({});
  EXPECT_DOUBLE_EQ(*r.summary.unit_price.median, 250);
  ASSERT_EQ(r.models.size(), 1u);
  EXPECT_DOUBLE_EQ(*r.models[0].median_price, 250);
}

TEST(Report, PerModelTableAndDollarsPerGigabyte) {
  auto no_vram = gpu("Mystery Card", "500", "40");
  no_vram.erase("vram_gb");
  const Report r = collect(kHeader, {gpu("RTX A6000", "4000", "70"), gpu("GeForce RTX 4090", "1200", "90"),
                                     gpu("GeForce RTX 4090", "1800", "88"), no_vram, gpu("RTX A6000", "", "75")})
                       .finish({});
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
  const Report r = collect(kHeader, rows).finish(options);
  EXPECT_EQ(lines_of(r.top_by_score), (std::vector<std::int64_t>{6, 3, 4, 2, 5}));

  // The same listings arriving in another order rank the same way.
  ReportCollector c(kHeader);
  for (std::int64_t line = 7; line >= 2; --line)
    c.add(make_row(kHeader, rows[static_cast<std::size_t>(line - 2)]), line);
  EXPECT_EQ(lines_of(c.finish(options).top_by_score), (std::vector<std::int64_t>{6, 3, 4, 2, 5}));

  options.top = 2;
  EXPECT_EQ(lines_of(collect(kHeader, rows).finish(options).top_by_score), (std::vector<std::int64_t>{6, 3}));
}

TEST(Report, TopByScorePerDollar) {
  const Report r = collect(kHeader, {gpu("A", "2000", "90"),   // 45 per $1k
                                     gpu("B", "500", "40"),    // 80 per $1k
                                     gpu("C", "", "99"),       // no price: left out
                                     gpu("D", "1000", "45")})  // 45 per $1k too: the higher score goes first
                       .finish({});
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
          .finish({});
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
  const Report c = collect(kHeader, {gpu("A100", "10000", "80"), gpu("A100", "11000", "80"), gpu("A100", "10500", "80"),
                                     gpu("A100", "30000", "80"), gpu("A100", "4000", "80")})
                       .finish(capped);
  EXPECT_EQ(c.anomalies.shown.size(), 1u);
  EXPECT_NE(render_markdown(c).find("…and 1 more anomalies."), std::string::npos);
}

TEST(Report, NoAnomaliesUnderThreeListings) {
  const Report r = collect(kHeader, {gpu("T4", "100", "50"), gpu("T4", "1000", "50"), gpu("T4", "", "50")}).finish({});
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
                       .finish({});
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
  const Report r = collect(kHeader, {gpu("GeForce RTX 4090", "1600", "90"), gpu("L4", "", "50")}).finish({});
  EXPECT_TRUE(r.capacity_keys.empty());
  EXPECT_EQ(lower(render_markdown(r)).find("capacity"), std::string::npos);
  EXPECT_EQ(lower(render_json(r)).find("capacity"), std::string::npos);
}

TEST(Report, MissingScoreColumnIsADataErrorNamingIt) {
  const std::vector<std::string> header = {"title", "canonical_model", "is_valid_gpu", "price"};
  try {
    ReportCollector c(header, "enriched.csv");
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
  ReportCollector c(header);
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
  const Report r = c.finish({});
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
  const Report r = collect(kHeader, {gpu("L4", "300", "50")}).finish({});
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
  const Report without = collect(kHeader, rows).finish({});
  EXPECT_FALSE(without.under_price_limit.has_value());
  EXPECT_EQ(render_markdown(without).find("Best value under"), std::string::npos);
  EXPECT_TRUE(nlohmann::json::parse(render_json(without))["best_under_price_limit"].is_null());

  ReportOptions options;
  options.price_limit = 2000;
  const Report with = collect(kHeader, rows).finish(options);
  ASSERT_TRUE(with.under_price_limit.has_value());
  EXPECT_EQ(with.under_price_limit->qualifying, 3);  // the limit is inclusive
  EXPECT_EQ(lines_of(with.under_price_limit->top), (std::vector<std::int64_t>{5, 3, 4}));
  EXPECT_EQ(markdown_table_rows(render_markdown(with), "Best value under $2,000.00"), 3u);

  options.price_limit = 100;
  const Report none = collect(kHeader, rows).finish(options);
  EXPECT_TRUE(none.under_price_limit->top.empty());
  EXPECT_NE(render_markdown(none).find("No scored listing has a unit price at or under $100.00."), std::string::npos);
}

TEST(Report, JsonParsesAndAgreesWithTheMarkdown) {
  std::vector<Cells> rows;
  for (int i = 0; i < 15; ++i) rows.push_back(gpu("L4", std::to_string(200 + 10 * i), std::to_string(40 + i)));
  ReportOptions options;
  options.top = 5;
  options.source = "scored.csv";
  const Report r = collect(kHeader, rows).finish(options);
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
  const Report a = collect(kHeader, rows).finish(options);
  const Report b = collect(kHeader, rows).finish(options);
  EXPECT_EQ(render_markdown(a), render_markdown(b));
  EXPECT_EQ(render_json(a), render_json(b));
  // Ties among reasons go by name, not by hash order.
  ASSERT_EQ(a.quality.non_gpu_reasons.size(), 2u);
  EXPECT_EQ(a.quality.non_gpu_reasons[0].reason, "NVLink/SLI bridge");
  EXPECT_EQ(a.quality.non_gpu_reasons[1].reason, "PCIe riser");
}

TEST(Report, UnparseableNumbersAndShortRowsCountAsEmpty) {
  ReportCollector c(kHeader);
  c.add(make_row(kHeader, gpu("L4", "12,49O.00", "abc")), 2);
  c.add(make_row(kHeader, gpu("L4", "nan", "inf")), 3);
  c.add(make_row(kHeader, gpu("L4", "-5", "1e999")), 4);
  c.add({"only a title"}, 5);  // shorter than the header
  c.add({}, 6);
  const Report r = c.finish({});
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
  const Report r = collect(kHeader, {ambiguous, unknown, unknown, gpu("L4", "300", "50")}).finish({});
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
  const Report r = collect(kHeader, {gpu("GeForce RTX 4090", "1600", "90", long_title)}).finish({});
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
  const Report r = collect(kHeader, {row}).finish({});
  const std::string md = render_markdown(r);
  EXPECT_EQ(md.find("<script>"), std::string::npos) << md;
  EXPECT_EQ(md.find("<b>"), std::string::npos);
  EXPECT_EQ(md.find("!["), std::string::npos);
  EXPECT_NE(md.find("\\<script\\>alert(1)\\</script\\> \\!\\[x\\](http://e.example/t.png) \\*b\\* \\`c\\`"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("\\[Shop\\](javascript:alert(1)) \\& \\<b\\>"), std::string::npos) << md;
}

TEST(Report, OptionsOutOfRangeAreUsageErrors) {
  const ReportCollector c = collect(kHeader, {gpu("L4", "300", "50")});
  ReportOptions bad_ratio;
  bad_ratio.anomaly_ratio = 1.0;
  ReportOptions bad_top;
  bad_top.top = -1;
  ReportOptions bad_limit;
  bad_limit.price_limit = -5;
  for (const auto& options : {bad_ratio, bad_top, bad_limit}) {
    try {
      (void)c.finish(options);
      ADD_FAILURE() << "expected a usage error";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ExitCode::kUsage);
    }
  }
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
  EXPECT_EQ(parse_number(" 12.5 "), 12.5);
  EXPECT_FALSE(parse_number("12.5x").has_value());
  EXPECT_FALSE(parse_integer("3.0").has_value());
}

}  // namespace
}  // namespace glyphsieve::report
