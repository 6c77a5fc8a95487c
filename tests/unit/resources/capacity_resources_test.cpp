// model_catalog.yaml, quant_types.yaml and memory_model.yaml: the shipped files decode, and broken
// overrides are refused with file:line:column and the key.
#include <gtest/gtest.h>

#include "glyphsieve/core/error.hpp"
#include "glyphsieve/resources/context.hpp"

namespace glyphsieve {
namespace {

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

const char* kOneModel = R"(version: 1
models:
  - id: tiny-1b
    params: 1000000000
    layers: 16
    hidden: 2048
    heads: 32
    kv_heads: 8
    vocab: 32000
    max_context: 4096
    source: "unit test"
)";

TEST(CapacityResources, ShippedFilesDecodeAndCrossCheck) {
  ResourceContext ctx;
  const ModelCatalog& catalog = ctx.model_catalog();
  EXPECT_GE(catalog.models.size(), 25u);
  for (const char* id :
       {"llama-2-7b", "llama-3.1-8b", "llama-3.2-1b", "llama-3.3-70b", "mistral-7b", "mixtral-8x7b", "qwen2.5-0.5b",
        "qwen2.5-72b", "gemma-2-27b", "phi-3.5-mini", "deepseek-v2-lite", "deepseek-r1-distill-llama-8b"}) {
    EXPECT_NE(catalog.find(id), nullptr) << id;
  }
  EXPECT_EQ(catalog.find("META-LLAMA/LLAMA-3.1-8B-INSTRUCT"), catalog.find("llama-3.1-8b"));
  const QuantTypes& quants = ctx.quant_types();
  for (const char* id : {"F16", "Q8_0", "Q6_K", "Q5_K_M", "Q4_K_M", "Q3_K_M", "Q2_K", "IQ4_XS", "IQ2_XXS",
                         "GPTQ-4bit-g128", "AWQ-4bit-g128", "BNB-NF4", "BNB-INT8", "FP8", "MXFP4", "NVFP4"}) {
    EXPECT_NE(quants.find(id), nullptr) << id;
  }
  EXPECT_EQ(quants.find("q4_k_m"), quants.find("Q4_K_M"));
  const MemoryModelConfig& mm = ctx.memory_model();
  EXPECT_EQ(mm.quant_walk, (std::vector<std::string>{"Q8_0", "Q6_K", "Q5_K_M", "Q4_K_M", "Q3_K_M", "Q2_K"}));
  EXPECT_NE(mm.mig_profiles("A100 SXM4 80GB"), nullptr);
  EXPECT_EQ(mm.devices_per_board("Tesla K80"), 2);
  EXPECT_EQ(mm.devices_per_board("RTX A6000"), 1);
}

TEST(CapacityResources, HeadsMustBeAMultipleOfKvHeads) {
  std::string bad = kOneModel;
  bad.replace(bad.find("kv_heads: 8"), 11, "kv_heads: 5");
  auto ctx = ResourceContext::from_strings({{"model_catalog.yaml", bad}});
  EXPECT_EQ(error_of([&] { ctx.model_catalog(); }),
            "model_catalog.yaml:8:15: key 'kv_heads': heads (32) must be a multiple of kv_heads (5)");
}

TEST(CapacityResources, MissingRequiredKeyIsLocated) {
  std::string bad = kOneModel;
  bad.erase(bad.find("    layers: 16\n"), 15);
  auto ctx = ResourceContext::from_strings({{"model_catalog.yaml", bad}});
  EXPECT_NE(error_of([&] { ctx.model_catalog(); }).find("key 'layers': missing required key"), std::string::npos);
}

TEST(CapacityResources, DuplicateNamesAcrossIdsAndAliasesAreRefused) {
  const std::string twice = std::string(kOneModel) + R"(  - id: tiny-2b
    aliases: [TINY-1B]
    params: 2000000000
    layers: 16
    hidden: 2048
    heads: 32
    vocab: 32000
    max_context: 4096
    source: "unit test"
)";
  auto ctx = ResourceContext::from_strings({{"model_catalog.yaml", twice}});
  EXPECT_NE(error_of([&] { ctx.model_catalog(); }).find("duplicate model name \"TINY-1B\" (first at line 3)"),
            std::string::npos);
}

// A memory_model.yaml whose first line is `first`; `walk` and `rest` finish it.
std::string memory_model(const std::string& first, const std::string& walk, const std::string& rest = "") {
  return "version: 1\n" + first + "\n" +
         "runtime_reserve_gib: 0.45\ntensor_parallel_gib: 0.42\nubatch: 512\ndefault_quant: Q4_K_M\n"
         "default_context: 8192\nquant_walk: " +
         walk + "\nmatrix_quants: [F16]\nrealistic_models: [llama-3.1-8b]\n" + rest;
}

TEST(CapacityResources, MemoryModelNamesMustExist) {
  auto ctx =
      ResourceContext::from_strings({{"memory_model.yaml", memory_model("usable_share: 0.9", "[Q8_0, Q4_K_Z]")}});
  EXPECT_EQ(error_of([&] { ctx.memory_model(); }),
            "memory_model.yaml:8:13: key 'quant_walk': quantization \"Q4_K_Z\" is not in resources/quant_types.yaml "
            "(embedded)");
  auto ctx2 = ResourceContext::from_strings({{"memory_model.yaml", memory_model("usable_share: 1.5", "[Q8_0]")}});
  EXPECT_NE(error_of([&] { ctx2.memory_model(); }).find("key 'usable_share': 1.5 is out of range [0.05, 1]"),
            std::string::npos);
}

TEST(CapacityResources, MigGpusMustBeInTheRegistryWithMig) {
  auto ctx = ResourceContext::from_strings({{"memory_model.yaml", memory_model("usable_share: 0.9", "[Q8_0]", R"(mig:
  - gpus: ["GeForce RTX 4090"]
    source: test
    profiles:
      - {name: 1g.10gb, memory_gib: 9.5, max_instances: 7}
)")}});
  EXPECT_NE(error_of([&] { ctx.memory_model(); }).find("GPU \"GeForce RTX 4090\" has mig_support 0"),
            std::string::npos);
}

}  // namespace
}  // namespace glyphsieve
