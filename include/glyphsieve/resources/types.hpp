// Typed, validated forms of the YAML resources. Each struct is decoded once by the ResourceContext;
// field comments give the YAML key, its meaning and its default. Schemas: docs/resources.md.
#pragma once

#include <map>
#include <optional>
#include <string>
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
  double vram_gb = 0;      ///< > 0
  std::string memory_type;
  std::optional<double> memory_bandwidth_gbps;
  std::optional<int> tdp_watts;
  int mig_support = 0;  ///< maximum MIG instances, 0 = none
  bool nvlink = false;
  std::optional<double> fp16_tflops;
  std::string form_factor;
  std::optional<int> slots;
  std::optional<int> pcie_gen;
  std::optional<int> launch_year;
  std::vector<Regex> qualifiers;  ///< all must match the normalized title for this variant to be preferred
  bool is_default = false;        ///< picked when a family's variants cannot be told apart
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
  };
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

}  // namespace glyphsieve
