// ResourceContext: embedded defaults decode; overrides replace file by file; bad YAML is located.
#include "glyphsieve/resources/context.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "glyphsieve/core/error.hpp"
#include "resources/embedded.hpp"
#include "resources/yaml_guard.hpp"

namespace glyphsieve {
namespace {

const char* kTinyRegistry = R"(version: 1
models:
  - id: Test Card 24GB
    family: Test Card
    vendor: NVIDIA
    vram_gb: 24
    tdp_watts: 250
    source: "unit test"
)";
const char* kTinyPatterns = R"(version: 1
families:
  - family: Test Card
    vendor: NVIDIA
    patterns: ['\btest card\b']
)";

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ResourceContext, EmbeddedDefaultsDecode) {
  ResourceContext ctx;
  EXPECT_GE(ctx.registry().models.size(), 80u);
  EXPECT_FALSE(ctx.header_aliases().columns.empty());
  EXPECT_FALSE(ctx.model_patterns().families.empty());
  EXPECT_EQ(ctx.currencies().default_code, "USD");
  for (const auto& g : ctx.registry().models) EXPECT_FALSE(g.source.empty()) << g.id;
  EXPECT_GE(ctx.model_catalog().models.size(), 25u);
  for (const auto& m : ctx.model_catalog().models) EXPECT_FALSE(m.source.empty()) << m.id;
  EXPECT_NE(ctx.quant_types().find("Q4_K_M"), nullptr);
  EXPECT_EQ(ctx.memory_model().quant_walk.front(), "Q8_0");
}

// ResourceContext skips the hostile-YAML gate for embedded resources (start-up time), so this test is
// what guarantees they would pass it: no duplicate keys, no oversized scalars, no deep nesting.
TEST(ResourceContext, EmbeddedResourcesPassTheHostileYamlGate) {
  std::size_t checked = 0;
  for (const auto& r : embedded_resources()) {
    EXPECT_NO_THROW(yaml::check_text(std::string(r.text), std::string(r.name))) << r.name;
    ++checked;
  }
  EXPECT_EQ(checked, 9u);
}

// Overrides still go through the gate: a duplicate key in a --resources file is refused.
TEST(ResourceContext, OverridesStillPassTheGate) {
  auto ctx = ResourceContext::from_strings({{"scoring_weights.yaml", "version: 1\nversion: 1\n"}});
  EXPECT_THROW(ctx.scoring(), Error);
}

TEST(ResourceContext, StringsOverrideByName) {
  auto ctx =
      ResourceContext::from_strings({{"gpu_registry.yaml", kTinyRegistry}, {"model_patterns.yaml", kTinyPatterns}});
  ASSERT_EQ(ctx.registry().models.size(), 1u);
  EXPECT_EQ(ctx.registry().models[0].vram_gb, 24);
  EXPECT_FALSE(ctx.header_aliases().columns.empty());  // not overridden: embedded
}

TEST(ResourceContext, SyntaxErrorNamesLineAndColumn) {
  auto ctx = ResourceContext::from_strings({{"gpu_registry.yaml", "models:\n  - id: [unclosed\n"}});
  const std::string msg = error_of([&] { ctx.registry(); });
  EXPECT_NE(msg.find("gpu_registry.yaml:3:1: invalid YAML"), std::string::npos) << msg;
}

TEST(ResourceContext, UnknownKeyIsRejectedWithASuggestion) {
  std::string bad = kTinyRegistry;
  bad.replace(bad.find("tdp_watts"), 9, "tdp_wats");
  auto ctx = ResourceContext::from_strings({{"gpu_registry.yaml", bad}});
  EXPECT_EQ(error_of([&] { ctx.registry(); }),
            "gpu_registry.yaml:7:5: key 'tdp_wats': unknown key in a registry model (did you mean 'tdp_watts'?)");
}

TEST(ResourceContext, WrongTypeAndRangeAreLocated) {
  std::string bad = kTinyRegistry;
  bad.replace(bad.find("24\n"), 2, "lots");
  auto ctx = ResourceContext::from_strings({{"gpu_registry.yaml", bad}});
  EXPECT_EQ(error_of([&] { ctx.registry(); }),
            "gpu_registry.yaml:6:14: key 'vram_gb': expected a number, got \"lots\"");
  std::string neg = kTinyRegistry;
  neg.replace(neg.find("24\n"), 2, "-8");
  auto ctx2 = ResourceContext::from_strings({{"gpu_registry.yaml", neg}});
  EXPECT_NE(error_of([&] { ctx2.registry(); }).find("key 'vram_gb': -8 is out of range"), std::string::npos);
}

TEST(ResourceContext, DuplicateIdIsRejected) {
  std::string twice = std::string(kTinyRegistry) + R"(  - id: Test Card 24GB
    family: Test Card
    vendor: NVIDIA
    vram_gb: 24
    source: "again"
)";
  auto ctx = ResourceContext::from_strings({{"gpu_registry.yaml", twice}});
  EXPECT_EQ(error_of([&] { ctx.registry(); }),
            "gpu_registry.yaml:9:9: key 'id': duplicate model id \"Test Card 24GB\" (first at line 3)");
}

TEST(ResourceContext, BadRegexIsLocated) {
  std::string bad = kTinyPatterns;
  bad.replace(bad.find("\\btest card\\b"), 13, "(unclosed");
  auto ctx = ResourceContext::from_strings({{"gpu_registry.yaml", kTinyRegistry}, {"model_patterns.yaml", bad}});
  const std::string msg = error_of([&] { ctx.model_patterns(); });
  EXPECT_NE(msg.find("model_patterns.yaml:5:16: key 'patterns': invalid regex"), std::string::npos) << msg;
}

TEST(ResourceContext, FamilyWithoutModelsIsRejected) {
  std::string extra = std::string(kTinyPatterns) + "  - family: Ghost\n    patterns: ['ghost']\n";
  auto ctx = ResourceContext::from_strings({{"gpu_registry.yaml", kTinyRegistry}, {"model_patterns.yaml", extra}});
  EXPECT_NE(error_of([&] { ctx.model_patterns(); }).find("family \"Ghost\" has no models"), std::string::npos);
}

TEST(ResourceContext, DirectoryOverridesFileByFile) {
  const auto dir = std::filesystem::temp_directory_path() / "glyphsieve_ctx_test";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "gpu_registry.yaml") << kTinyRegistry;
  std::ofstream(dir / "model_patterns.yaml") << kTinyPatterns;
  std::ofstream(dir / "gpu_regstry.yaml") << "typo";
  ResourceContext ctx(dir);
  EXPECT_EQ(ctx.registry().models.size(), 1u);
  EXPECT_EQ(ctx.display_name("gpu_registry.yaml"), (dir / "gpu_registry.yaml").string());
  EXPECT_EQ(ctx.display_name("header_aliases.yaml"), "resources/header_aliases.yaml (embedded)");
  ASSERT_EQ(ctx.unknown_override_files().size(), 1u);
  EXPECT_NE(ctx.unknown_override_files()[0].find("did you mean 'gpu_registry.yaml'"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(ResourceContext, MissingDirectoryIsAnError) { EXPECT_THROW(ResourceContext("/nonexistent/glyphsieve"), Error); }

}  // namespace
}  // namespace glyphsieve
