// Hugging Face config.json -> ModelSpec for `fit --model-config`: the architecture fields, and the
// parameter count computed from the layer shapes (quant-facts.md §4 gives the counting and the models
// it reproduces exactly). nlohmann_json stays in this file; its exceptions become located Errors.
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "glyphsieve/capacity/model_file.hpp"
#include "glyphsieve/core/error.hpp"

namespace glyphsieve {
namespace {

using Json = nlohmann::json;

// Sanity limits: far above any real model; a config beyond them is broken or hostile.
constexpr std::int64_t kMaxLayers = 1000;
constexpr std::int64_t kMaxHidden = 1'000'000;
constexpr std::int64_t kMaxHeads = 10'000;
constexpr std::int64_t kMaxVocab = 10'000'000;
constexpr std::int64_t kMaxContext = 100'000'000;
constexpr std::int64_t kMaxWidth = 10'000'000;  // intermediate sizes, LoRA ranks, head dims
constexpr std::int64_t kMaxExperts = 100'000;

bool one_of(std::string_view value, std::initializer_list<std::string_view> names) {
  return std::find(names.begin(), names.end(), value) != names.end();
}

/// Typed, range-checked reads of one JSON object; every error names the key (with `prefix_`, e.g.
/// "text_config.") and the file.
class ConfigReader {
 public:
  ConfigReader(const Json& object, std::string file, std::string prefix)
      : object_(object), file_(std::move(file)), prefix_(std::move(prefix)) {}

  [[noreturn]] void fail(std::string_view key, const std::string& message) const {
    throw Error(ExitCode::kDataError, message, Location{file_, 0, 0, prefix_ + std::string(key)}, /*yaml_key=*/true);
  }

  /// The value at `key`, or nullptr when absent or null (HF writes null for "not used").
  const Json* find(std::string_view key) const {
    const auto it = object_.find(key);
    return it == object_.end() || it->is_null() ? nullptr : &*it;
  }

  /// An integer in [min, max], or nullopt when absent or null.
  std::optional<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max) const {
    const Json* v = find(key);
    if (v == nullptr) return std::nullopt;
    if (v->is_number_unsigned()) {
      const auto u = v->get<std::uint64_t>();
      if (u > static_cast<std::uint64_t>(max)) fail(key, fmt::format("{} is {}, over the limit of {}", key, u, max));
      const auto i = static_cast<std::int64_t>(u);
      if (i < min) fail(key, fmt::format("{} is {}; it must be at least {}", key, i, min));
      return i;
    }
    if (v->is_number_integer()) {
      const auto i = v->get<std::int64_t>();
      if (i < min) fail(key, fmt::format("{} is {}; it must be at least {}", key, i, min));
      if (i > max) fail(key, fmt::format("{} is {}, over the limit of {}", key, i, max));
      return i;
    }
    fail(key, fmt::format("{} must be an integer, got {}", key, shown(*v)));
  }

  /// A positive integer that must be present.
  std::int64_t required(std::string_view key, std::int64_t max) const {
    const auto v = integer(key, 1, max);
    if (!v) fail(key, fmt::format("missing key {}: the config must give it as a positive integer", key));
    return *v;
  }

  std::optional<bool> flag(std::string_view key) const {
    const Json* v = find(key);
    if (v == nullptr) return std::nullopt;
    if (!v->is_boolean()) fail(key, fmt::format("{} must be true or false, got {}", key, shown(*v)));
    return v->get<bool>();
  }

  std::string text(std::string_view key) const {
    const Json* v = find(key);
    return v != nullptr && v->is_string() ? v->get<std::string>() : std::string();
  }

 private:
  static std::string shown(const Json& v) {
    std::string s = v.dump(-1, ' ', false, Json::error_handler_t::replace);
    if (s.size() > 40) s = s.substr(0, 37) + "...";
    return s;
  }

