// `glyphsieve registry list|show`: what the tool knows about each GPU model, and where it comes from.
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/app.hpp"
#include "glyphsieve/core/error.hpp"
#include "glyphsieve/core/text.hpp"

namespace glyphsieve::cli {
namespace {

nlohmann::ordered_json to_json(const GpuSpec& g) {
  nlohmann::ordered_json j;
  j["id"] = g.id;
  j["family"] = g.family;
  j["vendor"] = g.vendor;
  j["segment"] = g.segment;
  j["generation"] = g.generation;
  j["vram_gb"] = g.vram_gb;
  j["memory_type"] = g.memory_type;
  j["memory_bandwidth_gbps"] = g.memory_bandwidth_gbps ? nlohmann::ordered_json(*g.memory_bandwidth_gbps) : nullptr;
  j["tdp_watts"] = g.tdp_watts ? nlohmann::ordered_json(*g.tdp_watts) : nullptr;
  j["mig_support"] = g.mig_support;
  j["nvlink"] = g.nvlink;
  j["fp16_tflops"] = g.fp16_tflops ? nlohmann::ordered_json(*g.fp16_tflops) : nullptr;
  j["form_factor"] = g.form_factor;
  j["slots"] = g.slots ? nlohmann::ordered_json(*g.slots) : nullptr;
  j["pcie_gen"] = g.pcie_gen ? nlohmann::ordered_json(*g.pcie_gen) : nullptr;
  j["launch_year"] = g.launch_year ? nlohmann::ordered_json(*g.launch_year) : nullptr;
  j["source"] = g.source;
  j["uncertain"] = g.uncertain;
  return j;
}

std::string opt(const std::optional<double>& v) { return v ? fmt::format("{}", *v) : "-"; }
std::string opt(const std::optional<int>& v) { return v ? std::to_string(*v) : "-"; }

const GpuSpec& find_model(const GpuRegistry& reg, const std::string& name) {
  if (const GpuSpec* g = reg.find(name)) return *g;
  // Accept any spelling that normalizes the same ("rtx a6000" for "RTX A6000").
  const std::string wanted = normalize_title(name);
  for (const auto& g : reg.models) {
    if (normalize_title(g.id) == wanted) return g;
  }
  std::vector<std::string> ids;
  for (const auto& g : reg.models) ids.push_back(g.id);
  const std::string s = suggest(name, ids);
  throw_data_error(
      fmt::format("no model '{}' in the registry{}", name,
                  s.empty() ? " (see 'glyphsieve registry list')" : fmt::format(" (did you mean '{}'?)", s)));
}

}  // namespace

void add_registry(CLI::App& cmd, GlobalOptions& global) {
  cmd.require_subcommand(1);
  auto json = std::make_shared<bool>(false);
  CLI::App* list = cmd.add_subcommand("list", "List every model in the GPU registry");
  list->add_flag("--json", *json, "Print JSON instead of a table");
  list->callback([json, &global] {
    const GpuRegistry& reg = resources(global).registry();
    if (*json) {
      nlohmann::ordered_json arr = nlohmann::ordered_json::array();
      for (const auto& g : reg.models) arr.push_back(to_json(g));
      std::cout << arr.dump(2) << '\n';
      return;
    }
    fmt::print("{:<38} {:<7} {:<12} {:>7} {:>6} {:>4}\n", "MODEL", "VENDOR", "SEGMENT", "VRAM_GB", "TDP_W", "MIG");
    for (const auto& g : reg.models) {
      fmt::print("{:<38} {:<7} {:<12} {:>7} {:>6} {:>4}\n", g.id, g.vendor, g.segment, g.vram_gb, opt(g.tdp_watts),
                 g.mig_support);
    }
  });
  auto model = std::make_shared<std::string>();
  auto show_json = std::make_shared<bool>(false);
  CLI::App* show = cmd.add_subcommand("show", "Show one model's specifications and sources");
  show->add_option("MODEL", *model, "Canonical model name, e.g. \"RTX A6000\"")->required();
  show->add_flag("--json", *show_json, "Print JSON");
  show->callback([model, show_json, &global] {
    const GpuSpec& g = find_model(resources(global).registry(), *model);
    if (*show_json) {
      std::cout << to_json(g).dump(2) << '\n';
      return;
    }
    fmt::print(
        "model:                 {}\nfamily:                {}\nvendor:                {}\nsegment:               {}\n"
        "generation:            {}\nvram_gb:               {}\nmemory_type:           {}\n"
        "memory_bandwidth_gbps: {}\ntdp_watts:             {}\nmig_support:           {}\nnvlink:                {}\n"
        "fp16_tflops:           {}\nform_factor:           {}\nslots:                 {}\npcie_gen:              {}\n"
        "launch_year:           {}\nsource:                {}\nuncertain:             {}\n",
        g.id, g.family, g.vendor, g.segment, g.generation, g.vram_gb, g.memory_type, opt(g.memory_bandwidth_gbps),
        opt(g.tdp_watts), g.mig_support, g.nvlink, opt(g.fp16_tflops), g.form_factor, opt(g.slots), opt(g.pcie_gen),
        opt(g.launch_year), g.source, g.uncertain.empty() ? "-" : fmt::format("{}", fmt::join(g.uncertain, ", ")));
  });
}

}  // namespace glyphsieve::cli
