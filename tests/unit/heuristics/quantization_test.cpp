// quantization_capacity and quantization_capable: the rules, their boundaries and their configs.
#include "glyphsieve/heuristics/quantization.hpp"

#include <gtest/gtest.h>

#include "glyphsieve/core/error.hpp"
#include "glyphsieve/resources/context.hpp"

namespace glyphsieve {
namespace {

EnrichedGPUListing card(std::optional<double> vram, std::optional<std::int64_t> tdp, std::optional<std::int64_t> mig) {
  EnrichedGPUListing g;
  g.canonical_model = "test card";
  g.vram_gb = vram;
  g.tdp_watts = tdp;
  g.mig_support = mig;
  return g;
}

QuantizationCapacitySpec capacity(double vram_gb) {
  return QuantizationCapacityStrategy(QuantizationCapacityConfig{}).compute(vram_gb);
}

TEST(QuantizationCapacity, FourteenGigabytes) {
  const auto s = capacity(14);
  EXPECT_EQ(s.get("7b"), 3);
  EXPECT_EQ(s.get("13b"), 1);
  EXPECT_EQ(s.get("70b"), 0);
}

TEST(QuantizationCapacity, FortyEightGigabytes) {
  const auto s = capacity(48);
  EXPECT_EQ(s.get("7b"), 13);
  EXPECT_EQ(s.get("13b"), 7);
  EXPECT_EQ(s.get("70b"), 1);
}

TEST(QuantizationCapacity, AtOrBelowTheOverheadEverythingIsZero) {
  for (const double vram : {2.0, 1.5, 0.0}) {
    const auto s = capacity(vram);
    ASSERT_EQ(s.counts().size(), 3u) << vram;
    for (const auto& [key, n] : s.counts()) EXPECT_EQ(n, 0) << key << " at " << vram << " GB";
  }
}

TEST(QuantizationCapacity, ExactFitsAreNotLostToRounding) {
  // (9 - 2) / 3.5 is exactly 2; (39 - 2) / 6.5 is 5.69.
  EXPECT_EQ(capacity(9).get("7b"), 2);
  EXPECT_EQ(capacity(72).get("70b"), 2);
}

TEST(QuantizationCapacity, CompactJsonInConfigOrder) {
  EXPECT_EQ(capacity(14).to_json(), R"({"7b":3,"13b":1,"70b":0})");
}

TEST(QuantizationCapacity, UnknownVramGivesEmptyValuesAndAWarningNotZeros) {
  const QuantizationCapacityStrategy s{QuantizationCapacityConfig{}};
  HeuristicResult r;
  s.evaluate(card(std::nullopt, 300, 7), r);
  ASSERT_EQ(r.values.size(), 3u);
  for (const auto& v : r.values) EXPECT_TRUE(std::holds_alternative<std::monostate>(v));
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0], "quantization_capacity: vram_gb unknown");
}

TEST(QuantizationCapacity, ValuesAreIntegersNamedBySize) {
  const QuantizationCapacityStrategy s{QuantizationCapacityConfig{}};
  HeuristicResult r;
  s.evaluate(card(48, 300, 7), r);
  ASSERT_EQ(s.outputs().size(), 3u);
  EXPECT_EQ(s.outputs()[0].name, "quantization_capacity.7b");
  EXPECT_EQ(s.outputs()[2].name, "quantization_capacity.70b");
  EXPECT_EQ(r.values[0], HeuristicValue(std::int64_t{13}));
  EXPECT_EQ(r.values[2], HeuristicValue(std::int64_t{1}));
  EXPECT_TRUE(r.warnings.empty());
}

TEST(QuantizationCapacity, NegativeCountsCannotBeBuilt) {
  EXPECT_THROW(QuantizationCapacitySpec({{"7b", -1}}), std::invalid_argument);
}

TEST(QuantizationCapacity, ConfigComesFromTheResourceContextAndANewSizeAddsAKey) {
  auto ctx = ResourceContext::from_strings(
      {{"quantization_heuristic.yaml", "overhead_gb: 4\nmodels:\n  7b: 3.5\n  34b: 17\n  70b: 35\n"}});
  const auto s = make_heuristic("quantization_capacity", ctx);
  ASSERT_EQ(s->outputs().size(), 3u);
  EXPECT_EQ(s->outputs()[1].name, "quantization_capacity.34b");
  HeuristicResult r;
  s->evaluate(card(40, 300, 0), r);  // (40 - 4) = 36 usable
  EXPECT_EQ(r.values[0], HeuristicValue(std::int64_t{10}));
  EXPECT_EQ(r.values[1], HeuristicValue(std::int64_t{2}));
  EXPECT_EQ(r.values[2], HeuristicValue(std::int64_t{1}));
}

