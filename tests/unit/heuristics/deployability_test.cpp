// fit and realistic_capacity as strategies over typed listings, and the promise that the realistic
// profile never changes the seed rule's columns.
#include "glyphsieve/heuristics/deployability.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "glyphsieve/heuristics/heuristics_stage.hpp"
#include "glyphsieve/resources/context.hpp"
#include "glyphsieve/stages/clean.hpp"
#include "run_in_memory.hpp"

namespace glyphsieve {
namespace {

ResourceContext& res() {
  static ResourceContext ctx;
  return ctx;
}

FitStrategy fit_for(const std::string& model, const std::string& quant = "Q4_K_M", std::int64_t context = 8192) {
  Deployment d;
  d.quant = res().quant_types().find(quant);
  d.context = context;
  return FitStrategy(*res().model_catalog().find(model), d, MemoryModel(res().memory_model(), res().quant_types()),
                     res().currencies());
}

EnrichedGPUListing listing(const std::string& model, double vram, std::int64_t count = 1) {
  EnrichedGPUListing g;
  g.canonical_model = model;
  g.vram_gb = vram;
  g.gpu_count = count;
  return g;
}

std::size_t column(const BaseHeuristicStrategy& s, const std::string& name) {
  for (std::size_t i = 0; i < s.outputs().size(); ++i) {
    if (s.outputs()[i].name == name) return i;
  }
  ADD_FAILURE() << "no column " << name;
  return 0;
}

TEST(FitStrategy, AnswersForOneListing) {
  const FitStrategy s = fit_for("llama-3.1-8b");
  EnrichedGPUListing g = listing("GeForce RTX 4090", 24);
  g.price = 1800;
  g.currency = "USD";
  g.memory_bandwidth_gbps = 1008;
  HeuristicResult r;
  s.evaluate(g, r);
  ASSERT_EQ(r.values.size(), s.outputs().size());
  EXPECT_EQ(r.values[column(s, "fits")], HeuristicValue(true));
  EXPECT_EQ(r.values[column(s, "fit_instances")], HeuristicValue(std::int64_t{3}));
  EXPECT_EQ(r.values[column(s, "fit_price_per_instance_usd")], HeuristicValue(600.0));
  EXPECT_EQ(r.values[column(s, "fit_best_quant")], HeuristicValue(std::string("Q8_0")));
  EXPECT_EQ(r.values[column(s, "fit_weights_gib")], HeuristicValue(4.58));
  EXPECT_TRUE(std::holds_alternative<double>(r.values[column(s, "fit_tokens_per_s")]));
  EXPECT_TRUE(std::holds_alternative<std::monostate>(r.values[column(s, "fit_note")]));
}

TEST(FitStrategy, UnknownMemoryLeavesEverythingEmptyAndWarns) {
  const FitStrategy s = fit_for("llama-3.1-8b");
  EnrichedGPUListing g;
  g.canonical_model = "UNKNOWN";
  HeuristicResult r;
  s.evaluate(g, r);
  for (const auto& v : r.values) EXPECT_TRUE(std::holds_alternative<std::monostate>(v));
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0], "fit: vram_gb unknown");
}

TEST(FitStrategy, MeasuredMemoryWinsOverTheNominalSize) {
  // probe's rows: an "80GB" H100 measured at 81,559 MiB.
  const FitStrategy s = fit_for("llama-3.1-70b");
  EnrichedGPUListing g = listing("H100 SXM5 80GB", 80);
  g.memory_total_mib = 81559;
  HeuristicResult r;
  s.evaluate(g, r);
  EXPECT_EQ(r.values[column(s, "fit_usable_gib")], HeuristicValue(71.68));
}

TEST(FitStrategy, ADualGpuBoardIsTwoDevices) {
  // A 24 GB Tesla K80 is two 12 GB GPUs: Llama-3.1-8B F16 (15 GiB) needs both, tensor parallel.
  const FitStrategy s = fit_for("llama-3.1-8b", "F16");
  HeuristicResult r;
  s.evaluate(listing("Tesla K80", 24), r);
  EXPECT_EQ(r.values[column(s, "fit_tensor_parallel")], HeuristicValue(std::int64_t{2}));
  EXPECT_EQ(r.values[column(s, "fit_usable_gib")], HeuristicValue(10.8));
}