  const Json& object_;
  std::string file_;
  std::string prefix_;
};

/// Where nlohmann's parse_error points: its byte is the 1-based index of the last character read.
Location json_error_location(std::string_view text, std::size_t byte, const std::string& file) {
  const std::size_t pos = std::min(byte == 0 ? 0 : byte - 1, text.size());
  const std::string_view before = text.substr(0, pos);
  const auto line = 1 + std::count(before.begin(), before.end(), '\n');
  const std::size_t line_start = before.rfind('\n') == std::string_view::npos ? 0 : before.rfind('\n') + 1;
  return Location{file, static_cast<std::int64_t>(line), static_cast<std::int64_t>(pos - line_start + 1), ""};
}

/// nlohmann's message without its "[json.exception...] parse error at line L, column C: " prefix, and
/// with any non-ASCII byte it quotes from the input ("last read: ...") shown as '?' (it may be invalid UTF-8).
std::string json_error_text(const std::string& what) {
  const auto at = what.find("parse error");
  const auto colon = at == std::string::npos ? std::string::npos : what.find(": ", at);
  std::string text = colon == std::string::npos ? what : what.substr(colon + 2);
  for (char& ch : text) {
    if (static_cast<unsigned char>(ch) >= 0x80) ch = '?';
  }
  return text;
}

/// Layer shapes read from the config, then counted.
struct Shapes {
  std::string model_type;
  std::int64_t layers = 0, hidden = 0, heads = 0, kv_heads = 0, head_dim = 0, vocab = 0;
  bool tied = false;
  std::int64_t intermediate = 0;  // dense MLP width (0 when the config has none)
  bool qkv_bias = false, o_bias = false;
  std::int64_t norms_per_layer = 2;
  bool qk_norm = false;  // per-head RMSNorm on q and k (Qwen3, Gemma 3)
  // MoE
  std::int64_t experts = 0, experts_per_token = 0, expert_intermediate = 0, shared_experts = 0;
  std::int64_t shared_expert_intermediate = 0;  // Qwen2-MoE's single shared expert (plus its gate)
  std::int64_t dense_layers = 0;                // first_k_dense_replace
  // MLA
  std::int64_t kv_lora_rank = 0, q_lora_rank = 0, rope_dim = 0, nope_dim = 0, v_dim = 0;
};

/// Parameters of one attention block (with its norms on q/k).
double attention_params(const Shapes& s) {
  const auto h = static_cast<double>(s.hidden);
  const auto heads = static_cast<double>(s.heads);
  if (s.kv_lora_rank > 0) {  // DeepSeek-V2 multi-head latent attention
    const auto qk = static_cast<double>(s.nope_dim + s.rope_dim);
    const auto kvr = static_cast<double>(s.kv_lora_rank);
    double q = 0;
    if (s.q_lora_rank > 0) {
      const auto qr = static_cast<double>(s.q_lora_rank);
      q = h * qr + qr + qr * heads * qk;  // q_a_proj, q_a_layernorm, q_b_proj
    } else {
      q = h * heads * qk;  // q_proj
    }
    const double kv_a = h * (kvr + static_cast<double>(s.rope_dim)) + kvr;        // + kv_a_layernorm
    const double kv_b = kvr * heads * static_cast<double>(s.nope_dim + s.v_dim);  // kv_b_proj
    const double o = heads * static_cast<double>(s.v_dim) * h;                    // o_proj
    return q + kv_a + kv_b + o;
  }
  const auto d = static_cast<double>(s.head_dim);
  const auto kv = static_cast<double>(s.kv_heads);
  double p = h * heads * d + 2 * h * kv * d + heads * d * h;
  if (s.qkv_bias) p += heads * d + 2 * kv * d;
  if (s.o_bias) p += h;
  if (s.qk_norm) p += 2 * d;
  return p;
}

/// Parameters of one MoE block with `routed` experts counted (all for the total, top-k for active).
double moe_params(const Shapes& s, std::int64_t routed) {
  const auto h = static_cast<double>(s.hidden);
  double p = static_cast<double>(routed) * 3 * h * static_cast<double>(s.expert_intermediate);
  p += h * static_cast<double>(s.experts);  // router
  p += static_cast<double>(s.shared_experts) * 3 * h * static_cast<double>(s.expert_intermediate);
  if (s.shared_expert_intermediate > 0) p += 3 * h * static_cast<double>(s.shared_expert_intermediate) + h;
  return p;
}

/// {total, active}: embeddings (x2 untied), per layer attention + MLP/MoE + norms, final norm.
std::pair<double, double> count_params(const Shapes& s) {
  const auto h = static_cast<double>(s.hidden);
  const double embeddings = static_cast<double>(s.vocab) * h * (s.tied ? 1 : 2);
  const double per_layer = attention_params(s) + static_cast<double>(s.norms_per_layer) * h;
  const double dense_mlp = 3 * h * static_cast<double>(s.intermediate);
  const auto layers = static_cast<double>(s.layers);
  if (s.experts == 0) {
    const double total = embeddings + layers * (per_layer + dense_mlp) + h;
    return {total, total};
  }
  const auto dense_layers = static_cast<double>(s.dense_layers);
  const double moe_layers = layers - dense_layers;
  const double common = embeddings + layers * per_layer + dense_layers * dense_mlp + h;
  return {common + moe_layers * moe_params(s, s.experts), common + moe_layers * moe_params(s, s.experts_per_token)};
}

ModelSpec build(const Json& root, const std::string& file) {
  if (!root.is_object()) {
    throw Error(ExitCode::kDataError, "a config.json must hold a JSON object", Location{file});
  }
  // Multimodal configs (Gemma 3, LLaVA, Qwen2-VL ...) keep the language model under text_config.
  const Json* object = &root;
  std::string prefix;
  if (!root.contains("num_hidden_layers")) {
    const auto it = root.find("text_config");
    if (it != root.end() && it->is_object()) {
      object = &*it;
      prefix = "text_config.";
    }
  }
  const ConfigReader c(*object, file, prefix);
  const ConfigReader top(root, file, "");

  Shapes s;
  s.model_type = c.text("model_type");
  if (s.model_type.empty()) s.model_type = top.text("model_type");
  s.layers = c.required("num_hidden_layers", kMaxLayers);
  s.hidden = c.required("hidden_size", kMaxHidden);
  s.heads = c.required("num_attention_heads", kMaxHeads);
  s.vocab = c.required("vocab_size", kMaxVocab);
  s.kv_heads = c.integer("num_key_value_heads", 1, kMaxHeads).value_or(s.heads);
  if (s.kv_heads > s.heads) {
    c.fail("num_key_value_heads",
           fmt::format("num_key_value_heads ({}) is more than num_attention_heads ({})", s.kv_heads, s.heads));
  }
  // Gemma's config classes default to tied embeddings, and transformers leaves defaults out of the file.
  const bool tied_default = one_of(s.model_type, {"gemma", "gemma2", "gemma3", "gemma3_text"});
  s.tied = c.flag("tie_word_embeddings").value_or(top.flag("tie_word_embeddings").value_or(tied_default));
  const bool qwen2 = one_of(s.model_type, {"qwen2", "qwen2_moe", "qwen2_vl", "qwen2_5_vl"});
  const bool attention_bias = c.flag("attention_bias").value_or(false);
  s.qkv_bias = attention_bias || qwen2;
  s.o_bias = attention_bias && !qwen2;  // Llama-style attention_bias also covers o_proj; Qwen2 never
  if (one_of(s.model_type, {"gemma2", "gemma3", "gemma3_text"})) s.norms_per_layer = 4;  // sandwich norms
  s.qk_norm = one_of(s.model_type, {"qwen3", "qwen3_moe", "gemma3", "gemma3_text"});

  // MLA (DeepSeek-V2/V3).
  s.kv_lora_rank = c.integer("kv_lora_rank", 0, kMaxWidth).value_or(0);
  if (s.kv_lora_rank > 0) {
    const auto need = [&](std::string_view key) {
      const auto v = c.integer(key, 0, kMaxWidth);
      if (!v) c.fail(key, fmt::format("missing key {}: an MLA config (kv_lora_rank) must give it", key));
      return *v;
    };
    s.rope_dim = need("qk_rope_head_dim");
    s.nope_dim = need("qk_nope_head_dim");
    s.v_dim = need("v_head_dim");
    s.q_lora_rank = c.integer("q_lora_rank", 0, kMaxWidth).value_or(0);
  }
  const std::int64_t derived_head_dim = s.kv_lora_rank > 0 ? s.nope_dim + s.rope_dim : s.hidden / s.heads;
  s.head_dim = c.integer("head_dim", 1, kMaxWidth).value_or(derived_head_dim);
  if (s.head_dim <= 0) c.fail("head_dim", "head_dim works out to 0; the config must give it");

  // MoE: Mixtral (num_local_experts), DeepSeek (n_routed_experts), Qwen-MoE (num_experts).
  for (const char* key : {"num_local_experts", "n_routed_experts", "num_experts"}) {
    if (const auto v = c.integer(key, 0, kMaxExperts); v && *v > 0) {
      s.experts = *v;
      break;
    }
  }
  s.intermediate = c.integer("intermediate_size", 1, kMaxWidth).value_or(0);
  if (s.experts > 0) {
    const auto top_k = c.integer("num_experts_per_tok", 1, s.experts);
    if (!top_k) c.fail("num_experts_per_tok", "missing key num_experts_per_tok: a MoE config must give it");
    s.experts_per_token = *top_k;
    s.expert_intermediate = c.integer("moe_intermediate_size", 1, kMaxWidth).value_or(s.intermediate);
    if (s.expert_intermediate == 0) {
      c.fail("moe_intermediate_size",
             "missing key moe_intermediate_size (or intermediate_size): a MoE config must give it");
    }
    s.shared_experts = c.integer("n_shared_experts", 0, kMaxExperts).value_or(0);
    s.shared_expert_intermediate = c.integer("shared_expert_intermediate_size", 0, kMaxWidth).value_or(0);
    s.dense_layers = c.integer("first_k_dense_replace", 0, s.layers).value_or(0);
  }
  if ((s.experts == 0 || s.dense_layers > 0) && s.intermediate == 0) {
    c.fail("intermediate_size", "missing key intermediate_size: the config must give it as a positive integer");
  }

  ModelSpec m;
  m.layers = static_cast<int>(s.layers);
  m.hidden = static_cast<int>(s.hidden);
  m.heads = static_cast<int>(s.heads);
  m.kv_heads = static_cast<int>(s.kv_heads);
  m.head_dim = static_cast<int>(s.head_dim);
  m.vocab = static_cast<int>(s.vocab);
  m.tied_embeddings = s.tied;
  m.max_context = static_cast<int>(c.integer("max_position_embeddings", 1, kMaxContext).value_or(0));
  m.kv_lora_rank = static_cast<int>(s.kv_lora_rank);
  m.qk_rope_head_dim = static_cast<int>(s.rope_dim);
  m.experts = static_cast<int>(s.experts);
  m.experts_per_token = static_cast<int>(s.experts_per_token);

  // Sliding-window attention: which layers keep only the window.
  const std::int64_t window = c.integer("sliding_window", 0, kMaxContext).value_or(0);
  std::int64_t windowed = 0;
  if (window > 0) {
    const std::optional<bool> use_window = c.flag("use_sliding_window");
    const Json* layer_types = c.find("layer_types");
    if (use_window == false) {
      windowed = 0;  // Qwen2: the window is configured but switched off
    } else if (layer_types != nullptr && layer_types->is_array()) {
      windowed = std::count(layer_types->begin(), layer_types->end(), Json("sliding_attention"));
    } else if (s.model_type == "gemma2") {
      windowed = (s.layers + 1) / 2;  // even layers local, odd layers global
    } else if (one_of(s.model_type, {"gemma3", "gemma3_text"})) {
      const std::int64_t pattern = c.integer("sliding_window_pattern", 1, kMaxLayers).value_or(6);
      windowed = s.layers - s.layers / pattern;  // every pattern-th layer is global
    } else if (use_window == true && c.find("max_window_layers") != nullptr) {
      // Qwen2 with the window on: layers from max_window_layers up use it.
      windowed = s.layers - std::min(s.layers, *c.integer("max_window_layers", 0, kMaxLayers));
    } else {
      windowed = s.layers;  // Mistral v0.1 and the like: every layer
    }
  }
  windowed = std::min(windowed, s.layers);
  if (windowed > 0) {
    m.sliding_window = static_cast<int>(window);
    m.sliding_window_layers = static_cast<int>(windowed);
  }

  const auto [total, active] = count_params(s);
  m.params = total;
  m.active_params = active;
  m.id = top.text("_name_or_path");
  if (m.id.empty()) m.id = std::filesystem::path(file).stem().string();
  m.name = m.id;
  m.source = "config.json: " + file;
  m.uncertain = {"params"};
  return m;
}

}  // namespace

ModelSpec read_hf_config(std::string_view json_text, const std::string& file) {
  Json root;
  try {
    root = Json::parse(json_text.begin(), json_text.end());
  } catch (const Json::parse_error& e) {
    throw Error(ExitCode::kDataError, "invalid JSON: " + json_error_text(e.what()),
                json_error_location(json_text, e.byte, file));
  } catch (const Json::exception& e) {
    throw Error(ExitCode::kDataError, fmt::format("invalid JSON: {}", e.what()), Location{file});
  }
  try {
    return build(root, file);
  } catch (const Json::exception& e) {  // not expected: every access is type-checked first
    throw Error(ExitCode::kDataError, fmt::format("cannot read the config: {}", e.what()), Location{file});
  }
}

}  // namespace glyphsieve
