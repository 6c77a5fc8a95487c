// The realistic memory model: what one instance of a model needs on each GPU it uses, term by term,
// and what a listing's cards can therefore serve. Pure arithmetic over the catalogue types; every
// constant comes from memory_model.yaml (docs/capacity.md has the formulas and their sources).
//
// Units: bytes in, GiB (2^30 bytes) out. A card's memory (vram_gb) is taken as GiB: GPU memory comes
// in binary sizes (an "80GB" H100 reports 81,559 MiB, a "24GB" RTX 4090 24,564 MiB).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "glyphsieve/capacity/catalog.hpp"

namespace glyphsieve {

inline constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

/// What is being deployed: a model, at a quantization, a context and a KV-cache type.
struct Deployment {
  const ModelSpec* model = nullptr;
  /// nullptr: the model's own weight_bytes (a GGUF file). REQUIRES: non-null when the model has none.
  const QuantType* quant = nullptr;
  std::int64_t context = 8192;  ///< tokens of context per sequence, >= 1
  KvDtype kv{"f16", 2};
  std::int64_t parallel = 1;  ///< sequences served at once by one instance (each has its own KV cache)
};

/// The hardware of one listing.
struct Hardware {
  double memory_gib = 0;                 ///< memory of one GPU (nominal, or measured by `probe`)
  std::int64_t gpu_count = 1;            ///< identical GPUs in the listing
  std::optional<double> bandwidth_gbps;  ///< memory bandwidth of one GPU, GB/s (10^9 bytes)
  const MigProfileSet* mig = nullptr;    ///< the card's MIG profiles, when it has MIG
};

/// The hardware of a listing as the memory model sees it: `count` boards of registry model `gpu` with
/// `memory_gib` each (nominal vram_gb, or measured per device when `measured`). A board that carries
/// several GPUs (memory_model.yaml `boards`) becomes that many devices, each with its share of the
/// memory and bandwidth, unless the memory was measured (probe lists each device on its own).
/// `mig_support` > 0 attaches the card's MIG profiles.
Hardware listing_hardware(const MemoryModelConfig& config, std::string_view gpu, double memory_gib, bool measured,
                          std::int64_t count, std::optional<double> bandwidth_gbps, std::int64_t mig_support);

/// One instance's memory on each GPU it spans, GiB. Every term is reported separately.
struct MemoryBreakdown {
  std::int64_t tensor_parallel = 1;     ///< GPUs one instance spans
  double weights = 0;                   ///< weights / tensor_parallel
  double kv_cache = 0;                  ///< KV cache of every parallel sequence, this GPU's share
  double compute_buffer = 0;            ///< activations and logits of one micro-batch
  double runtime_reserve = 0;           ///< CUDA context and runtime, paid on every GPU
  double tensor_parallel_overhead = 0;  ///< communication buffers, only when tensor_parallel > 1
  double usable = 0;                    ///< memory of one GPU the instances may fill
  double per_instance() const {
    return weights + kv_cache + compute_buffer + runtime_reserve + tensor_parallel_overhead;
  }
};

/// One MIG profile and how many instances a card of such slices holds.
struct MigFit {
  std::string profile;         ///< "1g.10gb"
  std::int64_t instances = 0;  ///< max_instances slices x instances per slice (>= 1: only profiles that fit)
};

/// The answer for one listing.
struct FitResult {
  bool fits = false;           ///< at least one instance fits
  std::int64_t instances = 0;  ///< instances the whole listing holds
  MemoryBreakdown memory;      ///< at the tensor-parallel size that gives the most instances (ties: smallest)
  /// Longest context one instance can have (any valid tensor-parallel size), capped at the model's
  /// max_context; 0 when not even the shortest context fits.
  std::int64_t max_context = 0;
  const QuantType* best_quant = nullptr;  ///< first of the quant walk that fits; nullptr: none does
  std::optional<double> tokens_per_s;     ///< decode upper bound of one instance (needs bandwidth)
  std::vector<MigFit> mig;                ///< MIG profiles in which at least one instance fits
  std::string note;                       ///< why it does not fit, when it does not
};

class MemoryModel {
 public:
  /// `quants` must outlive the model (FitResult::best_quant points into it).
  MemoryModel(MemoryModelConfig config, const QuantTypes& quants);

  const MemoryModelConfig& config() const { return config_; }

  /// Bytes of the weights: the model's weight_bytes when d.quant is null, else params x bpw / 8.
  /// MoE models are sized by their total parameters.
  static double weight_bytes(const Deployment& d);
  /// Bytes of the KV cache of all d.parallel sequences on one GPU of a tensor-parallel group of `tp`:
  ///   standard/GQA: 2 x layers x kv_heads_per_gpu x head_dim x tokens x bytes (kv heads divided by tp,
  ///                 at least 1 per GPU: vLLM replicates them when kv_heads < tp);
  ///   sliding-window layers hold min(context, window) tokens;
  ///   MLA: layers x (kv_lora_rank + qk_rope_head_dim) x tokens x bytes, replicated on every GPU.
  static double kv_bytes(const Deployment& d, std::int64_t tp = 1);
  /// Bytes of the compute buffer on one GPU (ollama's graph estimate for one micro-batch):
  ///   4 x ubatch x max(hidden + vocab, 1 + 4 x hidden [+ context x (1 + heads / tp) without flash attention]).
  double compute_buffer_bytes(const Deployment& d, std::int64_t tp = 1) const;

  /// The memory of one instance per GPU at tensor-parallel size `tp` on a GPU of `memory_gib`.
  MemoryBreakdown breakdown(const Deployment& d, std::int64_t tp, double memory_gib) const;
  /// Tensor-parallel sizes a listing of `gpu_count` GPUs can use: 1, and every t <= gpu_count that
  /// divides the attention heads (MIG slices and a single card: only 1).
  static std::vector<std::int64_t> tensor_parallel_sizes(const ModelSpec& m, std::int64_t gpu_count);
  /// Instances the listing holds; `best` receives the breakdown of the tensor-parallel size used.
  std::int64_t instances(const Deployment& d, const Hardware& hw, MemoryBreakdown* best = nullptr) const;
  /// The longest context one instance can have on `hw`, capped at the model's max_context (0: none).
  std::int64_t max_context(const Deployment& d, const Hardware& hw) const;
  /// Decode tokens/s upper bound of one instance: bandwidth / bytes read per token, where a token reads
  /// the active weights and one sequence's KV cache at d.context (each GPU its share, in parallel).
  static std::optional<double> tokens_per_s(const Deployment& d, const Hardware& hw, std::int64_t tp);

  /// Everything for one listing: instances, breakdown, max context, best quantization, tokens/s, MIG.
  FitResult fit(const Deployment& d, const Hardware& hw) const;

 private:
  MemoryModelConfig config_;
  std::vector<const QuantType*> walk_;  // config_.quant_walk resolved in `quants`
};

}  // namespace glyphsieve
