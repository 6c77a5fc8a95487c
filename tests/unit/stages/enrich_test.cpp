// enrich: registry join, formatting, unknown models, replacement in place.
#include "glyphsieve/stages/enrich.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "glyphsieve/core/error.hpp"
#include "glyphsieve/pipeline.hpp"
#include "glyphsieve/resources/context.hpp"
#include "run_in_memory.hpp"

namespace glyphsieve {
namespace {

std::string run_enrich(const std::string& csv) {
  static ResourceContext ctx;
  return testing::run_stage(std::make_unique<EnrichStage>(ctx.registry()), csv).out;
}

TEST(EnrichStage, AddsTheRegistrySpecs) {
  EXPECT_EQ(run_enrich("canonical_model\nA100 PCIe 80GB\n"),
            "canonical_model,vendor,vram_gb,tdp_watts,mig_support,nvlink,generation,memory_bandwidth_gbps,"
            "fp16_tflops,form_factor,slots,pcie_gen,launch_year,warnings\n"
            "A100 PCIe 80GB,NVIDIA,80,300,7,true,Ampere,1935,312,PCIe,2,4,2021,\n");
}

TEST(EnrichStage, UnknownModelsGetEmptySpecsAndAWarning) {
  const std::string out = run_enrich("canonical_model\nUNKNOWN\nRTX A6001\n");
  EXPECT_NE(out.find("UNKNOWN,,,,,,,,,,,,,no registry data: model unknown\n"), std::string::npos);
  EXPECT_NE(
      out.find(
          "RTX A6001,,,,,,,,,,,,,no registry data: 'RTX A6001' is not in the registry (did you mean 'RTX A6000'?)"),
      std::string::npos);
}

TEST(EnrichStage, UncertainValuesAreNamed) {
  const std::string out = run_enrich("canonical_model\nRadeon RX 7600 XT\n");
  EXPECT_NE(out.find("uncertain: fp16_tflops"), std::string::npos);
}

TEST(EnrichStage, ReplacesItsColumnsInPlace) {
  const std::string once = run_enrich("canonical_model,note\nT4,x\n");
  EXPECT_EQ(run_enrich(once), once);
}

TEST(EnrichStage, NeedsCanonicalModel) { EXPECT_THROW(run_enrich("title\nx\n"), Error); }

}  // namespace
}  // namespace glyphsieve
