// ResourceContext: the one place that finds, reads and decodes resources. Nothing else opens a
// resource path. Defaults are compiled in; an override directory replaces them file by file.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "glyphsieve/capacity/catalog.hpp"
#include "glyphsieve/resources/types.hpp"

namespace glyphsieve {

struct ResourceInfo {
  std::string name;    ///< e.g. "gpu_registry.yaml"
  std::string origin;  ///< "embedded" or the override file's path
};

class ResourceContext {
 public:
  /// Embedded defaults, each replaced by `override_dir/<name>` when that file exists.
  /// REQUIRES: override_dir is empty or an existing directory (else throws Error).
  explicit ResourceContext(const std::filesystem::path& override_dir = {});

  /// For tests: resources given as text by name; names not given fall back to the embedded defaults.
  static ResourceContext from_strings(const std::map<std::string, std::string>& texts);

  ResourceContext(ResourceContext&&) noexcept;
  ResourceContext& operator=(ResourceContext&&) noexcept;
  ~ResourceContext();

  /// Raw text of a resource. Throws Error if no such resource exists.
  const std::string& text(const std::string& name);
  /// Where a resource comes from, for messages ("resources/x.yaml (embedded)" or its path).
  std::string display_name(const std::string& name) const;
  /// Every known resource with its origin, in name order.
  std::vector<ResourceInfo> list() const;
  /// Files in the override directory that are not known resources (ignored; reported by the CLI).
  const std::vector<std::string>& unknown_override_files() const;

  // Typed views, decoded and validated on first use. Throw Error with file:line:column on bad YAML.
  const GpuRegistry& registry();
  const HeaderAliases& header_aliases();
  const Currencies& currencies();
  const ModelPatterns& model_patterns();
  const QuantizationHeuristicConfig& quantization_heuristic();
  const ScoringConfig& scoring();
  const ModelCatalog& model_catalog();
  const QuantTypes& quant_types();
  /// memory_model.yaml, checked against the quant types, the catalogue and the registry.
  const MemoryModelConfig& memory_model();

 private:
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace glyphsieve
