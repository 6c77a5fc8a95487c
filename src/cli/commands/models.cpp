// `glyphsieve models`: the LLM catalogue (model_catalog.yaml) and, with --quants, the quantization
// types (quant_types.yaml) that `fit` accepts, as a table or JSON.
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/app.hpp"
#include "glyphsieve/capacity/memory.hpp"

namespace glyphsieve::cli {
namespace {

struct ModelsOptions {
  bool quants = false;
  bool json = false;
};

/// fp16 KV-cache bytes per token of context (one sequence), the figure that decides long contexts.
double kv_per_token(const ModelSpec& m) {
  Deployment d;
  d.model = &m;
  d.context = 1;
  return MemoryModel::kv_bytes(d);
}

std::string traits(const ModelSpec& m) {
  std::vector<std::string> t;
  if (m.is_moe()) t.push_back(fmt::format("MoE {}x top-{}", m.experts, m.experts_per_token));
  if (m.is_mla()) t.push_back("MLA");
  if (!m.is_mla() && m.kv_heads == m.heads) t.push_back("MHA");
  if (!m.is_mla() && m.kv_heads < m.heads) t.push_back(fmt::format("GQA {}/{}", m.kv_heads, m.heads));
  if (m.sliding_window > 0)
    t.push_back(fmt::format("window {} on {} layers", m.sliding_window, m.sliding_window_layers));
  return fmt::format("{}", fmt::join(t, ", "));
}

void print_models(const ModelCatalog& catalog, bool json) {
  if (json) {
    auto all = nlohmann::ordered_json::array();
    for (const auto& m : catalog.models) {
      nlohmann::ordered_json j;
      j["id"] = m.id;
      j["name"] = m.name;
      j["aliases"] = m.aliases;
      j["params"] = static_cast<std::int64_t>(m.params);
      j["active_params"] = static_cast<std::int64_t>(m.active_params);
      j["layers"] = m.layers;
      j["hidden"] = m.hidden;
      j["heads"] = m.heads;
      j["kv_heads"] = m.kv_heads;
      j["head_dim"] = m.head_dim;
      j["vocab"] = m.vocab;
      j["tied_embeddings"] = m.tied_embeddings;
      j["max_context"] = m.max_context;
      j["kv_bytes_per_token_f16"] = static_cast<std::int64_t>(kv_per_token(m));
      if (m.sliding_window > 0) {
        j["sliding_window"] = m.sliding_window;
        j["sliding_window_layers"] = m.sliding_window_layers;
      }
      if (m.is_mla()) {
        j["kv_lora_rank"] = m.kv_lora_rank;
        j["qk_rope_head_dim"] = m.qk_rope_head_dim;
      }
      if (m.is_moe()) {
        j["experts"] = m.experts;
        j["experts_per_token"] = m.experts_per_token;
      }
      j["source"] = m.source;
      j["uncertain"] = m.uncertain;
      all.push_back(std::move(j));
    }
    std::cout << all.dump(2) << '\n';
    return;
  }
  fmt::print("{:<32} {:>9} {:>9} {:>6} {:>8} {:>11}  {}\n", "model", "params", "active", "layers", "context",
             "KV/token", "attention");
  for (const auto& m : catalog.models) {
    fmt::print("{:<32} {:>8.2f}B {:>8.2f}B {:>6} {:>8} {:>7.1f} KiB  {}\n", m.id, m.params / 1e9, m.active_params / 1e9,
               m.layers, m.max_context, kv_per_token(m) / 1024.0, traits(m));
  }
}

void print_quants(const QuantTypes& quants, bool json) {
  if (json) {
    auto all = nlohmann::ordered_json::array();
    for (const auto& q : quants.types) {
      nlohmann::ordered_json j;
      j["id"] = q.id;
      j["family"] = q.family;
      j["bpw"] = q.bits_per_weight;
      j["ppl_delta_pct"] = q.ppl_delta_pct ? nlohmann::ordered_json(*q.ppl_delta_pct) : nlohmann::ordered_json();
      j["quality_basis"] = q.quality_basis;
      j["source"] = q.source;
      all.push_back(std::move(j));
    }
    std::cout << all.dump(2) << '\n';
    return;
  }
  fmt::print("{:<16} {:<13} {:>8} {:>10}\n", "quantization", "family", "bpw", "ΔPPL %");
  for (const auto& q : quants.types) {
    fmt::print("{:<16} {:<13} {:>8.4f} {:>10}\n", q.id, q.family, q.bits_per_weight,
               q.ppl_delta_pct ? fmt::format("{:.2f}", *q.ppl_delta_pct) : "-");
  }
}

}  // namespace

void add_models(CLI::App& cmd, GlobalOptions& global) {
  auto o = std::make_shared<ModelsOptions>();
  cmd.add_flag("--quants", o->quants, "List the quantization types instead (bits per weight, quality cost)");
  cmd.add_flag("--json", o->json, "Print JSON instead of a table");
  cmd.callback([o, &global] {
    ResourceContext& res = resources(global);
    if (o->quants) {
      print_quants(res.quant_types(), o->json);
    } else {
      print_models(res.model_catalog(), o->json);
    }
  });
}

}  // namespace glyphsieve::cli
