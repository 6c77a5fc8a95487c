// Decoders from YAML text to the typed resource structs. Each throws Error with file:line:column.
#pragma once

#include <string>

#include "glyphsieve/capacity/catalog.hpp"
#include "glyphsieve/resources/types.hpp"

namespace glyphsieve {

GpuRegistry load_registry(const std::string& text, const std::string& file);
HeaderAliases load_header_aliases(const std::string& text, const std::string& file);
Currencies load_currencies(const std::string& text, const std::string& file);
/// `registry` is used to check that every family has registry entries and vice versa.
ModelPatterns load_model_patterns(const std::string& text, const std::string& file, const GpuRegistry& registry,
                                  const std::string& registry_file);

QuantizationHeuristicConfig load_quantization_heuristic(const std::string& text, const std::string& file);
ScoringConfig load_scoring_weights(const std::string& text, const std::string& file);

// The deployability resources (src/resources/capacity_loaders.cpp).
ModelCatalog load_model_catalog(const std::string& text, const std::string& file);
QuantTypes load_quant_types(const std::string& text, const std::string& file);
/// Checks every quantization it names against `quants`, every realistic model against `catalog` and
/// every MIG GPU against `registry`; the *_file arguments name those files in messages.
MemoryModelConfig load_memory_model(const std::string& text, const std::string& file, const QuantTypes& quants,
                                    const std::string& quants_file, const ModelCatalog& catalog,
                                    const std::string& catalog_file, const GpuRegistry& registry,
                                    const std::string& registry_file);

}  // namespace glyphsieve
