// The single-stage subcommands: clean, normalize, dedup, enrich. Each runs one stage over a file.
// And cat, which runs none: the rows go through the same reader, row rules and writer unchanged.
#include <memory>

#include "cli/app.hpp"
#include "glyphsieve/stages/clean.hpp"
#include "glyphsieve/stages/dedup.hpp"
#include "glyphsieve/stages/enrich.hpp"
#include "glyphsieve/stages/normalize.hpp"

namespace glyphsieve::cli {

void add_cat(CLI::App& cmd, GlobalOptions& global) {
  auto io = std::make_shared<IoOptions>();
  add_io_options(cmd, *io);
  cmd.callback([io, &global] {
    Pipeline none;
    run_pipeline("cat", none, *io, global);
  });
}

void add_clean(CLI::App& cmd, GlobalOptions& global) {
  auto io = std::make_shared<IoOptions>();
  add_io_options(cmd, *io);
  cmd.callback([io, &global] {
    ResourceContext& res = resources(global);
    Pipeline p;
    p.add(std::make_unique<CleanStage>(res.header_aliases(), res.currencies()));
    run_pipeline("clean", p, *io, global);
  });
}

void add_normalize(CLI::App& cmd, GlobalOptions& global) {
  auto io = std::make_shared<IoOptions>();
  auto min_conf = std::make_shared<int>(80);
  auto filter = std::make_shared<bool>(false);
  add_io_options(cmd, *io);
  cmd.add_option("--min-confidence-score", *min_conf, "Lowest fuzzy-match confidence accepted, 0-100")
      ->check(CLI::Range(0, 100))
      ->capture_default_str();
  cmd.add_flag("--filter-invalid", *filter, "Drop rows that are not GPUs (accessories, systems, ...)");
  cmd.callback([io, min_conf, filter, &global] {
    ResourceContext& res = resources(global);
    Pipeline p;
    p.add(std::make_unique<NormalizeStage>(res.registry(), res.model_patterns(), *min_conf, *filter));
    run_pipeline("normalize", p, *io, global);
  });
}

void add_dedup(CLI::App& cmd, GlobalOptions& global) {
  auto io = std::make_shared<IoOptions>();
  auto drop = std::make_shared<bool>(false);
  add_io_options(cmd, *io);
  cmd.add_flag("--drop-duplicates", *drop, "Drop duplicate rows instead of only flagging them");
  cmd.callback([io, drop, &global] {
    Pipeline p;
    p.add(std::make_unique<DedupStage>(*drop));
    run_pipeline("dedup", p, *io, global);
  });
}

void add_enrich(CLI::App& cmd, GlobalOptions& global) {
  auto io = std::make_shared<IoOptions>();
  auto quantize = std::make_shared<QuantizeOptions>();
  add_io_options(cmd, *io);
  add_quantize_options(cmd, *quantize);
  cmd.callback([io, quantize, &global] {
    ResourceContext& res = resources(global);
    Pipeline p;
    p.add(std::make_unique<EnrichStage>(res.registry()));
    // Every enriched row says whether the card suits low-bit inference; capacity only when asked.
    p.add(make_heuristics_stage(res, *quantize));
    RunExtras extras;
    if (quantize->capacity) extras.success = quantization_success(io->output);
    run_pipeline("enrich", p, *io, global, extras);
  });
}

}  // namespace glyphsieve::cli
