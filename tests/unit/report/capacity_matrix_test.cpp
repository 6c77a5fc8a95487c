// The report's capacity matrix: the cheapest listing per model and quantization by price per instance,
// tensor-parallel listings, price anomalies passed over, and no matrix without a memory column.
#include <gtest/gtest.h>

#include <map>

#include "glyphsieve/report/report.hpp"
#include "glyphsieve/resources/context.hpp"

namespace glyphsieve::report {
namespace {

ResourceContext& res() {
  static ResourceContext ctx;
  return ctx;
}

std::shared_ptr<const CapacityMatrixSpec> spec(const std::vector<std::string>& models) {
  auto s = std::make_shared<CapacityMatrixSpec>(
      CapacityMatrixSpec{{}, {}, 8192, MemoryModel(res().memory_model(), res().quant_types())});
  for (const auto& id : models) s->models.push_back(res().model_catalog().find(id));
  s->quants.push_back(res().quant_types().find("Q4_K_M"));
  return s;
}

const std::vector<std::string> kHeader = {"title",          "canonical_model", "is_valid_gpu", "score",
                                          "unit_price_usd", "vram_gb",         "gpu_count",    "memory_bandwidth_gbps"};

struct Listing {
  std::string model;
  double unit_price;
  int vram;
  int count;
};

Report run(const std::vector<Listing>& listings, const std::vector<std::string>& models,
           const std::vector<std::string>& header = kHeader) {
  ReportOptions options;
  options.capacity_matrix = spec(models);
  ReportCollector c(header, options);
  std::int64_t line = 2;
  for (const Listing& l : listings) {
    std::map<std::string, std::string> cells = {{"title", l.model + " listing"},
                                                {"canonical_model", l.model},
                                                {"is_valid_gpu", "true"},
                                                {"score", "50"},
                                                {"unit_price_usd", std::to_string(l.unit_price)},
                                                {"vram_gb", std::to_string(l.vram)},
                                                {"gpu_count", std::to_string(l.count)},
                                                {"memory_bandwidth_gbps", "1000"}};
    std::vector<std::string> row;
    for (const auto& h : header) row.push_back(cells.count(h) ? cells[h] : "");
    c.add(row, line++);
  }
  return c.finish();
}

TEST(CapacityMatrix, CheapestPerInstanceWins) {
  // 8B Q4_K_M at 8k: 3 per 24 GB card, 6 per 48 GB card. $1,500 / 3 = $500 beats $3,600 / 6 = $600.
  const Report r = run({{"RTX A6000", 3600, 48, 1}, {"GeForce RTX 3090", 1500, 24, 1}}, {"llama-3.1-8b"});
  ASSERT_TRUE(r.capacity_matrix);
  const CapacityCell& c = r.capacity_matrix->rows.at(0).cells.at(0);
  ASSERT_TRUE(c.served);
  EXPECT_EQ(c.gpu, "GeForce RTX 3090");
  EXPECT_EQ(c.line, 3);
  EXPECT_EQ(c.instances, 3);
  EXPECT_DOUBLE_EQ(c.usd_per_instance, 500);
  EXPECT_TRUE(c.tokens_per_s.has_value());
}

TEST(CapacityMatrix, ATensorParallelPairServesWhatNoSingleCardDoes) {
  const Report r = run({{"RTX A6000", 4000, 48, 1}, {"RTX A6000", 3900, 48, 2}}, {"llama-3.1-70b"});
  const CapacityCell& c = r.capacity_matrix->rows.at(0).cells.at(0);
  ASSERT_TRUE(c.served);
  EXPECT_EQ(c.gpu_count, 2);
  EXPECT_EQ(c.instances, 1);
  EXPECT_DOUBLE_EQ(c.usd_per_instance, 7800);  // the listing's price: two cards at $3,900
}

TEST(CapacityMatrix, NothingServesAModelTooBigForEveryListing) {
  const Report r = run({{"GeForce RTX 3090", 1500, 24, 1}}, {"llama-3.1-405b"});
  EXPECT_FALSE(r.capacity_matrix->rows.at(0).cells.at(0).served);
}

TEST(CapacityMatrix, ACheapAnomalyIsPassedOverForTheNextListingOfTheSameHardware) {
  // Median $1,500; a $300 listing of the same card is below 1/2 of it: a typo or a scam.
  const Report r = run({{"GeForce RTX 3090", 1500, 24, 1},
                        {"GeForce RTX 3090", 1400, 24, 1},
                        {"GeForce RTX 3090", 1600, 24, 1},
                        {"GeForce RTX 3090", 300, 24, 1}},
                       {"llama-3.1-8b"});
  const CapacityCell& c = r.capacity_matrix->rows.at(0).cells.at(0);
  EXPECT_EQ(c.line, 3);  // the $1,400 listing
  EXPECT_EQ(r.capacity_matrix->skipped, 1);
}

TEST(CapacityMatrix, NoMemoryColumnNoMatrix) {
  std::vector<std::string> header = kHeader;
  header.erase(std::find(header.begin(), header.end(), "vram_gb"));
  EXPECT_FALSE(run({{"GeForce RTX 3090", 1500, 24, 1}}, {"llama-3.1-8b"}, header).capacity_matrix);
  EXPECT_NE(render_markdown(run({{"GeForce RTX 3090", 1500, 24, 1}}, {"llama-3.1-8b"})).find("## Capacity matrix"),
            std::string::npos);
}

}  // namespace
}  // namespace glyphsieve::report
