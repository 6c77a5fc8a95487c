// libFuzzer target: YAML text through ResourceContext's typed decoders. The first byte picks the
// resource ((byte - '0') % 9, in kTargets order; the seeds use '0'..'8'), the rest is its text. glyphsieve::Error
// is expected for bad text; any other exception escaping (YAML::Exception, std::bad_alloc ...) is a finding.
#include <array>
#include <map>
#include <string>

#include "fuzz.hpp"
#include "glyphsieve/core/error.hpp"
#include "glyphsieve/resources/context.hpp"

namespace {

struct Target {
  const char* name;
  void (*decode)(glyphsieve::ResourceContext& ctx);
};

const std::array<Target, 9> kTargets = {{
    {"gpu_registry.yaml", [](glyphsieve::ResourceContext& ctx) { ctx.registry(); }},
    {"header_aliases.yaml", [](glyphsieve::ResourceContext& ctx) { ctx.header_aliases(); }},
    {"currencies.yaml", [](glyphsieve::ResourceContext& ctx) { ctx.currencies(); }},
    {"model_patterns.yaml", [](glyphsieve::ResourceContext& ctx) { ctx.model_patterns(); }},
    {"quantization_heuristic.yaml", [](glyphsieve::ResourceContext& ctx) { ctx.quantization_heuristic(); }},
    {"scoring_weights.yaml", [](glyphsieve::ResourceContext& ctx) { ctx.scoring(); }},
    {"model_catalog.yaml", [](glyphsieve::ResourceContext& ctx) { ctx.model_catalog(); }},
    {"quant_types.yaml", [](glyphsieve::ResourceContext& ctx) { ctx.quant_types(); }},
    // Checked against the shipped quant types, catalogue and registry.
    {"memory_model.yaml", [](glyphsieve::ResourceContext& ctx) { ctx.memory_model(); }},
}};

// model_patterns.yaml is checked against the registry (every family has models and every model a
// family), so it is decoded beside this one-model registry: a small patterns file can then be valid.
constexpr const char* kSmallRegistry = R"(version: 1
models:
  - id: "Tesla K80"
    family: "Tesla K80"
    vendor: NVIDIA
    segment: datacenter
    generation: "Kepler"
    vram_gb: 24
    memory_type: GDDR5
    memory_bandwidth_gbps: 480
    tdp_watts: 300
    mig_support: 0
    nvlink: false
    fp16_tflops: null
    form_factor: PCIe
    slots: 2
    pcie_gen: 3
    launch_year: 2014
    qualifiers: []
    default: false
    aliases: []
    source: "fuzz_resource_loader"
    uncertain: []
)";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const Target& target = kTargets[static_cast<unsigned char>(data[0] - '0') % kTargets.size()];
  std::map<std::string, std::string> texts = {
      {target.name, std::string(glyphsieve::fuzz::as_text(data + 1, size - 1))}};
  if (texts.count("model_patterns.yaml") > 0) texts.emplace("gpu_registry.yaml", kSmallRegistry);
  try {
    glyphsieve::ResourceContext ctx = glyphsieve::ResourceContext::from_strings(texts);
    target.decode(ctx);
  } catch (const glyphsieve::Error&) {
    // Bad YAML or a bad value, reported with file:line:column: expected.
  }
  return 0;
}
