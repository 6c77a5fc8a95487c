// `glyphsieve pipeline`: every stage in one streaming pass — clean, normalize, [dedup], enrich.
#include <memory>

#include "cli/app.hpp"
#include "glyphsieve/stages/clean.hpp"
#include "glyphsieve/stages/dedup.hpp"
#include "glyphsieve/stages/enrich.hpp"
#include "glyphsieve/stages/normalize.hpp"

namespace glyphsieve::cli {

namespace {
struct PipelineOptions {
  IoOptions io;
  std::string working_dir;
  bool dedup = false;
  bool drop_duplicates = false;
  bool filter_invalid = false;
  int min_confidence = 80;
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
  cmd.callback([o, &global] {
    ResourceContext& res = resources(global);
    Pipeline p;
    // Why this order: prices and headers first (everything reads them), then identity (dedup and
    // enrich key on canonical_model), dedup before enrich so dropped rows cost nothing downstream.
    p.add(std::make_unique<CleanStage>(res.header_aliases(), res.currencies()));
    p.add(std::make_unique<NormalizeStage>(res.registry(), res.model_patterns(), o->min_confidence, o->filter_invalid));
    if (o->dedup || o->drop_duplicates) p.add(std::make_unique<DedupStage>(o->drop_duplicates));
    p.add(std::make_unique<EnrichStage>(res.registry()));
    run_pipeline("pipeline", p, o->io, global, o->working_dir);
  });
}

}  // namespace glyphsieve::cli
