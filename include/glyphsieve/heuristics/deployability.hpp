// The two strategies built on the realistic memory model (capacity/memory.hpp): `fit` (one model, every
// answer a buyer needs, for `glyphsieve fit`) and `realistic_capacity` (instances of a few reference
// models, beside the seed rule's quantization_capacity, for `--capacity-profile realistic`).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "glyphsieve/capacity/memory.hpp"
#include "glyphsieve/heuristics/heuristic.hpp"
#include "glyphsieve/resources/types.hpp"

namespace glyphsieve {

/// A card's memory for the model: memory_total_mib / 1024 when probe measured it, else vram_gb
/// (nominal, taken as GiB). Empty when neither is known.
std::optional<double> listing_memory_gib(const EnrichedGPUListing& g);

/// fit — can this listing serve one model at one quantization, context and KV type, and at what cost?
/// Per listing (all of its gpu_count cards, tensor parallel where one card is not enough):
///   fits, fit_instances, fit_tensor_parallel, fit_max_context, fit_best_quant (+ its perplexity delta),
///   fit_tokens_per_s (decode upper bound), fit_price_per_instance_usd, fit_usd_per_token_s, each memory
///   term per GPU (fit_weights_gib ... fit_usable_gib), fit_mig_profiles (MIG cards: "1g.10gb:7 ..."),
///   fit_note (why not). Unknown memory: every value empty and a warning.
class FitStrategy final : public BaseHeuristicStrategy {
 public:
  /// REQUIRES: deployment.model is set; `model` outlives the strategy's use of deployment.model only
  /// through the copy held here (the ModelSpec is copied in).
  FitStrategy(ModelSpec model, Deployment deployment, MemoryModel memory, const Currencies& currencies);
  std::string_view name() const override { return "fit"; }
  std::vector<std::string> inputs() const override { return {"vram_gb"}; }
  const std::vector<OutputField>& outputs() const override { return outputs_; }
  void evaluate(const EnrichedGPUListing& listing, HeuristicResult& out) const override;
  std::string describe() const override;

 private:
  std::unique_ptr<const ModelSpec> model_;  // stable address for deployment_.model
  Deployment deployment_;
  MemoryModel memory_;
  const Currencies* currencies_;
  std::vector<OutputField> outputs_;
};

/// realistic_capacity — per listing, instances of each of memory_model.yaml's realistic_models at one
/// quantization and context (capped at each model's maximum context; f16 KV, one sequence each), all of the listing's
/// cards counted, tensor parallel where needed: integer realistic_capacity.<model id> plus the JSON column. The seed
/// rule's quantization_capacity columns are a different strategy and are never touched.
class RealisticCapacityStrategy final : public BaseHeuristicStrategy {
 public:
  /// REQUIRES: every id in memory.config().realistic_models is in `catalog`; `quant` non-null; the
  /// catalogue outlives the strategy.
  RealisticCapacityStrategy(MemoryModel memory, const ModelCatalog& catalog, const QuantType* quant,
                            std::int64_t context);
  std::string_view name() const override { return "realistic_capacity"; }
  std::vector<std::string> inputs() const override { return {"vram_gb"}; }
  const std::vector<OutputField>& outputs() const override { return outputs_; }
  bool json_column() const override { return true; }
  void evaluate(const EnrichedGPUListing& listing, HeuristicResult& out) const override;
  std::string describe() const override;

 private:
  MemoryModel memory_;
  std::vector<Deployment> deployments_;  // one per realistic model
  std::vector<OutputField> outputs_;
};

}  // namespace glyphsieve
