// `glyphsieve pipeline`: every stage in one streaming pass — clean, normalize, [dedup], enrich,
// heuristics, score, and optionally the insight report.
#include <memory>

#include <fmt/format.h>

#include "cli/app.hpp"
#include "glyphsieve/core/error.hpp"
#include "glyphsieve/stages/clean.hpp"
#include "glyphsieve/stages/dedup.hpp"
#include "glyphsieve/stages/enrich.hpp"
#include "glyphsieve/stages/frontier.hpp"
#include "glyphsieve/stages/normalize.hpp"
#include "glyphsieve/stages/score.hpp"

namespace glyphsieve::cli {

namespace {
struct PipelineOptions {
  IoOptions io;
  std::string working_dir;
  bool dedup = false;
  bool drop_duplicates = false;
  bool filter_invalid = false;
  bool no_frontier = false;
  int min_confidence = 80;
  QuantizeOptions quantize;
  WeightOptions weights;
  ReportRequest report;
};
}  // namespace

void add_pipeline(CLI::App& cmd, GlobalOptions& global) {
  auto o = std::make_shared<PipelineOptions>();
  add_io_options(cmd, o->io);
  cmd.add_option("--working-dir", o->working_dir, "Also write each stage's output as stage_<name>.csv here");
  cmd.add_flag("--dedup", o->dedup, "Flag duplicate listings (duplicate_flag, duplicate_of)");
  cmd.add_flag("--drop-duplicates", o->drop_duplicates, "Drop duplicate listings (implies --dedup)");
  cmd.add_flag("--filter-invalid", o->filter_invalid, "Drop rows that are not GPUs (accessories, systems, ...)");
  cmd.add_option("--min-confidence-score", o->min_confidence, "Lowest fuzzy-match confidence accepted, 0-100")
      ->check(CLI::Range(0, 100))
      ->capture_default_str();
  add_quantize_options(cmd, o->quantize);
  cmd.add_flag("--no-frontier", o->no_frontier,
               "Leave out the on_frontier column, so that rows stream out as they are scored (by default the "
               "output is held until the last row, when the price/score frontier is known)");
  cmd.add_option("--report", o->report.path, "Also write the insight report of the output rows here (- for stdout)")
      ->group("Report");
  add_report_options(cmd, o->report, "--report-format");
  add_gate_options(cmd, o->report);
  add_weight_options(cmd, o->weights);
  cmd.callback([o, &global, &cmd] {
    for (const char* opt : {"--report-format", "--top", "--price-limit", "--anomaly-ratio", "--include-invalid"}) {
      if (cmd.count(opt) > 0 && o->report.path.empty()) throw_usage_error(fmt::format("{} needs --report FILE", opt));
    }
    ResourceContext& res = resources(global);
    Pipeline p;
    // Why this order: prices and headers first (everything reads them), then identity (dedup and
    // enrich key on canonical_model), dedup before enrich so dropped rows cost nothing downstream.
    p.add(std::make_unique<CleanStage>(res.header_aliases(), res.currencies()));
    p.add(std::make_unique<NormalizeStage>(res.registry(), res.model_patterns(), o->min_confidence, o->filter_invalid));
    if (o->dedup || o->drop_duplicates) p.add(std::make_unique<DedupStage>(o->drop_duplicates));
    p.add(std::make_unique<EnrichStage>(res.registry()));
    // Heuristics read the enrich columns; the score reads the same typed listing.
    p.add(make_heuristics_stage(res, o->quantize));
    p.add(
        std::make_unique<ScoreStage>(scoring_config(res, o->weights), res.quantization_heuristic(), res.currencies()));
    // The frontier needs every scored row: it is marked once the last one is in.
    if (!o->no_frontier) p.add(std::make_unique<FrontierStage>());
    RunExtras extras;
    extras.frontier = !o->no_frontier;
    extras.working_dir = o->working_dir;
    extras.report = &o->report;  // a report, a summary, gates: any of them
    if (o->quantize.capacity) extras.success = quantization_success(o->io.output);
    run_pipeline("pipeline", p, o->io, global, extras);
  });
}

}  // namespace glyphsieve::cli
