// ResourceContext: embedded defaults + file-by-file overrides, decoded lazily and exactly once.
#include "glyphsieve/resources/context.hpp"

#include <algorithm>
#include <fstream>
#include <optional>

#include <fmt/format.h>

#include "glyphsieve/core/error.hpp"
#include "glyphsieve/resources/limits.hpp"
#include "resources/embedded.hpp"
#include "resources/loaders.hpp"
#include "resources/yaml_guard.hpp"

namespace glyphsieve {

namespace {
struct Entry {
  std::string text;
  std::string origin;  // "embedded", a path, or "memory"
};
}  // namespace

struct ResourceContext::State {
  std::map<std::string, Entry> entries;
  std::vector<std::string> unknown_files;
  std::optional<GpuRegistry> registry;
  std::optional<HeaderAliases> header_aliases;
  std::optional<Currencies> currencies;
  std::optional<ModelPatterns> model_patterns;
  std::optional<QuantizationHeuristicConfig> quantization_heuristic;
  std::optional<ScoringConfig> scoring;
  std::optional<ModelCatalog> model_catalog;
  std::optional<QuantTypes> quant_types;
  std::optional<MemoryModelConfig> memory_model;
};

namespace {
std::map<std::string, Entry> embedded_entries() {
  std::map<std::string, Entry> out;
  for (const auto& r : embedded_resources()) out[std::string(r.name)] = {std::string(r.text), "embedded"};
  return out;
}

/// The file's bytes, at most kMaxResourceBytes + 1 of them: a huge or endless file costs no more
/// memory than that, and yaml::parse reports it as too large. A FIFO or device would block or never end.
std::string read_bounded(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw_data_error(fmt::format("resource '{}' is not a regular file", path.string()));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw_data_error(fmt::format("cannot read resource '{}'", path.string()));
  std::string text(kMaxResourceBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) throw_data_error(fmt::format("cannot read resource '{}'", path.string()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return text;
}
}  // namespace

ResourceContext::ResourceContext(const std::filesystem::path& override_dir) : s_(std::make_unique<State>()) {
  s_->entries = embedded_entries();
  if (override_dir.empty()) return;
  std::error_code ec;
  if (!std::filesystem::is_directory(override_dir, ec)) {
    throw_data_error(
        fmt::format("resource directory '{}' does not exist or is not a directory", override_dir.string()));
  }
  std::vector<std::string> known;
  for (const auto& [name, _] : s_->entries) known.push_back(name);
  std::vector<std::filesystem::path> files;
  for (const auto& de : std::filesystem::directory_iterator(override_dir, ec)) files.push_back(de.path());
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    const std::string name = path.filename().string();
    auto it = s_->entries.find(name);
    if (it == s_->entries.end()) {
      if (path.extension() == ".yaml" || path.extension() == ".yml") {
        const std::string s = suggest(name, known);
        s_->unknown_files.push_back(s.empty() ? name : fmt::format("{} (did you mean '{}'?)", name, s));
      }
      continue;
    }
    it->second = {read_bounded(path), path.string()};
  }
}

ResourceContext ResourceContext::from_strings(const std::map<std::string, std::string>& texts) {
  ResourceContext ctx{std::filesystem::path()};
  for (const auto& [name, text] : texts) ctx.s_->entries[name] = {text, "memory"};
  return ctx;
}

ResourceContext::ResourceContext(ResourceContext&&) noexcept = default;
ResourceContext& ResourceContext::operator=(ResourceContext&&) noexcept = default;
ResourceContext::~ResourceContext() = default;

const std::string& ResourceContext::text(const std::string& name) {
  const auto it = s_->entries.find(name);
  if (it == s_->entries.end()) {
    std::vector<std::string> known;
    for (const auto& [n, _] : s_->entries) known.push_back(n);
    const std::string s = suggest(name, known);
    throw_data_error(
        fmt::format("no resource named '{}'{}", name, s.empty() ? "" : fmt::format(" (did you mean '{}'?)", s)));
  }
  return it->second.text;
}

std::string ResourceContext::display_name(const std::string& name) const {
  const auto it = s_->entries.find(name);
  if (it == s_->entries.end() || it->second.origin == "embedded") return fmt::format("resources/{} (embedded)", name);
  if (it->second.origin == "memory") return name;
  return it->second.origin;
}

std::vector<ResourceInfo> ResourceContext::list() const {
  std::vector<ResourceInfo> out;
  for (const auto& [name, e] : s_->entries) out.push_back({name, e.origin});
  return out;
}

const std::vector<std::string>& ResourceContext::unknown_override_files() const { return s_->unknown_files; }

namespace {
// The text of resource `name`, through the hostile-YAML gate (yaml::check_text: size, encoding, depth,
// alias bombs, duplicate keys) unless it is embedded. Embedded resources are compiled in and pass the
// gate in a unit test (ResourceContext.EmbeddedResourcesPassTheHostileYamlGate); skipping it for them
// saves a second yaml-cpp scan, a third of a one-row run's start-up (docs/performance.md).
const std::string& gated_text(ResourceContext& ctx, const std::string& name) {
  const std::string& text = ctx.text(name);
  for (const ResourceInfo& r : ctx.list()) {
    if (r.name == name && r.origin != "embedded") yaml::check_text(text, ctx.display_name(name));
  }
  return text;
}
}  // namespace

const GpuRegistry& ResourceContext::registry() {
  if (!s_->registry)
    s_->registry = load_registry(gated_text(*this, "gpu_registry.yaml"), display_name("gpu_registry.yaml"));
  return *s_->registry;
}

const HeaderAliases& ResourceContext::header_aliases() {
  if (!s_->header_aliases) {
    s_->header_aliases =
        load_header_aliases(gated_text(*this, "header_aliases.yaml"), display_name("header_aliases.yaml"));
  }
  return *s_->header_aliases;
}

const Currencies& ResourceContext::currencies() {
  if (!s_->currencies)
    s_->currencies = load_currencies(gated_text(*this, "currencies.yaml"), display_name("currencies.yaml"));
  return *s_->currencies;
}

const ModelPatterns& ResourceContext::model_patterns() {
  if (!s_->model_patterns) {
    const GpuRegistry& reg = registry();
    s_->model_patterns =
        load_model_patterns(gated_text(*this, "model_patterns.yaml"), display_name("model_patterns.yaml"), reg,
                            display_name("gpu_registry.yaml"));
  }
  return *s_->model_patterns;
}

const QuantizationHeuristicConfig& ResourceContext::quantization_heuristic() {
  if (!s_->quantization_heuristic) {
    s_->quantization_heuristic = load_quantization_heuristic(gated_text(*this, "quantization_heuristic.yaml"),
                                                             display_name("quantization_heuristic.yaml"));
  }
  return *s_->quantization_heuristic;
}

const ScoringConfig& ResourceContext::scoring() {
  if (!s_->scoring)
    s_->scoring = load_scoring_weights(gated_text(*this, "scoring_weights.yaml"), display_name("scoring_weights.yaml"));
  return *s_->scoring;
}

const ModelCatalog& ResourceContext::model_catalog() {
  if (!s_->model_catalog) {
    s_->model_catalog = load_model_catalog(gated_text(*this, "model_catalog.yaml"), display_name("model_catalog.yaml"));
  }
  return *s_->model_catalog;
}

const QuantTypes& ResourceContext::quant_types() {
  if (!s_->quant_types)
    s_->quant_types = load_quant_types(gated_text(*this, "quant_types.yaml"), display_name("quant_types.yaml"));
  return *s_->quant_types;
}

const MemoryModelConfig& ResourceContext::memory_model() {
  if (!s_->memory_model) {
    const QuantTypes& quants = quant_types();
    const ModelCatalog& catalog = model_catalog();
    const GpuRegistry& reg = registry();
    s_->memory_model = load_memory_model(gated_text(*this, "memory_model.yaml"), display_name("memory_model.yaml"),
                                         quants, display_name("quant_types.yaml"), catalog,
                                         display_name("model_catalog.yaml"), reg, display_name("gpu_registry.yaml"));
  }
  return *s_->memory_model;
}

}  // namespace glyphsieve