TEST(QuantizationCapacity, BadConfigNamesFileLineAndKey) {
  auto ctx = ResourceContext::from_strings(
      {{"quantization_heuristic.yaml", "overhead_gb: 2\nmodels:\n  7b: 3.5\n  13b: -6.5\n"}});
  try {
    ctx.quantization_heuristic();
    FAIL() << "negative model size accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.where().file, "quantization_heuristic.yaml");
    EXPECT_EQ(e.where().line, 4);
    EXPECT_EQ(e.where().field, "13b");
  }
  auto typo = ResourceContext::from_strings({{"quantization_heuristic.yaml", "overhead: 2\nmodels:\n  7b: 3.5\n"}});
  try {
    typo.quantization_heuristic();
    FAIL() << "unknown key accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("overhead_gb"), std::string::npos) << e.what();
  }
}

// ---------------------------------------------------------------- quantization_capable

std::pair<bool, std::string_view> capable(std::optional<double> vram, std::optional<std::int64_t> tdp,
                                          std::optional<std::int64_t> mig) {
  return QuantizationCapableStrategy(QuantizationCapableConfig{}).judge(card(vram, tdp, mig));
}

TEST(QuantizationCapable, ACardMeetingAllThree) {
  // A100 PCIe 80GB: 80 GB, 300 W, MIG 7.
  EXPECT_EQ(capable(80, 300, 7), std::make_pair(true, std::string_view("meets_all")));
}

TEST(QuantizationCapable, TwentyGigabytesMisses) {
  EXPECT_EQ(capable(20, 70, 7), std::make_pair(false, std::string_view("vram_below_min")));
}

TEST(QuantizationCapable, Boundaries) {
  EXPECT_TRUE(capable(24, 165, 4).first);  // 24 GB is enough (A30)
  EXPECT_TRUE(capable(48, 300, 1).first);  // 300 W is allowed
  EXPECT_EQ(capable(48, 301, 1), std::make_pair(false, std::string_view("tdp_above_max")));
  EXPECT_EQ(capable(48, 300, 0), std::make_pair(false, std::string_view("mig_below_min")));
  EXPECT_FALSE(capable(23.99, 300, 7).first);
}

TEST(QuantizationCapable, MissingInputsAreFalseWithTheReason) {
  EXPECT_EQ(capable(std::nullopt, 300, 7), std::make_pair(false, std::string_view("vram_unknown")));
  EXPECT_EQ(capable(80, std::nullopt, 7), std::make_pair(false, std::string_view("tdp_unknown")));
  EXPECT_EQ(capable(80, 300, std::nullopt), std::make_pair(false, std::string_view("mig_unknown")));
}

TEST(QuantizationCapable, ThresholdsAreATypedConfig) {
  QuantizationCapableConfig c;
  c.min_vram_gb = 16;
  c.max_tdp_watts = 75;
  c.min_mig_support = 0;
  const QuantizationCapableStrategy s(c);
  EXPECT_TRUE(s.judge(card(16, 75, 0)).first);  // RTX A2000-like: fine under these thresholds
  EXPECT_FALSE(s.judge(card(16, 76, 0)).first);
}

TEST(QuantizationCapable, ThresholdsAreReadFromTheSameYamlAndOverridable) {
  auto ctx = ResourceContext::from_strings({{"quantization_heuristic.yaml",
                                             "overhead_gb: 2\nmodels: {7b: 3.5}\n"
                                             "capable: {min_vram_gb: 16, max_tdp_watts: 350, min_mig_support: 0}\n"}});
  const auto s = make_heuristic("quantization_capable", ctx);
  HeuristicResult r;
  s->evaluate(card(16, 350, 0), r);
  ASSERT_EQ(r.values.size(), 2u);
  EXPECT_EQ(r.values[0], HeuristicValue(true));
  EXPECT_EQ(r.values[1], HeuristicValue(EnumValue{"meets_all"}));
}

TEST(QuantizationCapable, EveryReasonIsADeclaredEnumValue) {
  const QuantizationCapableStrategy s{QuantizationCapableConfig{}};
  const auto& values = s.outputs()[1].enum_values;
  ASSERT_EQ(s.outputs()[1].kind, ValueKind::kEnum);
  for (const auto& g : {card(80, 300, 7), card(20, 300, 7), card(std::nullopt, 1, 1), card(80, std::nullopt, 7),
                        card(80, 400, 7), card(80, 300, std::nullopt), card(80, 300, 0)}) {
    const auto reason = s.judge(g).second;
    EXPECT_NE(std::find(values.begin(), values.end(), reason), values.end()) << reason;
  }
}

}  // namespace
}  // namespace glyphsieve
