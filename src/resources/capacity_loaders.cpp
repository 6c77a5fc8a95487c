// YAML -> typed structs for the deployability resources (model_catalog.yaml, quant_types.yaml,
// memory_model.yaml), with range checks and cross-references validated here, so the memory model
// never sees a model with 0 layers or a quantization walk that names an unknown type.
#include <map>
#include <set>

#include <fmt/format.h>

#include "glyphsieve/core/text.hpp"
#include "resources/loaders.hpp"
#include "resources/yaml_reader.hpp"

namespace glyphsieve {
namespace {

void check_version(const yaml::MapReader& root) {
  if (root.has("version")) root.integer("version", 1, 1);
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return s;
}

/// Remembers names (case-insensitively) and throws a located error on the second use of one.
class UniqueNames {
 public:
  explicit UniqueNames(std::string what) : what_(std::move(what)) {}
  void add(const std::string& name, const Location& at) {
    const auto [it, fresh] = lines_.emplace(lower(name), at.line);
    if (!fresh) throw_config_error(fmt::format("duplicate {} \"{}\" (first at line {})", what_, name, it->second), at);
  }

 private:
  std::string what_;
  std::map<std::string, std::int64_t> lines_;
};

}  // namespace

ModelCatalog load_model_catalog(const std::string& text, const std::string& file) {
  const YAML::Node doc = yaml::parse(text, file);
  const yaml::MapReader root(doc, file, "the model catalogue", {"version", "models"});
  check_version(root);
  static const std::vector<std::string> kKeys = {"id",
                                                 "name",
                                                 "aliases",
                                                 "params",
                                                 "active_params",
                                                 "layers",
                                                 "hidden",
                                                 "heads",
                                                 "kv_heads",
                                                 "head_dim",
                                                 "vocab",
                                                 "tied_embeddings",
                                                 "max_context",
                                                 "sliding_window",
                                                 "sliding_window_layers",
                                                 "kv_lora_rank",
                                                 "qk_rope_head_dim",
                                                 "experts",
                                                 "experts_per_token",
                                                 "source",
                                                 "uncertain"};
  static const Regex kId("^[a-z0-9][a-z0-9._-]*$");
  ModelCatalog out;
  UniqueNames names("model name");  // ids and aliases share one namespace: --model accepts either
  for (const YAML::Node& item : root.sequence("models")) {
    const yaml::MapReader m(item, file, "a catalogue model", kKeys);
    ModelSpec s;
    s.id = m.string("id");
    if (!kId.search(s.id)) {
      throw_config_error("an id is lower case letters, digits, '.', '_' or '-' (e.g. llama-3.1-8b)", m.where("id"));
    }
    names.add(s.id, m.where("id"));
    s.name = m.opt_string("name").value_or(s.id);
    s.aliases = m.strings("aliases");
    for (const auto& a : s.aliases) names.add(a, m.where("aliases"));
    // Parameter counts are exact integers up to a few trillion: doubles hold them exactly (< 2^53).
    s.params = m.number("params", 1e6, 1e13);
    s.active_params = m.opt_number("active_params", 1e6, 1e13).value_or(s.params);
    if (s.active_params > s.params) {
      throw_config_error("active_params cannot exceed params", m.where("active_params"));
    }
    s.layers = m.integer("layers", 1, 1000);
    s.hidden = m.integer("hidden", 1, 1'000'000);
    s.heads = m.integer("heads", 1, 10'000);
    s.kv_heads = m.opt_integer("kv_heads", 1, 10'000).value_or(s.heads);
    if (s.heads % s.kv_heads != 0) {
      throw_config_error(fmt::format("heads ({}) must be a multiple of kv_heads ({})", s.heads, s.kv_heads),
                         m.where("kv_heads"));
    }
    s.head_dim = m.opt_integer("head_dim", 1, 100'000).value_or(s.hidden / s.heads);
    if (s.head_dim < 1) throw_config_error("head_dim is 0: give it explicitly", m.where("heads"));
    s.vocab = m.integer("vocab", 1, 10'000'000);
    s.tied_embeddings = m.boolean("tied_embeddings", false);
    s.max_context = m.integer("max_context", 1, 100'000'000);
    s.sliding_window = m.opt_integer("sliding_window", 1, 100'000'000).value_or(0);
    s.sliding_window_layers = m.opt_integer("sliding_window_layers", 0, s.layers).value_or(0);
    if ((s.sliding_window > 0) != (s.sliding_window_layers > 0)) {
      throw_config_error("sliding_window and sliding_window_layers go together",
                         m.where(s.sliding_window > 0 ? "sliding_window" : "sliding_window_layers"));
    }
    s.kv_lora_rank = m.opt_integer("kv_lora_rank", 1, 1'000'000).value_or(0);
    s.qk_rope_head_dim = m.opt_integer("qk_rope_head_dim", 0, 1'000'000).value_or(0);
    s.experts = m.opt_integer("experts", 1, 100'000).value_or(0);
    s.experts_per_token = m.opt_integer("experts_per_token", 1, 100'000).value_or(0);
    if ((s.experts > 0) != (s.experts_per_token > 0) || s.experts_per_token > s.experts) {
      throw_config_error("experts and experts_per_token go together, and experts_per_token <= experts",
                         m.where(s.experts > 0 ? "experts" : "experts_per_token"));
    }
    s.source = m.string("source");
    s.uncertain = m.strings("uncertain");
    out.models.push_back(std::move(s));
  }
  if (out.models.empty()) throw_config_error("the catalogue lists no models", yaml::location(doc, file, "models"));
  return out;
}

QuantTypes load_quant_types(const std::string& text, const std::string& file) {
  const YAML::Node doc = yaml::parse(text, file);
  const yaml::MapReader root(doc, file, "the quantization types", {"version", "types"});
  check_version(root);
  static const std::set<std::string> kFamilies = {"gguf", "gptq", "awq", "bitsandbytes", "fp8", "fp4", "float"};
  QuantTypes out;
  UniqueNames ids("quantization");
  for (const YAML::Node& item : root.sequence("types")) {
    const yaml::MapReader m(item, file, "a quantization type",
                            {"id", "family", "bpw", "ppl_delta_pct", "quality_basis", "source"});
    QuantType q;
    q.id = m.string("id");
    ids.add(q.id, m.where("id"));
    q.family = m.string("family");
    if (!kFamilies.count(q.family)) {
      throw_config_error(
          fmt::format("family must be one of gguf, gptq, awq, bitsandbytes, fp8, fp4, float; got \"{}\"", q.family),
          m.where("family"));
    }
    q.bits_per_weight = m.number("bpw", 0.5, 64);
    q.ppl_delta_pct = m.opt_number("ppl_delta_pct", -100, 100'000);
    q.quality_basis = m.opt_string("quality_basis").value_or("");
    q.source = m.string("source");
    out.types.push_back(std::move(q));
  }
  if (out.types.empty()) throw_config_error("no quantization types", yaml::location(doc, file, "types"));
  return out;
}

namespace {

/// A list of names that must each be a known quantization type.
std::vector<std::string> quant_list(const yaml::MapReader& root, const std::string& key, const QuantTypes& quants,
                                    const std::string& quants_file) {
  std::vector<std::string> out = root.strings(key);
  if (out.empty()) throw_config_error("expected a non-empty list of quantization types", root.where(key));
  for (auto& id : out) {
    const QuantType* q = quants.find(id);
    if (!q) throw_config_error(fmt::format("quantization \"{}\" is not in {}", id, quants_file), root.where(key));
    id = q->id;  // the catalogue's spelling
  }
  return out;
}

}  // namespace

MemoryModelConfig load_memory_model(const std::string& text, const std::string& file, const QuantTypes& quants,
                                    const std::string& quants_file, const ModelCatalog& catalog,
                                    const std::string& catalog_file, const GpuRegistry& registry,
                                    const std::string& registry_file) {
  const YAML::Node doc = yaml::parse(text, file);
  const yaml::MapReader root(doc, file, "the memory model",
                             {"version", "usable_share", "runtime_reserve_gib", "tensor_parallel_gib", "ubatch",
                              "flash_attention", "kv_dtypes", "default_quant", "default_context", "quant_walk",
                              "matrix_quants", "realistic_models", "mig", "boards"});
  check_version(root);
  MemoryModelConfig out;
  out.usable_share = root.number("usable_share", 0.05, 1);
  out.runtime_reserve_gib = root.number("runtime_reserve_gib", 0, 64);
  out.tensor_parallel_gib = root.number("tensor_parallel_gib", 0, 64);
  out.ubatch = root.integer("ubatch", 1, 65536);
  out.flash_attention = root.boolean("flash_attention", true);
  if (root.has("kv_dtypes")) {
    const YAML::Node kv = root.get("kv_dtypes");
    if (!kv.IsMap() || kv.size() == 0) {
      throw_config_error(fmt::format("expected a mapping of dtype: bytes per element, got {}", yaml::kind(kv)),
                         root.where("kv_dtypes"));
    }
    out.kv_dtypes.clear();
    std::set<std::string> seen;
    for (const auto& pair : kv) {
      const std::string id = yaml::scalar(pair.first, file, "kv_dtypes");
      if (!seen.insert(lower(id)).second) {
        throw_config_error("duplicate KV dtype", yaml::location(pair.first, file, id));
      }
      out.kv_dtypes.push_back({id, yaml::number(pair.second, file, id, 0.0625, 8)});
    }
  }
  out.default_quant = root.string("default_quant");
  const QuantType* dq = quants.find(out.default_quant);
  if (!dq) {
    throw_config_error(fmt::format("quantization \"{}\" is not in {}", out.default_quant, quants_file),
                       root.where("default_quant"));
  }
  out.default_quant = dq->id;
  out.default_context = root.integer("default_context", 1, 100'000'000);
  out.quant_walk = quant_list(root, "quant_walk", quants, quants_file);
  out.matrix_quants = quant_list(root, "matrix_quants", quants, quants_file);
  out.realistic_models = root.strings("realistic_models");
  if (out.realistic_models.empty()) {
    throw_config_error("expected a non-empty list of catalogue model ids", root.where("realistic_models"));
  }
  for (auto& id : out.realistic_models) {
    const ModelSpec* m = catalog.find(id);
    if (!m) {
      throw_config_error(fmt::format("model \"{}\" is not in {}", id, catalog_file), root.where("realistic_models"));
    }
    id = m->id;
  }
  out.mig.clear();
  if (root.has("mig")) {
    std::set<std::string> gpus_seen;
    for (const YAML::Node& item : root.sequence("mig")) {
      const yaml::MapReader m(item, file, "a MIG profile set", {"gpus", "source", "profiles"});
      MigProfileSet set;
      set.gpus = m.strings("gpus");
      if (set.gpus.empty()) throw_config_error("expected a non-empty list of registry ids", m.where("gpus"));
      for (const auto& g : set.gpus) {
        const GpuSpec* spec = registry.find(g);
        if (!spec) throw_config_error(fmt::format("GPU \"{}\" is not in {}", g, registry_file), m.where("gpus"));
        if (spec->mig_support == 0) {
          throw_config_error(fmt::format("GPU \"{}\" has mig_support 0 in {}", g, registry_file), m.where("gpus"));
        }
        if (!gpus_seen.insert(g).second) {
          throw_config_error(fmt::format("GPU \"{}\" has two MIG profile sets", g), m.where("gpus"));
        }
      }
      set.source = m.string("source");
      for (const YAML::Node& p : m.sequence("profiles")) {
        const yaml::MapReader pm(p, file, "a MIG profile", {"name", "memory_gib", "max_instances"});
        set.profiles.push_back(
            {pm.string("name"), pm.number("memory_gib", 0.5, 4096), pm.integer("max_instances", 1, 7)});
      }
      if (set.profiles.empty()) throw_config_error("expected at least one profile", m.where("profiles"));
      out.mig.push_back(std::move(set));
    }
  }
  out.boards.clear();
  if (root.has("boards")) {
    std::set<std::string> seen;
    for (const YAML::Node& item : root.sequence("boards")) {
      const yaml::MapReader m(item, file, "a multi-GPU board", {"gpu", "devices", "source"});
      const std::string gpu = m.string("gpu");
      if (!registry.find(gpu))
        throw_config_error(fmt::format("GPU \"{}\" is not in {}", gpu, registry_file), m.where("gpu"));
      if (!seen.insert(gpu).second) throw_config_error(fmt::format("GPU \"{}\" is listed twice", gpu), m.where("gpu"));
      m.string("source");
      out.boards.emplace_back(gpu, m.integer("devices", 2, 16));
    }
  }
  return out;
}

}  // namespace glyphsieve
