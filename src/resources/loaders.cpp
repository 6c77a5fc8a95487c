// YAML -> typed structs for every resource, with range checks and cross-references validated here
// so that no stage ever sees an inconsistent resource.
#include "resources/loaders.hpp"

#include <cstdint>
#include <map>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "glyphsieve/core/text.hpp"
#include "glyphsieve/resources/limits.hpp"
#include "resources/yaml_reader.hpp"

namespace glyphsieve {
namespace {

void check_version(const yaml::MapReader& root) {
  if (root.has("version")) root.integer("version", 1, 1);
}

}  // namespace

GpuRegistry load_registry(const std::string& text, const std::string& file) {
  const YAML::Node doc = yaml::parse(text, file);
  const yaml::MapReader root(doc, file, "the registry", {"version", "models"});
  check_version(root);
  GpuRegistry reg;
  static const std::vector<std::string> kKeys = {"id",          "family",      "vendor",      "segment",
                                                 "generation",  "vram_gb",     "memory_type", "memory_bandwidth_gbps",
                                                 "tdp_watts",   "mig_support", "nvlink",      "fp16_tflops",
                                                 "form_factor", "slots",       "pcie_gen",    "launch_year",
                                                 "qualifiers",  "default",     "aliases",     "source",
                                                 "uncertain"};
  static const std::set<std::string> kVendors = {"NVIDIA", "AMD", "Intel"};
  std::map<std::string, std::int64_t> id_lines;                             // id -> its line
  std::map<std::string, std::pair<std::string, std::int64_t>> alias_owner;  // normalized alias -> (id, line)
  for (const YAML::Node& item : root.sequence("models")) {
    const yaml::MapReader m(item, file, "a registry model", kKeys);
    GpuSpec g;
    g.id = m.string("id");
    const Location id_at = m.where("id");
    if (const auto [it, fresh] = id_lines.emplace(g.id, id_at.line); !fresh) {
      throw_config_error(fmt::format("duplicate model id \"{}\" (first at line {})", g.id, it->second), id_at);
    }
    g.family = m.opt_string("family").value_or(g.id);
    g.vendor = m.string("vendor");
    if (!kVendors.count(g.vendor)) {
      throw_config_error(fmt::format("vendor must be NVIDIA, AMD or Intel, got \"{}\"", g.vendor), m.where("vendor"));
    }
    g.segment = m.opt_string("segment").value_or("");
    g.generation = m.opt_string("generation").value_or("");
    g.vram_gb = m.number("vram_gb", kMinVramGb, kMaxVramGb);
    g.memory_type = m.opt_string("memory_type").value_or("");
    g.memory_bandwidth_gbps = m.opt_number("memory_bandwidth_gbps", 1, kMaxMemoryBandwidthGbps);
    g.tdp_watts = m.opt_integer("tdp_watts", 1, kMaxTdpWatts);
    g.mig_support = m.opt_integer("mig_support", 0, kMaxMigInstances).value_or(0);
    g.nvlink = m.boolean("nvlink", false);
    g.fp16_tflops = m.opt_number("fp16_tflops", 0, kMaxFp16Tflops);
    g.form_factor = m.opt_string("form_factor").value_or("");
    g.slots = m.opt_integer("slots", 1, 5);
    g.pcie_gen = m.opt_integer("pcie_gen", 1, 7);
    g.launch_year = m.opt_integer("launch_year", 1990, 2100);
    g.qualifiers = m.regexes("qualifiers");
    g.is_default = m.boolean("default", false);
    // An alias is an exact title: two models with one alias would make the match depend on file order.
    const std::vector<std::string> aliases = m.strings("aliases");  // a list of single values, or []
    const YAML::Node alias_nodes = m.has("aliases") ? m.get("aliases") : YAML::Node();
    for (std::size_t i = 0; i < aliases.size(); ++i) {
      const Location alias_at = yaml::location(alias_nodes[i], file, "aliases");
      std::string norm = normalize_title(aliases[i]);
      if (norm.empty()) {
        throw_config_error(fmt::format("alias \"{}\" has no letters or digits", aliases[i]), alias_at);
      }
      const auto [it, fresh] = alias_owner.emplace(norm, std::pair{g.id, alias_at.line});
      if (!fresh) {
        throw_config_error(
            it->second.first == g.id
                ? fmt::format("alias \"{}\" is listed twice (first at line {})", aliases[i], it->second.second)
                : fmt::format("alias \"{}\" is also an alias of model \"{}\" (line {})", aliases[i], it->second.first,
                              it->second.second),
            alias_at);
      }
      g.aliases.push_back(std::move(norm));
    }
    g.source = m.string("source");
    g.uncertain = m.strings("uncertain");
    reg.by_id.emplace(g.id, reg.models.size());
    reg.models.push_back(std::move(g));
  }
  if (reg.models.empty()) throw_config_error("the registry lists no models", yaml::location(doc, file, "models"));
  return reg;
}

HeaderAliases load_header_aliases(const std::string& text, const std::string& file) {
  const YAML::Node doc = yaml::parse(text, file);
  const yaml::MapReader root(doc, file, "header aliases", {"version", "columns"});
  check_version(root);
  HeaderAliases out;
  std::map<std::string, std::string> owner;  // folded spelling -> column
  for (const YAML::Node& item : root.sequence("columns")) {
    const yaml::MapReader m(item, file, "a column", {"name", "aliases"});
    HeaderAliases::Column col;
    col.name = m.string("name");
    std::vector<std::string> spellings = {col.name};
    for (const auto& a : m.strings("aliases")) spellings.push_back(a);
    for (const auto& a : spellings) {
      const std::string folded = fold_header(a);
      if (folded.empty())
        throw_config_error(fmt::format("alias \"{}\" has no letters or digits", a), m.where("aliases"));
      const auto [it, fresh] = owner.emplace(folded, col.name);
      if (!fresh && it->second != col.name) {
        throw_config_error(
            fmt::format("header spelling \"{}\" is listed for both '{}' and '{}'", a, it->second, col.name),
            m.where("aliases"));
      }
      if (fresh) col.aliases.push_back(folded);
    }
    out.columns.push_back(std::move(col));
  }
  return out;
}

Currencies load_currencies(const std::string& text, const std::string& file) {
  const YAML::Node doc = yaml::parse(text, file);
  const yaml::MapReader root(doc, file, "currencies", {"version", "default", "currencies"});
  check_version(root);
  Currencies out;
  std::map<std::string, std::int64_t> code_lines;  // code -> its line
  for (const YAML::Node& item : root.sequence("currencies")) {
    const yaml::MapReader m(item, file, "a currency", {"code", "symbols", "decimal_comma", "usd_rate"});
    Currencies::Currency c;
    c.code = m.string("code");
    if (c.code.size() != 3) throw_config_error("a currency code has three letters", m.where("code"));
    if (const auto [it, fresh] = code_lines.emplace(c.code, m.where("code").line); !fresh) {
      throw_config_error(fmt::format("duplicate currency \"{}\" (first at line {})", c.code, it->second),
                         m.where("code"));
    }
    c.symbols = m.strings("symbols");
    c.decimal_comma = m.boolean("decimal_comma", false);
    c.usd_rate = m.opt_number("usd_rate", 1e-9, 1e9);
    out.currencies.push_back(std::move(c));
  }
  out.default_code = root.opt_string("default").value_or("USD");
  bool known = false;
  for (const auto& c : out.currencies) known = known || c.code == out.default_code;
  if (!known)
    throw_config_error(fmt::format("default currency \"{}\" is not listed", out.default_code), root.where("default"));
  return out;
}

ModelPatterns load_model_patterns(const std::string& text, const std::string& file, const GpuRegistry& registry,
                                  const std::string& registry_file) {
  const YAML::Node doc = yaml::parse(text, file);
  const yaml::MapReader root(
      doc, file, "model patterns",
      {"version", "families", "ignore", "vendor_words", "gpu_words", "gpu_makers", "non_gpu", "bundles", "synonyms"});
  check_version(root);
  ModelPatterns out;
  if (root.has("synonyms")) {
    const YAML::Node syn = root.get("synonyms");
    if (!syn.IsMap()) {
      throw_config_error(fmt::format("expected a mapping of token: replacement, got {}", yaml::kind(syn)),
                         root.where("synonyms"));
    }
    for (const auto& kv : syn) {
      const std::string token = yaml::scalar(kv.first, file, "synonyms");
      out.synonyms[normalize_title(token)] = normalize_title(yaml::scalar(kv.second, file, token));
    }
  }
  std::set<std::string> families;
  std::set<std::string> registry_families;
  for (const auto& g : registry.models) registry_families.insert(g.family);
  for (const YAML::Node& item : root.sequence("families")) {
    const yaml::MapReader m(item, file, "a family", {"family", "vendor", "patterns", "part_numbers", "aliases"});
    ModelPatterns::Family f;
    f.name = m.string("family");
    f.vendor = m.opt_string("vendor").value_or("");
    f.patterns = m.regexes("patterns");
    f.part_numbers = m.regexes("part_numbers");
    if (f.patterns.empty()) throw_config_error("a family needs at least one pattern", m.where("family"));
    f.aliases.push_back(normalize_title(f.name, out.synonyms));
    for (const auto& a : m.strings("aliases")) f.aliases.push_back(normalize_title(a, out.synonyms));
    if (!families.insert(f.name).second) {
      throw_config_error(fmt::format("duplicate family \"{}\"", f.name), m.where("family"));
    }
    if (!registry_families.count(f.name)) {
      throw_config_error(fmt::format("family \"{}\" has no models in {}", f.name, registry_file), m.where("family"));
    }
    out.families.push_back(std::move(f));
  }
  for (const auto& g : registry.models) {
    if (!families.count(g.family)) {
      std::vector<std::string> names(families.begin(), families.end());
      const std::string s = suggest(g.family, names);
      throw Error(ExitCode::kDataError,
                  fmt::format("model \"{}\" names family \"{}\", which {} does not define{}", g.id, g.family, file,
                              s.empty() ? "" : fmt::format(" (did you mean '{}'?)", s)),
                  Location{registry_file});
    }
  }
  out.ignore = root.regexes("ignore");
  out.gpu_words = root.opt_regex("gpu_words");
  out.gpu_makers = root.opt_regex("gpu_makers");
  if (root.has("vendor_words")) {
    const YAML::Node vw = root.get("vendor_words");
    if (!vw.IsMap()) {
      throw_config_error(fmt::format("expected a mapping of vendor: regex, got {}", yaml::kind(vw)),
                         root.where("vendor_words"));
    }
    for (const auto& kv : vw) {
      const std::string vendor = yaml::scalar(kv.first, file, "vendor_words");
      if (vendor != "NVIDIA" && vendor != "AMD" && vendor != "Intel") {
        throw_config_error(fmt::format("vendor must be NVIDIA, AMD or Intel, got \"{}\"", vendor),
                           yaml::location(kv.first, file, "vendor_words"));
      }
      out.vendor_words.push_back({vendor, yaml::compile(kv.second, file, vendor)});
    }
  }
  if (root.has("non_gpu")) {
    for (const YAML::Node& item : root.sequence("non_gpu")) {
      const yaml::MapReader m(item, file, "a non_gpu rule", {"pattern", "reason", "strength", "unless"});
      const std::string strength = m.opt_string("strength").value_or("strong");
      if (strength != "strong" && strength != "weak") {
        throw_config_error(fmt::format("strength must be strong or weak, got \"{}\"", strength), m.where("strength"));
      }
      out.non_gpu.push_back(ModelPatterns::NonGpuRule{yaml::compile(m.get("pattern"), file, "pattern"),
                                                      m.string("reason"), strength == "strong", m.opt_regex("unless")});
    }
  }
  if (root.has("bundles")) {
    for (const YAML::Node& item : root.sequence("bundles")) {
      const yaml::MapReader m(item, file, "a bundle rule", {"pattern", "count"});
      out.bundles.push_back(
          ModelPatterns::BundleRule{yaml::compile(m.get("pattern"), file, "pattern"), m.opt_integer("count", 1, 64)});
    }
  }
  return out;
}

namespace {

/// A mapping of name: number whose keys are free (model sizes, weight names), in file order.
std::vector<std::pair<std::string, double>> number_map(const yaml::MapReader& parent, const std::string& key,
                                                       const std::string& file, const std::string& what,
                                                       const std::vector<std::string>& allowed_keys, double min,
                                                       double max) {
  const YAML::Node node = parent.get(key);
  if (!node.IsMap() || node.size() == 0) {
    throw_config_error(fmt::format("expected a non-empty mapping of {}, got {}", what,
                                   node.IsMap() ? "an empty mapping" : yaml::kind(node)),
                       parent.where(key));
  }
  if (!allowed_keys.empty()) {
    const yaml::MapReader check_keys(node, file, what, allowed_keys);  // unknown keys, with "did you mean"
  }
  static const Regex kKey("^[A-Za-z0-9][A-Za-z0-9_.-]*$");
  std::vector<std::pair<std::string, double>> out;
  std::set<std::string> seen;
  // One pass over the pairs: looking each key up again would be quadratic in a hostile, huge mapping.
  for (const auto& kv : node) {
    const std::string k = yaml::scalar(kv.first, file, key);
    if (!kKey.search(k)) {
      throw_config_error(fmt::format("\"{}\" cannot name a column: use letters, digits, '.', '_' or '-'", k),
                         yaml::location(kv.second, file, k));
    }
    if (!seen.insert(k).second) throw_config_error("duplicate key", yaml::location(kv.first, file, k));
    out.emplace_back(k, yaml::number(kv.second, file, k, min, max));
  }
  return out;
}

}  // namespace

QuantizationHeuristicConfig load_quantization_heuristic(const std::string& text, const std::string& file) {
  const YAML::Node doc = yaml::parse(text, file);
  const yaml::MapReader root(doc, file, "the quantization heuristic", {"version", "overhead_gb", "models", "capable"});
  check_version(root);
  QuantizationHeuristicConfig out;
  out.capacity.overhead_gb = root.number("overhead_gb", 0, 1024);
  out.capacity.models = number_map(root, "models", file, "model sizes (e.g. 7b: 3.5)", {}, 0.01, 4096);
  if (root.has("capable")) {
    const yaml::MapReader c(root.get("capable"), file, "capable thresholds",
                            {"min_vram_gb", "max_tdp_watts", "min_mig_support"});
    if (c.has("min_vram_gb")) out.capable.min_vram_gb = c.number("min_vram_gb", 0, 4096);
    if (c.has("max_tdp_watts")) out.capable.max_tdp_watts = c.integer("max_tdp_watts", 0, 100000);
    if (c.has("min_mig_support")) out.capable.min_mig_support = c.integer("min_mig_support", 0, 7);
  }
  return out;
}

ScoringConfig load_scoring_weights(const std::string& text, const std::string& file) {
  const YAML::Node doc = yaml::parse(text, file);
  const yaml::MapReader root(doc, file, "scoring weights", {"version", "weights", "scales"});
  check_version(root);
  ScoringConfig out;
  std::vector<std::string> names;
  for (const auto& [n, w] : out.weights) names.push_back(n);
  auto given = number_map(root, "weights", file, "weights", names, 0, 1e6);
  // Every weight keeps its documented place; a weight left out of the file is 0.
  for (auto& [n, w] : out.weights) {
    w = 0;
    for (const auto& [gn, gw] : given) {
      if (gn == n) w = gw;
    }
  }
  double sum = 0;
  for (const auto& [n, w] : out.weights) sum += w;
  if (sum <= 0) throw_config_error("at least one weight must be above 0", root.where("weights"));
  if (root.has("scales")) {
    const yaml::MapReader s(
        root.get("scales"), file, "scales",
        {"vram_full_gb", "mig_full_instances", "tdp_half_watts", "price_half_usd", "quantization_fit_share"});
    if (s.has("vram_full_gb")) out.vram_full_gb = s.number("vram_full_gb", 1, 100000);
    if (s.has("mig_full_instances")) out.mig_full_instances = s.number("mig_full_instances", 1, 64);
    if (s.has("tdp_half_watts")) out.tdp_half_watts = s.number("tdp_half_watts", 1, 100000);
    if (s.has("price_half_usd")) out.price_half_usd = s.number("price_half_usd", 0.01, 1e9);
    if (s.has("quantization_fit_share")) out.quantization_fit_share = s.number("quantization_fit_share", 0, 1);
  }
  return out;
}

}  // namespace glyphsieve
