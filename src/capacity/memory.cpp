// The realistic memory model (see memory.hpp for each formula's contract, docs/capacity.md for the
// sources of the constants).
#include "glyphsieve/capacity/memory.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace glyphsieve {
namespace {

/// floor(usable / need), exact fits kept exact (7.2 / 2.4 must be 3, not 2.9999999).
std::int64_t copies(double usable, double need) {
  if (usable <= 0 || need <= 0) return 0;
  return static_cast<std::int64_t>(std::floor(usable / need + 1e-9));
}

/// The largest tensor-parallel size worth trying: NVIDIA's NVLink domains hold 8 GPUs per node
/// (72 in a rack); beyond 64 a listing's "gpu_count" is no longer one server.
constexpr std::int64_t kMaxTensorParallel = 64;

}  // namespace

Hardware listing_hardware(const MemoryModelConfig& config, std::string_view gpu, double memory_gib, bool measured,
                          std::int64_t count, std::optional<double> bandwidth_gbps, std::int64_t mig_support) {
  Hardware hw;
  const int devices = measured ? 1 : config.devices_per_board(gpu);
  hw.memory_gib = memory_gib / devices;
  hw.gpu_count = std::max<std::int64_t>(1, count) * devices;
  if (bandwidth_gbps) hw.bandwidth_gbps = *bandwidth_gbps / devices;
  if (mig_support > 0) hw.mig = config.mig_profiles(gpu);
  return hw;
}

MemoryModel::MemoryModel(MemoryModelConfig config, const QuantTypes& quants) : config_(std::move(config)) {
  for (const auto& id : config_.quant_walk) {
    if (const QuantType* q = quants.find(id)) walk_.push_back(q);
  }
}

double MemoryModel::weight_bytes(const Deployment& d) {
  if (!d.quant) return d.model->weight_bytes.value_or(0);
  const ModelSpec& m = *d.model;
  if (d.quant->family == "gguf" || d.quant->family == "float") return m.params * d.quant->bits_per_weight / 8;
  // GPTQ, AWQ, bitsandbytes, FP8 and FP4 quantize the linear layers only: the embeddings and the
  // output head stay 16-bit (about 2 GiB of a "4-bit" Llama-3.1-8B). A GGUF bpw already covers them.
  const double embeddings =
      std::min(m.params, static_cast<double>(m.vocab) * m.hidden * (m.tied_embeddings ? 1.0 : 2.0));
  return (m.params - embeddings) * d.quant->bits_per_weight / 8 + embeddings * 2;
}

double MemoryModel::kv_bytes(const Deployment& d, std::int64_t tp) {
  const ModelSpec& m = *d.model;
  const auto context = static_cast<double>(d.context);
  const auto sequences = static_cast<double>(d.parallel);
  if (m.is_mla()) {
    // One compressed latent (plus the decoupled RoPE key) per token and layer, shared by every head:
    // nothing to split across GPUs, so each GPU of the group holds all of it.
    return static_cast<double>(m.layers) * (m.kv_lora_rank + m.qk_rope_head_dim) * context * d.kv.bytes * sequences;
  }
  // Each GPU holds its share of the KV heads, and at least one (replicated when kv_heads < tp).
  const std::int64_t heads_here = std::max<std::int64_t>(1, (m.kv_heads + tp - 1) / tp);
  const std::int64_t windowed = m.sliding_window > 0 ? m.sliding_window_layers : 0;
  const double window_tokens = std::min(context, static_cast<double>(m.sliding_window));
  const double layer_tokens =
      static_cast<double>(m.layers - windowed) * context + static_cast<double>(windowed) * window_tokens;
  return 2.0 * static_cast<double>(heads_here) * m.head_dim * layer_tokens * d.kv.bytes * sequences;
}

double MemoryModel::compute_buffer_bytes(const Deployment& d, std::int64_t tp) const {
  const ModelSpec& m = *d.model;
  // A micro-batch never holds more tokens than the context has room for.
  const double batch = static_cast<double>(std::min<std::int64_t>(config_.ubatch, d.context * d.parallel));
  const double logits = static_cast<double>(m.hidden) + m.vocab;
  double attention = 1.0 + 4.0 * m.hidden;
  if (!config_.flash_attention) {
    attention += static_cast<double>(d.context) * (1.0 + static_cast<double>(m.heads) / static_cast<double>(tp));
  }
  return 4.0 * batch * std::max(logits, attention);
}

