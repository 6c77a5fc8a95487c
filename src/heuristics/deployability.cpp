// fit and realistic_capacity: the realistic memory model applied to each listing (rules in
// deployability.hpp; formulas and sources in docs/capacity.md).
#include "glyphsieve/heuristics/deployability.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace glyphsieve {
namespace {

/// Rounded for the CSV: two decimals say enough about GiB, dollars and tokens/s.
double round2(double v) { return std::round(v * 100.0) / 100.0; }

/// The listing's hardware as the memory model sees it; empty, with "<who>: vram_gb unknown" warned,
/// when its memory is unknown (never zeros, which would claim "fits nothing").
std::optional<Hardware> hardware_of(const EnrichedGPUListing& g, const MemoryModelConfig& config, std::string_view who,
                                    HeuristicResult& out) {
  const std::optional<double> memory_gib = listing_memory_gib(g);
  if (!memory_gib) {
    out.warnings.push_back(fmt::format("{}: vram_gb unknown", who));
    return std::nullopt;
  }
  return listing_hardware(config, g.canonical_model, *memory_gib, g.memory_total_mib.has_value(), g.gpu_count,
                          g.memory_bandwidth_gbps, g.mig_support.value_or(0));
}

/// The listing's total price in USD, when its currency converts.
std::optional<double> price_usd(const EnrichedGPUListing& g, const Currencies& currencies) {
  if (!g.price) return std::nullopt;
  const Currencies::Currency* c = currencies.find(g.currency.empty() ? currencies.default_code : g.currency);
  if (!c || !c->usd_rate) return std::nullopt;
  return *g.price * *c->usd_rate;
}

// Output columns of `fit`, in order.
enum FitColumn : std::size_t {
  kFits,
  kInstances,
  kTensorParallel,
  kMaxContext,
  kBestQuant,
  kBestQuantDelta,
  kTokensPerS,
  kPricePerInstance,
  kUsdPerTokenS,
  kWeights,
  kKvCache,
  kComputeBuffer,
  kRuntimeReserve,
  kTensorParallelGib,
  kPerGpu,
  kUsable,
  kMig,
  kNote,
  kFitColumns
};

}  // namespace

std::optional<double> listing_memory_gib(const EnrichedGPUListing& g) {
  if (g.memory_total_mib) return *g.memory_total_mib / 1024.0;
  return g.vram_gb;
}

FitStrategy::FitStrategy(ModelSpec model, Deployment deployment, MemoryModel memory, const Currencies& currencies)
    : model_(std::make_unique<const ModelSpec>(std::move(model))),
      deployment_(std::move(deployment)),
      memory_(std::move(memory)),
      currencies_(&currencies) {
  deployment_.model = model_.get();
  const std::string quant = deployment_.quant ? deployment_.quant->id : model_->weight_quant;
  const std::string what =
      fmt::format("{} {} at {} tokens, {} KV{}", model_->id, quant, deployment_.context, deployment_.kv.id,
                  deployment_.parallel > 1 ? fmt::format(", {} sequences", deployment_.parallel) : "");
  outputs_ = {
      {"fits", ValueKind::kBoolean, fmt::format("at least one instance of {} fits the listing", what), {}},
      {"fit_instances", ValueKind::kInteger, "instances the whole listing holds (all its GPUs)", {}},
      {"fit_tensor_parallel", ValueKind::kInteger, "GPUs one instance spans (tensor parallelism)", {}},
      {"fit_max_context",
       ValueKind::kInteger,
       "longest context one instance can have, tokens (capped at the model's maximum; 0: none)",
       {}},
      {"fit_best_quant", ValueKind::kText, "best quantization of the walk that fits one instance", {}},
      {"fit_best_quant_ppl_delta_pct", ValueKind::kFloat, "perplexity increase of fit_best_quant vs F16, percent", {}},
      {"fit_tokens_per_s",
       ValueKind::kFloat,
       "decode upper bound of one instance: memory bandwidth / bytes read per token",
       {}},
      {"fit_price_per_instance_usd", ValueKind::kFloat, "listing price in USD / fit_instances", {}},
      {"fit_usd_per_token_s", ValueKind::kFloat, "listing price in USD / (fit_instances x fit_tokens_per_s)", {}},
      {"fit_weights_gib", ValueKind::kFloat, "weights per GPU, GiB", {}},
      {"fit_kv_cache_gib", ValueKind::kFloat, "KV cache per GPU, GiB", {}},
      {"fit_compute_buffer_gib", ValueKind::kFloat, "compute buffer per GPU, GiB", {}},
      {"fit_runtime_reserve_gib", ValueKind::kFloat, "CUDA context and runtime per GPU, GiB", {}},
      {"fit_tensor_parallel_gib", ValueKind::kFloat, "tensor-parallel communication buffers per GPU, GiB", {}},
      {"fit_per_gpu_gib", ValueKind::kFloat, "one instance's total per GPU, GiB", {}},
      {"fit_usable_gib", ValueKind::kFloat, "memory of one GPU the instances may fill, GiB", {}},
      {"fit_mig_profiles", ValueKind::kText, "MIG profiles that hold an instance, as profile:instances per card", {}},
      {"fit_note", ValueKind::kText, "why it does not fit", {}},
  };
}

