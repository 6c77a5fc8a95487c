// `glyphsieve score`: the score stage over an enriched CSV, with --weight-<name> overrides.
#include "glyphsieve/stages/score.hpp"
#include "cli/app.hpp"

namespace glyphsieve::cli {

void add_score(CLI::App& cmd, GlobalOptions& global) {
  auto io = std::make_shared<IoOptions>();
  auto weights = std::make_shared<WeightOptions>();
  add_io_options(cmd, *io);
  add_weight_options(cmd, *weights);
  cmd.callback([io, weights, &global] {
    ResourceContext& res = resources(global);
    Pipeline p;
    p.add(std::make_unique<ScoreStage>(scoring_config(res, *weights), res.quantization_heuristic(), res.currencies()));
    run_pipeline("score", p, *io, global);
  });
}

}  // namespace glyphsieve::cli
