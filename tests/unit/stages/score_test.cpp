// score: terms, weights, price sensitivity at the high end, currency and bundles, row independence.
#include "glyphsieve/stages/score.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "glyphsieve/core/error.hpp"
#include "glyphsieve/pipeline.hpp"
#include "glyphsieve/resources/context.hpp"
#include "run_in_memory.hpp"

namespace glyphsieve {
namespace {

ResourceContext& ctx() {
  static ResourceContext c;
  return c;
}

Scorer scorer(ScoringConfig c = ScoringConfig{}) {
  return Scorer(std::move(c), ctx().quantization_heuristic(), ctx().currencies());
}

EnrichedGPUListing a100(double price) {
  EnrichedGPUListing g;
  g.canonical_model = "A100 PCIe 80GB";
  g.vram_gb = 80;
  g.tdp_watts = 300;
  g.mig_support = 7;
  g.nvlink = true;
  g.price = price;
  g.currency = "USD";
  return g;
}

TEST(Scorer, ShippedConfigEqualsTheDefaults) {
  const ScoringConfig& c = ctx().scoring();
  EXPECT_EQ(c.weights, ScoringConfig{}.weights);
  EXPECT_EQ(c.price_half_usd, ScoringConfig{}.price_half_usd);
}

TEST(Scorer, PriceStillSeparatesExpensiveCards) {
  // No flat cap: a $12,000 card scores clearly above the same card at $30,000, and $30,000 above $60,000.
  const Scorer s = scorer();
  const double at12 = *s.score(a100(12000)).score;
  const double at30 = *s.score(a100(30000)).score;
  const double at60 = *s.score(a100(60000)).score;
  EXPECT_GT(at12 - at30, 2.0);
  EXPECT_GT(at30, at60);
  // The price term itself is 5000 / (5000 + p).
  ScoringConfig only_price;
  for (auto& [n, w] : only_price.weights) w = n == "price" ? 1 : 0;
  EXPECT_NEAR(*scorer(only_price).score(a100(12000)).score, 100.0 * 5000 / 17000, 1e-9);
  EXPECT_NEAR(*scorer(only_price).score(a100(30000)).score, 100.0 * 5000 / 35000, 1e-9);
}

TEST(Scorer, EachTermAlone) {
  const auto only = [](const char* name) {
    ScoringConfig c;
    for (auto& [n, w] : c.weights) w = n == name ? 2 : 0;  // any positive weight: normalised away
    return c;
  };
  const EnrichedGPUListing g = a100(10000);
  EXPECT_NEAR(*scorer(only("vram")).score(g).score, 100.0 * std::log2(81) / std::log2(193), 1e-9);
  EXPECT_NEAR(*scorer(only("mig")).score(g).score, 100.0, 1e-9);
  EXPECT_NEAR(*scorer(only("nvlink")).score(g).score, 100.0, 1e-9);
  EXPECT_NEAR(*scorer(only("tdp")).score(g).score, 50.0, 1e-9);
  // 80 GB fits 7b, 13b and 70b (3 of 3 sizes) and is capable: 100.
  EXPECT_NEAR(*scorer(only("quantization")).score(g).score, 100.0, 1e-9);
  EXPECT_NEAR(*scorer(only("quantization")).score(g).quantization_score, 100.0, 1e-9);
}

TEST(Scorer, RawScoreIsTheWeightedSumAndScoreItsShareOfTheWeights) {
  const Scorer s = scorer();
  const ScoreBreakdown b = s.score(a100(10000));
  double sum = 0;
  for (const auto& [n, w] : ScoringConfig{}.weights) sum += w;
  EXPECT_NEAR(*b.score, 100.0 * *b.raw_score / sum, 1e-9);
  EXPECT_GE(*b.score, 0.0);
  EXPECT_LE(*b.score, 100.0);
}

TEST(Scorer, QuantizationScoreCountsSizesThatFitAndCapable) {
  EnrichedGPUListing g = a100(1000);
  g.vram_gb = 14;  // 7b and 13b fit, 70b does not; under 24 GB so not capable
  EXPECT_NEAR(*scorer().score(g).quantization_score, 100.0 * 0.7 * 2 / 3, 1e-9);
}

TEST(Scorer, UnitPriceDividesBundlesAndConvertsCurrency) {
  EnrichedGPUListing g = a100(40000);
  g.gpu_count = 4;
  EXPECT_DOUBLE_EQ(*scorer().unit_price_usd(g), 10000);
  g.gpu_count = 1;
  g.price = 1000;
  g.currency = "EUR";
  EXPECT_DOUBLE_EQ(*scorer().unit_price_usd(g), 1000 * *ctx().currencies().find("EUR")->usd_rate);
  g.currency = "XYZ";  // no rate: no USD price, and no price credit
  EXPECT_FALSE(scorer().unit_price_usd(g));
  EXPECT_TRUE(scorer().score(g).score);
}

TEST(Scorer, NotAGpuOrUnknownVramIsNotScored) {
  EnrichedGPUListing g = a100(100);
  g.is_valid_gpu = false;
  EXPECT_FALSE(scorer().score(g).score);
  g = a100(100);
  g.vram_gb.reset();
  EXPECT_FALSE(scorer().score(g).score);
  EXPECT_TRUE(scorer().score(g).unit_price_usd);  // the price is still known
}

TEST(Scorer, WeightsAreValidated) {
  ScoringConfig c;
  c.weights[0].second = -1;
  EXPECT_THROW(validate_weights(c), Error);
  for (auto& [n, w] : c.weights) w = 0;
  try {
    validate_weights(c);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::kUsage);
  }
  auto zero = ResourceContext::from_strings({{"scoring_weights.yaml", "weights: {vram: 0, price: 0}\n"}});
  EXPECT_THROW(zero.scoring(), Error);
  auto typo = ResourceContext::from_strings({{"scoring_weights.yaml", "weights: {vram: 1, prices: 1}\n"}});
  try {
    typo.scoring();
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean 'price'"), std::string::npos) << e.what();
  }
}

std::string score_csv(const std::string& csv) {
  return testing::run_stage(
             std::make_unique<ScoreStage>(ctx().scoring(), ctx().quantization_heuristic(), ctx().currencies()), csv)
      .out;
}

TEST(ScoreStage, ARowScoresTheSameWhateverElseIsInTheFile) {
  const std::string header = "canonical_model,price,currency,gpu_count,vram_gb,tdp_watts,mig_support,nvlink\n";
  const std::string row = "L40S,8000,USD,1,48,350,0,false\n";
  const std::string alone = score_csv(header + row);
  const std::string crowd =
      score_csv(header + "H100 SXM5 80GB,32000,USD,1,80,700,7,true\n" + row + "T4,300,USD,1,16,70,0,false\n");
  const std::string scored_row = alone.substr(alone.find('\n') + 1);
  EXPECT_NE(crowd.find(scored_row), std::string::npos) << alone << "\n" << crowd;
}

TEST(ScoreStage, WritesItsColumnsAndLeavesUnscorableRowsEmpty) {
  const std::string out = score_csv("canonical_model,price,vram_gb,gpu_count\nUNKNOWN,100,,1\nX,\"2,000\",24,1\n");
  EXPECT_EQ(out.substr(0, out.find('\n')),
            "canonical_model,price,vram_gb,gpu_count,unit_price_usd,raw_score,quantization_score,score");
  EXPECT_NE(out.find("UNKNOWN,100,,1,100.00,,,\n"), std::string::npos) << out;
  // "2,000" is not a clean price: the row is rejected, not silently scored.
  EXPECT_EQ(out.find("X,"), std::string::npos) << out;
}

TEST(ScoreStage, NeedsVramColumn) { EXPECT_THROW(score_csv("canonical_model,price\nA,1\n"), Error); }

}  // namespace
}  // namespace glyphsieve