TEST(FitStrategy, ATooSmallCardSaysWhy) {
  const FitStrategy s = fit_for("llama-3.1-70b");
  HeuristicResult r;
  s.evaluate(listing("RTX A6000", 48), r);
  EXPECT_EQ(r.values[column(s, "fits")], HeuristicValue(false));
  EXPECT_EQ(r.values[column(s, "fit_instances")], HeuristicValue(std::int64_t{0}));
  EXPECT_EQ(r.values[column(s, "fit_best_quant")], HeuristicValue(std::string("Q3_K_M")));
  EXPECT_EQ(r.values[column(s, "fit_note")], HeuristicValue(std::string("needs 43.41 GiB per GPU, 43.20 GiB usable")));
  EXPECT_TRUE(std::holds_alternative<std::monostate>(r.values[column(s, "fit_price_per_instance_usd")]));
}

TEST(RealisticCapacity, CountsTheWholeListingAndCapsTheContext) {
  const auto s = make_heuristic("realistic_capacity", res());
  HeuristicResult one, two;
  s->evaluate(listing("RTX A6000", 48), one);
  s->evaluate(listing("RTX A6000", 48, 2), two);
  // llama-3.1-8b, llama-2-13b (at its 4096-token maximum), llama-3.1-70b.
  EXPECT_EQ(one.values[2], HeuristicValue(std::int64_t{0}));
  EXPECT_EQ(two.values[2], HeuristicValue(std::int64_t{1}));
  EXPECT_EQ(std::get<std::int64_t>(two.values[0]), 2 * std::get<std::int64_t>(one.values[0]));
  EXPECT_NE(s->outputs()[1].description.find("4096 tokens"), std::string::npos) << s->outputs()[1].description;
}

// The realistic profile adds its own columns and leaves every seed column as it was, row by row.
TEST(RealisticCapacity, TheSeedRulesColumnsAreUnchanged) {
  std::ifstream in(std::string(GLYPHSIEVE_SOURCE_DIR) + "/sample/sample_enriched.csv");
  std::stringstream text;
  text << in.rdbuf();
  const auto run = [&](bool realistic) {
    std::vector<HeuristicRun> runs;
    runs.push_back({make_heuristic("quantization_capacity", res()), true, {}});
    if (realistic) runs.push_back({make_heuristic("realistic_capacity", res()), true, {}});
    Pipeline p;
    p.add(std::make_unique<HeuristicsStage>(std::move(runs)));
    return testing::run_in_memory(p, text.str()).out;
  };
  const auto table = [](const std::string& csv) {
    std::istringstream s(csv);
    CsvReader reader(s, "out.csv");
    std::vector<std::vector<std::string>> rows;
    Row row;
    while (reader.next(row)) rows.emplace_back(row.begin(), row.end());
    return rows;
  };
  const auto seed = table(run(false));
  const auto both = table(run(true));
  ASSERT_EQ(seed.size(), both.size());
  ASSERT_GT(seed.size(), 100u);
  for (std::size_t c = 0; c < seed[0].size(); ++c) {
    if (seed[0][c] == "warnings") continue;  // gains "realistic_capacity: vram_gb unknown" where vram is unknown
    std::size_t in_both = both[0].size();
    for (std::size_t k = 0; k < both[0].size(); ++k) {
      if (both[0][k] == seed[0][c]) in_both = k;
    }
    ASSERT_LT(in_both, both[0].size()) << seed[0][c];
    for (std::size_t r = 1; r < seed.size(); ++r) EXPECT_EQ(seed[r][c], both[r][in_both]) << seed[0][c] << " row " << r;
  }
  EXPECT_NE(both[0].size(), seed[0].size());
}

}  // namespace
}  // namespace glyphsieve
