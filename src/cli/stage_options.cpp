// Options shared by several commands: quantization flags, scoring weights, report options.
#include <fmt/format.h>

#include "cli/app.hpp"
#include "glyphsieve/core/error.hpp"
#include "glyphsieve/heuristics/deployability.hpp"
#include "glyphsieve/heuristics/heuristics_stage.hpp"
#include "glyphsieve/stages/score.hpp"

namespace glyphsieve::cli {

void add_quantize_options(CLI::App& cmd, QuantizeOptions& q) {
  cmd.add_flag("--quantize-capacity", q.capacity,
               "Add quantization_capacity (JSON) and quantization_capacity.<size> columns: how many 4-bit "
               "models of each size fit on one card");
  cmd.add_flag("--force-quantize", q.force,
               "Recompute and replace quantization_capacity columns the input already has");
  cmd.add_option("--capacity-profile", q.profile,
                 "seed: the seed rule's quantization_capacity only; realistic: also realistic_capacity.<model> "
                 "columns from the memory model (weights, KV cache, runtime; docs/capacity.md)")
      ->check(CLI::IsMember({"seed", "realistic"}))
      ->capture_default_str();
  cmd.add_option("--context", q.context, "Context tokens of the realistic profile (default 8192)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{100'000'000}));
  cmd.add_option("--quant", q.quant, "Quantization of the realistic profile (default Q4_K_M)");
}

const QuantType& quant_type(ResourceContext& res, const std::string& id) {
  const QuantTypes& quants = res.quant_types();
  if (const QuantType* q = quants.find(id)) return *q;
  std::vector<std::string> ids;
  for (const auto& t : quants.types) ids.push_back(t.id);
  const std::string s = suggest(id, ids);
  throw_usage_error(fmt::format("no quantization named '{}'{}; 'glyphsieve models --quants' lists them", id,
                                s.empty() ? "" : fmt::format(" (did you mean '{}'?)", s)));
}

std::unique_ptr<Stage> make_heuristics_stage(ResourceContext& res, const QuantizeOptions& q) {
  const bool realistic = q.profile == "realistic";
  if (realistic && !q.capacity) throw_usage_error("--capacity-profile realistic needs --quantize-capacity");
  if (!realistic && (q.context > 0 || !q.quant.empty())) {
    throw_usage_error(fmt::format("{} needs --capacity-profile realistic", q.context > 0 ? "--context" : "--quant"));
  }
  std::vector<HeuristicRun> runs;
  runs.push_back({make_heuristic("quantization_capable", res), true, {}});
  if (q.capacity) runs.push_back({make_heuristic("quantization_capacity", res), q.force, "--force-quantize"});
  if (realistic) {
    const MemoryModelConfig& c = res.memory_model();
    const QuantType* quant = &quant_type(res, q.quant.empty() ? c.default_quant : q.quant);
    runs.push_back({std::make_unique<RealisticCapacityStrategy>(MemoryModel(c, res.quant_types()), res.model_catalog(),
                                                                quant, q.context > 0 ? q.context : c.default_context),
                    q.force, "--force-quantize"});
  }
  return std::make_unique<HeuristicsStage>(std::move(runs));
}

std::string quantization_success(const std::string& output) {
  return fmt::format("\u2705 Quantization capacity computed and added to output CSV \u2192 {}", display_output(output));
}

void add_weight_options(CLI::App& cmd, WeightOptions& w) {
  for (const auto& [name, value] : ScoringConfig{}.weights) {
    const std::string n = name;
    cmd.add_option_function<double>(
           fmt::format("--weight-{}", n), [&w, n](const double& v) { w.overrides.emplace_back(n, v); },
           fmt::format("Weight of the {} term (default from scoring_weights.yaml)", n))
        ->check(CLI::NonNegativeNumber)
        ->group("Scoring weights");
  }
}

ScoringConfig scoring_config(ResourceContext& res, const WeightOptions& w) {
  ScoringConfig c = res.scoring();
  for (const auto& [name, value] : w.overrides) {
    for (auto& [n, v] : c.weights) {
      if (n == name) v = value;
    }
  }
  validate_weights(c);
  return c;
}

void add_report_options(CLI::App& cmd, ReportRequest& r, const std::string& format_flag) {
  cmd.add_option(format_flag, r.format,
                 "Report format: md (Markdown), json, or html (one self-contained page with SVG charts)")
      ->check(CLI::IsMember({"md", "json", "html"}))
      ->capture_default_str()
      ->group("Report");
  cmd.add_option("--top", r.options.top, "Listings in each top list of the report")
      ->check(CLI::Range(0, 1000000))
      ->capture_default_str()
      ->group("Report");
  cmd.add_option_function<double>(
         "--price-limit", [&r](const double& v) { r.options.price_limit = v; },
         "Add a 'best value under this price' section (USD per card)")
      ->check(CLI::NonNegativeNumber)
      ->group("Report");
  cmd.add_option("--anomaly-ratio", r.options.anomaly_ratio,
                 "Flag listings priced above ratio x or below 1/ratio x their model's median")
      ->check(CLI::Range(1.0001, 1e9))
      ->capture_default_str()
      ->group("Report");
  cmd.add_flag("--include-invalid", r.options.include_invalid,
               "Also analyse invalid, unknown-model and duplicate listings in the report's views (statistics, "
               "top lists, frontier, matrix); by default they are only counted under data quality")
      ->group("Report");
}

void add_gate_options(CLI::App& cmd, ReportRequest& r) {
  cmd.add_option("--summary-json", r.summary_json,
                 "Write the run's provenance, data-quality KPIs and gate results here as JSON (- for stdout)")
      ->group("Gates");
  std::string kpis;
  for (const report::KpiInfo& k : report::kKpis) kpis += (kpis.empty() ? "" : " ") + std::string(k.name);
  cmd.add_option("--fail-if", r.fail_if,
                 "Exit 3 when a KPI crosses a limit, e.g. 'unknown_rate>0.05' (repeatable; > >= < <=; KPIs: " + kpis +
                     "). The outputs are still written")
      ->group("Gates");
  cmd.add_flag("--no-timings", r.no_timings,
               "Leave the stage times out of the report and the summary, so that two runs over the same input "
               "with the same options write byte-identical files")
      ->group("Gates");
}

}  // namespace glyphsieve::cli