MemoryBreakdown MemoryModel::breakdown(const Deployment& d, std::int64_t tp, double memory_gib) const {
  MemoryBreakdown b;
  b.tensor_parallel = tp;
  b.weights = weight_bytes(d) / static_cast<double>(tp) / kGiB;
  b.kv_cache = kv_bytes(d, tp) / kGiB;
  b.compute_buffer = compute_buffer_bytes(d, tp) / kGiB;
  b.runtime_reserve = config_.runtime_reserve_gib;
  b.tensor_parallel_overhead = tp > 1 ? config_.tensor_parallel_gib : 0;
  b.usable = memory_gib * config_.usable_share;
  return b;
}

std::vector<std::int64_t> MemoryModel::tensor_parallel_sizes(const ModelSpec& m, std::int64_t gpu_count) {
  std::vector<std::int64_t> out = {1};
  const std::int64_t most = std::min(gpu_count, kMaxTensorParallel);
  for (std::int64_t t = 2; t <= most; ++t) {
    // vLLM's rules: the attention heads split evenly, and the KV heads either split evenly or are
    // replicated a whole number of times.
    if (m.heads % t != 0) continue;
    if (!m.is_mla() && m.kv_heads % t != 0 && t % m.kv_heads != 0) continue;
    out.push_back(t);
  }
  return out;
}

std::int64_t MemoryModel::instances(const Deployment& d, const Hardware& hw, MemoryBreakdown* best) const {
  std::int64_t best_n = 0;
  const std::vector<std::int64_t> sizes = tensor_parallel_sizes(*d.model, std::max<std::int64_t>(1, hw.gpu_count));
  for (const std::int64_t tp : sizes) {
    const MemoryBreakdown b = breakdown(d, tp, hw.memory_gib);
    const std::int64_t n = (hw.gpu_count / tp) * copies(b.usable, b.per_instance());
    if (n > best_n) {
      best_n = n;
      if (best) *best = b;
    }
  }
  // Nothing fits: show the split that comes closest (the most GPUs per instance).
  if (best_n == 0 && best) *best = breakdown(d, sizes.back(), hw.memory_gib);
  return best_n;
}

std::int64_t MemoryModel::max_context(const Deployment& d, const Hardware& hw) const {
  Deployment probe = d;
  const auto fits = [&](std::int64_t context) {
    probe.context = context;
    return instances(probe, hw) > 0;
  };
  std::int64_t lo = 1;
  std::int64_t hi = std::max(1, d.model->max_context);
  if (!fits(lo)) return 0;
  if (fits(hi)) return hi;
  // Invariant: fits(lo), !fits(hi). Memory only grows with the context, so the answer is monotone.
  while (hi - lo > 1) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    (fits(mid) ? lo : hi) = mid;
  }
  return lo;
}

std::optional<double> MemoryModel::tokens_per_s(const Deployment& d, const Hardware& hw, std::int64_t tp) {
  if (!hw.bandwidth_gbps || *hw.bandwidth_gbps <= 0) return std::nullopt;
  // Decoding one token reads every active weight once and the whole KV cache of its sequence;
  // the GPUs of a tensor-parallel group each read their share at the same time.
  const ModelSpec& m = *d.model;
  const double active = m.params > 0 ? m.active_params / m.params : 1.0;
  Deployment one = d;
  one.parallel = 1;
  const double bytes = weight_bytes(d) * active / static_cast<double>(tp) + kv_bytes(one, tp);
  if (bytes <= 0) return std::nullopt;
  return *hw.bandwidth_gbps * 1e9 / bytes;
}

FitResult MemoryModel::fit(const Deployment& d, const Hardware& hw) const {
  FitResult r;
  r.instances = instances(d, hw, &r.memory);
  r.fits = r.instances > 0;
  r.max_context = max_context(d, hw);
  for (const QuantType* q : walk_) {
    Deployment dq = d;
    dq.quant = q;
    if (instances(dq, hw) > 0) {
      r.best_quant = q;
      break;
    }
  }
  if (r.fits) r.tokens_per_s = tokens_per_s(d, hw, r.memory.tensor_parallel);
  if (hw.mig) {
    for (const MigProfile& p : hw.mig->profiles) {
      // A slice is a device of its own: one GPU, no peer-to-peer link, so no tensor parallelism.
      const Hardware slice{p.memory_gib, 1, hw.bandwidth_gbps, nullptr};
      const std::int64_t per_slice = instances(d, slice);
      if (per_slice > 0) r.mig.push_back({p.name, per_slice * p.max_instances});
    }
  }
  if (!r.fits) {
    const MemoryBreakdown& b = r.memory;
    r.note = fmt::format("needs {:.2f} GiB per GPU{}, {:.2f} GiB usable", b.per_instance(),
                         b.tensor_parallel > 1 ? fmt::format(" split over {} GPUs", b.tensor_parallel) : "", b.usable);
  }
  return r;
}

}  // namespace glyphsieve
