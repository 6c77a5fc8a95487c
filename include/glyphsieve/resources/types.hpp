// Typed, validated forms of the YAML resources. Each struct is decoded once by the ResourceContext;
// field comments give the YAML key, its meaning and its default. Schemas: docs/resources.md.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "glyphsieve/core/regex.hpp"

namespace glyphsieve {

/// One canonical GPU model (gpu_registry.yaml `models:` entry).
struct GpuSpec {
  std::string id;          ///< canonical_model value, unique
  std::string family;      ///< matcher family (model_patterns.yaml)
  std::string vendor;      ///< NVIDIA | AMD | Intel
  std::string segment;     ///< datacenter | workstation | consumer
  std::string generation;  ///< architecture
  double vram_gb = 0;      ///< in [kMinVramGb, kMaxVramGb] (limits.hpp)
  std::string memory_type;
  std::optional<double> memory_bandwidth_gbps;  ///< in [1, kMaxMemoryBandwidthGbps]
  std::optional<int> tdp_watts;                 ///< in [1, kMaxTdpWatts]
  int mig_support = 0;                          ///< maximum MIG instances, 0 = none; at most kMaxMigInstances
  bool nvlink = false;
  std::optional<double> fp16_tflops;  ///< in [0, kMaxFp16Tflops]
  std::string form_factor;
  std::optional<int> slots;
  std::optional<int> pcie_gen;
  std::optional<int> launch_year;
  std::vector<Regex> qualifiers;     ///< all must match the normalized title for this variant to be preferred
  bool is_default = false;           ///< picked when a family's variants cannot be told apart
  std::vector<std::string> aliases;  ///< normalized exact titles
  std::string source;
  std::vector<std::string> uncertain;
};

struct GpuRegistry {
  std::vector<GpuSpec> models;
  std::map<std::string, std::size_t> by_id;  ///< id -> index in models

  const GpuSpec* find(const std::string& id) const {
    auto it = by_id.find(id);
    return it == by_id.end() ? nullptr : &models[it->second];
  }
};

/// header_aliases.yaml: canonical column name -> accepted header spellings (compared after folding case
/// and dropping everything but letters and digits, so "Price (USD)" == "price_usd" == "PriceUSD").
struct HeaderAliases {
  struct Column {
    std::string name;                  ///< canonical column name
    std::vector<std::string> aliases;  ///< folded spellings, canonical name included
  };
  std::vector<Column> columns;  ///< in file order; earlier wins when one header fits two
};

/// currencies.yaml: how price strings name their currency.
struct Currencies {
  struct Currency {
    std::string code;                  ///< ISO 4217, e.g. "EUR"
    std::vector<std::string> symbols;  ///< "€", "eur", "euro" ... (compared case-insensitively)
    bool decimal_comma = false;        ///< "1.299,00" style is the usual form for this currency
    std::optional<double> usd_rate;    ///< US dollars per unit, fixed so scores are reproducible; none: not converted
  };
  /// The currency with this code, or nullptr.
  const Currency* find(std::string_view code) const {
    for (const auto& c : currencies) {
      if (c.code == code) return &c;
    }
    return nullptr;
  }
  std::vector<Currency> currencies;
  std::string default_code = "USD";  ///< `default:` used when neither the cell nor the header names one
};

/// model_patterns.yaml.
struct ModelPatterns {
  struct Family {
    std::string name;
    std::string vendor;
    std::vector<Regex> patterns;
    std::vector<Regex> part_numbers;   ///< board part numbers: consulted only when no pattern matches
    std::vector<std::string> aliases;  ///< normalized names for fuzzy matching
  };
  struct NonGpuRule {
    Regex pattern;
    std::string reason;
    bool strong = true;  ///< strong: applies even when a GPU is named; weak: only when none was
    std::optional<Regex> unless;
  };
  struct BundleRule {
    Regex pattern;
    std::optional<int> count;  ///< fixed count; else capture group 1
  };
  struct VendorWords {
    std::string vendor;  ///< NVIDIA | AMD | Intel
    Regex pattern;       ///< words that say a title is about this vendor's GPU
  };
  std::vector<Family> families;
  std::vector<Regex> ignore;  ///< spans blanked before identification ("not A100", "upgrade from ...")
  std::vector<VendorWords> vendor_words;
  std::optional<Regex> gpu_words;   ///< an unidentified title with these still reads as a graphics card
  std::optional<Regex> gpu_makers;  ///< card makers: with a stated memory size, also a graphics card
  std::vector<NonGpuRule> non_gpu;
  std::vector<BundleRule> bundles;
  std::map<std::string, std::string> synonyms;  ///< whole-token replacements applied after normalization
};

/// quantization_heuristic.yaml: the configs of the two quantization strategies. Defaults are the
/// documented values, so `QuantizationHeuristicConfig{}` is the shipped behaviour.
struct QuantizationCapacityConfig {
  /// GB held back per card for the runtime, CUDA context and KV cache (`overhead_gb`, >= 0).
  double overhead_gb = 2.0;
  /// (key, GB one 4-bit model of that size needs), in file order: each key is a capacity column.
  std::vector<std::pair<std::string, double>> models = {{"7b", 3.5}, {"13b", 6.5}, {"70b", 35.0}};
};

/// A card is quantization-capable when it meets every threshold (`capable:` in the same file).
struct QuantizationCapableConfig {
  double min_vram_gb = 24;  ///< `min_vram_gb`: vram_gb >= this
  int max_tdp_watts = 300;  ///< `max_tdp_watts`: tdp_watts <= this
  int min_mig_support = 1;  ///< `min_mig_support`: mig_support >= this (1: the card supports MIG)
};

struct QuantizationHeuristicConfig {
  QuantizationCapacityConfig capacity;
  QuantizationCapableConfig capable;
};

/// scoring_weights.yaml: the weights of the additive score and the fixed scales its terms use.
/// Scales are constants, never statistics of the input, so a row's score does not depend on the
/// other rows in the file. See docs/scoring.md.
struct ScoringConfig {
  /// Relative weights (>= 0, not all 0); the score divides by their sum. Order is the column order.
  std::vector<std::pair<std::string, double>> weights = {{"vram", 30}, {"mig", 10},   {"nvlink", 5},
                                                         {"tdp", 10},  {"price", 30}, {"quantization", 15}};
  double vram_full_gb = 192;            ///< vram term = log2(1 + vram) / log2(1 + this), at most 1
  double mig_full_instances = 7;        ///< mig term = mig_support / this, at most 1
  double tdp_half_watts = 300;          ///< tdp term = this / (this + tdp_watts): 1/2 at this wattage
  double price_half_usd = 5000;         ///< price term = this / (this + unit price in USD): 1/2 at this price
  double quantization_fit_share = 0.7;  ///< quantization score: share for model sizes that fit, rest for capable

  /// The weight named `name`; throws std::out_of_range for a name not in `weights`.
  double weight(std::string_view name) const {
    for (const auto& [n, w] : weights) {
      if (n == name) return w;
    }
    throw std::out_of_range(std::string(name));
  }
};

}  // namespace glyphsieve
