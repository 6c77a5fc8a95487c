// The strategy table, value kinds and the heuristics stage (columns, --force-quantize, warnings).
#include "glyphsieve/heuristics/heuristic.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "glyphsieve/core/error.hpp"
#include "glyphsieve/heuristics/heuristics_stage.hpp"
#include "glyphsieve/pipeline.hpp"
#include "glyphsieve/resources/context.hpp"
#include "run_in_memory.hpp"

namespace glyphsieve {
namespace {

ResourceContext& ctx() {
  static ResourceContext c;
  return c;
}

TEST(HeuristicTable, ListsEveryStrategyByStableName) {
  std::vector<std::string> names;
  for (const auto& h : heuristic_table()) names.emplace_back(h.name);
  EXPECT_EQ(names,
            (std::vector<std::string>{"quantization_capacity", "quantization_capable", "realistic_capacity"}));
  for (const auto& h : heuristic_table()) EXPECT_EQ(h.make(ctx())->name(), h.name);
}

TEST(HeuristicTable, UnknownNameGetsASuggestion) {
  try {
    make_heuristic("quantisation_capable", ctx());
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::kUsage);
    EXPECT_NE(std::string(e.what()).find("did you mean 'quantization_capable'?"), std::string::npos) << e.what();
  }
}

TEST(HeuristicTable, EveryValueHasItsDeclaredKind) {
  EnrichedGPUListing g;
  g.vram_gb = 48;
  g.tdp_watts = 300;
  g.mig_support = 4;
  for (const auto& h : heuristic_table()) {
    const auto s = h.make(ctx());
    HeuristicResult r;
    s->evaluate(g, r);
    ASSERT_EQ(r.values.size(), s->outputs().size()) << h.name;
    for (std::size_t i = 0; i < r.values.size(); ++i) {
      const ValueKind k = s->outputs()[i].kind;
      const auto& v = r.values[i];
      const bool ok = (k == ValueKind::kBoolean && std::holds_alternative<bool>(v)) ||
                      (k == ValueKind::kInteger && std::holds_alternative<std::int64_t>(v)) ||
                      (k == ValueKind::kFloat && std::holds_alternative<double>(v)) ||
                      (k == ValueKind::kEnum && std::holds_alternative<EnumValue>(v)) ||
                      (k == ValueKind::kText && std::holds_alternative<std::string>(v));
      EXPECT_TRUE(ok) << s->outputs()[i].name;
    }
  }
}

TEST(FormatValue, EveryKind) {
  EXPECT_EQ(format_value(std::monostate{}), "");
  EXPECT_EQ(format_value(true), "true");
  EXPECT_EQ(format_value(std::int64_t{13}), "13");
  EXPECT_EQ(format_value(0.5), "0.5");
  EXPECT_EQ(format_value(EnumValue{"meets_all"}), "meets_all");
}

// ---------------------------------------------------------------- the stage

using StageRun = testing::InMemoryRun;

StageRun run(const std::string& csv, bool capacity, bool force) {
  std::vector<HeuristicRun> runs;
  runs.push_back({make_heuristic("quantization_capable", ctx()), true, {}});
  if (capacity) runs.push_back({make_heuristic("quantization_capacity", ctx()), force, "--force-quantize"});
  return testing::run_stage(std::make_unique<HeuristicsStage>(std::move(runs)), csv);
}

TEST(HeuristicsStage, CapableAlwaysCapacityOnlyWhenAsked) {
  const std::string in = "vram_gb,tdp_watts,mig_support,warnings\n48,300,4,\n14,70,0,\n";
  EXPECT_EQ(run(in, false, false).out,
            "vram_gb,tdp_watts,mig_support,warnings,quantization_capable,quantization_capable_reason\n"
            "48,300,4,,true,meets_all\n"
            "14,70,0,,false,vram_below_min\n");
  EXPECT_EQ(run(in, true, false).out,
            "vram_gb,tdp_watts,mig_support,warnings,quantization_capable,quantization_capable_reason,"
            "quantization_capacity,quantization_capacity.7b,quantization_capacity.13b,quantization_capacity.70b\n"
            "48,300,4,,true,meets_all,\"{\"\"7b\"\":13,\"\"13b\"\":7,\"\"70b\"\":1}\",13,7,1\n"
            "14,70,0,,false,vram_below_min,\"{\"\"7b\"\":3,\"\"13b\"\":1,\"\"70b\"\":0}\",3,1,0\n");
}

TEST(HeuristicsStage, UnknownVramLeavesCapacityEmptyAndWarnsOnce) {
  const std::string in = "vram_gb,tdp_watts,mig_support,warnings\n,,,no registry data: model unknown\n";
  const StageRun first = run(in, true, false);
  EXPECT_EQ(first.out.substr(first.out.find('\n') + 1),
            ",,,no registry data: model unknown; quantization_capacity: vram_gb unknown,false,vram_unknown,,,,\n");
  // A second run over its own output (forced) adds no second warning and no duplicate column.
  const StageRun second = run(first.out, true, true);
  EXPECT_EQ(second.out, first.out);
}

TEST(HeuristicsStage, ExistingCapacityColumnWithoutForceIsAnErrorNamingColumnAndFlag) {
  const std::string in = "vram_gb,tdp_watts,mig_support,quantization_capacity\n48,300,4,{}\n";
  try {
    run(in, true, false);
    FAIL() << "existing column accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::kDataError);
    const std::string m = e.what();
    EXPECT_NE(m.find("'quantization_capacity'"), std::string::npos) << m;
    EXPECT_NE(m.find("--force-quantize"), std::string::npos) << m;
  }
}

TEST(HeuristicsStage, ForceReplacesInPlaceWithoutDuplicateColumns) {
  const std::string in =
      "vram_gb,quantization_capacity,quantization_capacity.7b,tdp_watts,mig_support,quantization_capacity.13b,"
      "quantization_capacity.70b\n48,stale,junk,300,4,x,y\n";
  const StageRun r = run(in, true, true);
  EXPECT_EQ(r.out,
            "vram_gb,quantization_capacity,quantization_capacity.7b,tdp_watts,mig_support,quantization_capacity.13b,"
            "quantization_capacity.70b,quantization_capable,quantization_capable_reason\n"
            "48,\"{\"\"7b\"\":13,\"\"13b\"\":7,\"\"70b\"\":1}\",13,300,4,7,1,true,meets_all\n");
}

TEST(HeuristicsStage, MissingInputColumnIsAnErrorNamingIt) {
  try {
    run("vram_gb,tdp_watts\n48,300\n", false, false);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'mig_support'"), std::string::npos) << e.what();
  }
}

TEST(HeuristicsStage, UnparseableCellRejectsTheRowWithColumnAndValue) {
  const StageRun r = run("vram_gb,tdp_watts,mig_support\n48GB,300,4\n24,300,yes\n", false, false);
  EXPECT_EQ(r.stats.rejected, 1);
  EXPECT_EQ(r.stats.written, 1);
  EXPECT_NE(r.out.find("24,300,yes,true,meets_all"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace glyphsieve
