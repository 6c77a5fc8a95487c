// `glyphsieve heuristics list|show` (the strategy table) and `glyphsieve tag-quantization`.
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/app.hpp"
#include "glyphsieve/heuristics/heuristic.hpp"
#include "glyphsieve/heuristics/heuristics_stage.hpp"

namespace glyphsieve::cli {
namespace {

nlohmann::ordered_json to_json(const HeuristicInfo& info, const BaseHeuristicStrategy& s) {
  nlohmann::ordered_json j;
  j["name"] = info.name;
  j["summary"] = info.summary;
  j["rule"] = s.describe();
  j["inputs"] = s.inputs();
  auto outputs = nlohmann::ordered_json::array();
  if (s.json_column()) {
    outputs.push_back(
        {{"name", std::string(s.name())}, {"kind", "json"}, {"description", "every value as compact JSON"}});
  }
  for (const auto& f : s.outputs()) {
    nlohmann::ordered_json o;
    o["name"] = f.name;
    o["kind"] = std::string(to_string(f.kind));
    o["description"] = f.description;
    if (f.kind == ValueKind::kEnum) o["values"] = f.enum_values;
    outputs.push_back(std::move(o));
  }
  j["outputs"] = std::move(outputs);
  return j;
}

void print_text(const HeuristicInfo& info, const BaseHeuristicStrategy& s) {
  fmt::print("{}\n  {}\n  rule:    {}\n  inputs:  {}\n  outputs:\n", info.name, info.summary, s.describe(),
             fmt::join(s.inputs(), ", "));
  if (s.json_column()) fmt::print("    {:<32} json     every value as compact JSON\n", s.name());
  for (const auto& f : s.outputs()) {
    fmt::print("    {:<32} {:<8} {}{}\n", f.name, to_string(f.kind), f.description,
               f.kind == ValueKind::kEnum ? fmt::format(" [{}]", fmt::join(f.enum_values, "|")) : "");
  }
}

}  // namespace

void add_heuristics(CLI::App& cmd, GlobalOptions& global) {
  cmd.require_subcommand(1);
  // The same table drives --help, `list`, `show` and the suggestion for a typo.
  std::vector<std::string> names;
  for (const auto& info : heuristic_table()) names.emplace_back(info.name);
  cmd.description(fmt::format("{}\nStrategies: {}", cmd.get_description(), fmt::join(names, ", ")));
  auto json = std::make_shared<bool>(false);
  auto name = std::make_shared<std::string>();
  CLI::App* list = cmd.add_subcommand("list", "List every heuristic strategy, its rule and its columns");
  list->add_flag("--json", *json, "Print JSON instead of text");
  list->callback([json, &global] {
    ResourceContext& res = resources(global);
    nlohmann::ordered_json all = nlohmann::ordered_json::array();
    bool first = true;
    for (const auto& info : heuristic_table()) {
      const auto s = info.make(res);
      if (*json) {
        all.push_back(to_json(info, *s));
      } else {
        if (!first) fmt::print("\n");
        print_text(info, *s);
      }
      first = false;
    }
    if (*json) std::cout << all.dump(2) << '\n';
  });
  CLI::App* show = cmd.add_subcommand("show", "Show one heuristic strategy");
  show->add_option("name", *name, "Strategy name (see 'heuristics list')")->required();
  show->add_flag("--json", *json, "Print JSON instead of text");
  show->callback([json, name, &global] {
    ResourceContext& res = resources(global);
    const auto s = make_heuristic(*name, res);  // unknown names get a suggestion
    for (const auto& info : heuristic_table()) {
      if (*name != info.name) continue;
      if (*json) {
        std::cout << to_json(info, *s).dump(2) << '\n';
      } else {
        print_text(info, *s);
      }
    }
  });
}

void add_tag_quantization(CLI::App& cmd, GlobalOptions& global) {
  auto io = std::make_shared<IoOptions>();
  add_io_options(cmd, *io);
  cmd.callback([io, &global] {
    ResourceContext& res = resources(global);
    Pipeline p;
    std::vector<HeuristicRun> runs;
    runs.push_back({make_heuristic("quantization_capable", res), true, {}});
    p.add(std::make_unique<HeuristicsStage>(std::move(runs), "(it reads vram_gb, tdp_watts and mig_support)"));
    run_pipeline("tag-quantization", p, *io, global);
  });
}

}  // namespace glyphsieve::cli
