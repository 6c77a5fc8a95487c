// `glyphsieve score`: the score stage over an enriched CSV, with --weight-<name> overrides.
#include "glyphsieve/stages/score.hpp"
#include "cli/app.hpp"
#include "glyphsieve/stages/frontier.hpp"

namespace glyphsieve::cli {

void add_score(CLI::App& cmd, GlobalOptions& global) {
  auto io = std::make_shared<IoOptions>();
  auto weights = std::make_shared<WeightOptions>();
  auto no_frontier = std::make_shared<bool>(false);
  add_io_options(cmd, *io);
  add_weight_options(cmd, *weights);
  cmd.add_flag("--no-frontier", *no_frontier,
               "Leave out the on_frontier column, so that rows stream out as they are scored (by default the "
               "output is held until the last row, when the price/score frontier is known)");
  cmd.callback([io, weights, no_frontier, &global] {
    ResourceContext& res = resources(global);
    Pipeline p;
    p.add(std::make_unique<ScoreStage>(scoring_config(res, *weights), res.quantization_heuristic(), res.currencies()));
    if (!*no_frontier) p.add(std::make_unique<FrontierStage>());
    RunExtras extras;
    extras.frontier = !*no_frontier;
    run_pipeline("score", p, *io, global, extras);
  });
}

}  // namespace glyphsieve::cli