void FitStrategy::evaluate(const EnrichedGPUListing& listing, HeuristicResult& out) const {
  out.values.assign(outputs_.size(), std::monostate{});
  const std::optional<Hardware> hw = hardware_of(listing, memory_.config(), name(), out);
  if (!hw) return;
  const FitResult r = memory_.fit(deployment_, *hw);
  auto& v = out.values;
  v[kFits] = r.fits;
  v[kInstances] = r.instances;
  v[kTensorParallel] = r.memory.tensor_parallel;
  v[kMaxContext] = r.max_context;
  if (r.best_quant) {
    v[kBestQuant] = r.best_quant->id;
    if (r.best_quant->ppl_delta_pct) v[kBestQuantDelta] = *r.best_quant->ppl_delta_pct;
  }
  if (r.fits && r.tokens_per_s) v[kTokensPerS] = round2(*r.tokens_per_s);
  if (const auto usd = price_usd(listing, *currencies_); usd && r.fits) {
    const auto n = static_cast<double>(r.instances);
    v[kPricePerInstance] = round2(*usd / n);
    if (r.tokens_per_s && *r.tokens_per_s > 0) v[kUsdPerTokenS] = round2(*usd / (n * *r.tokens_per_s));
  }
  const MemoryBreakdown& b = r.memory;
  v[kWeights] = round2(b.weights);
  v[kKvCache] = round2(b.kv_cache);
  v[kComputeBuffer] = round2(b.compute_buffer);
  v[kRuntimeReserve] = round2(b.runtime_reserve);
  v[kTensorParallelGib] = round2(b.tensor_parallel_overhead);
  v[kPerGpu] = round2(b.per_instance());
  v[kUsable] = round2(b.usable);
  if (!r.mig.empty()) {
    std::string mig;
    for (const MigFit& m : r.mig) {
      if (!mig.empty()) mig.push_back(' ');
      fmt::format_to(std::back_inserter(mig), "{}:{}", m.profile, m.instances);
    }
    v[kMig] = std::move(mig);
  }
  if (!r.note.empty()) v[kNote] = r.note;
}

std::string FitStrategy::describe() const {
  const MemoryModelConfig& c = memory_.config();
  return fmt::format(
      "per GPU: weights/tp + KV cache + compute buffer + {} GiB runtime [+ {} GiB if tp > 1] <= {} x memory; "
      "{}, {} at {} tokens, {} KV",
      c.runtime_reserve_gib, c.tensor_parallel_gib, c.usable_share, model_->id,
      deployment_.quant ? deployment_.quant->id : model_->weight_quant, deployment_.context, deployment_.kv.id);
}

RealisticCapacityStrategy::RealisticCapacityStrategy(MemoryModel memory, const ModelCatalog& catalog,
                                                     const QuantType* quant, std::int64_t context)
    : memory_(std::move(memory)) {
  for (const auto& id : memory_.config().realistic_models) {
    Deployment d;
    d.model = catalog.find(id);
    d.quant = quant;
    // A model never runs past its own maximum context (Llama 2: 4096 tokens).
    d.context = std::min<std::int64_t>(context, d.model->max_context);
    deployments_.push_back(d);
    outputs_.push_back({fmt::format("realistic_capacity.{}", id),
                        ValueKind::kInteger,
                        fmt::format("instances of {} at {}, {} tokens of context, f16 KV, on the whole listing",
                                    d.model->name, quant->id, d.context),
                        {}});
  }
}

void RealisticCapacityStrategy::evaluate(const EnrichedGPUListing& listing, HeuristicResult& out) const {
  out.values.assign(outputs_.size(), std::monostate{});
  const std::optional<Hardware> hw = hardware_of(listing, memory_.config(), name(), out);
  if (!hw) return;
  for (std::size_t i = 0; i < deployments_.size(); ++i) out.values[i] = memory_.instances(deployments_[i], *hw);
}

std::string RealisticCapacityStrategy::describe() const {
  const MemoryModelConfig& c = memory_.config();
  const Deployment& d = deployments_.front();
  return fmt::format(
      "instances per listing: per GPU weights/tp + KV cache + compute buffer + {} GiB runtime [+ {} GiB if tp > 1] "
      "<= {} x memory; {} at {} tokens, f16 KV (docs/capacity.md)",
      c.runtime_reserve_gib, c.tensor_parallel_gib, c.usable_share, d.quant->id, d.context);
}

}  // namespace glyphsieve
