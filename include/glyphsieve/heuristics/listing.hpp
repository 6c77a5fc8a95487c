// The typed listing record the heuristics and the score read: the enrich columns as typed fields,
// parsed and validated from a CSV row by ListingColumns.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "glyphsieve/stages/stage.hpp"

namespace glyphsieve {

/// How many 4-bit quantized models of each configured size fit on one card. Counts are never
/// negative; keys keep the config's order ("7b", "13b", "70b" by default).
class QuantizationCapacitySpec {
 public:
  QuantizationCapacitySpec() = default;
  /// REQUIRES: every count >= 0 (throws std::invalid_argument otherwise).
  explicit QuantizationCapacitySpec(std::vector<std::pair<std::string, std::int64_t>> counts);

  const std::vector<std::pair<std::string, std::int64_t>>& counts() const { return counts_; }
  /// The count for `key` ("7b"), if the spec has that key.
  std::optional<std::int64_t> get(std::string_view key) const;
  /// Compact JSON in key order: {"7b":3,"13b":1,"70b":0}.
  std::string to_json() const;

  bool operator==(const QuantizationCapacitySpec&) const = default;

 private:
  std::vector<std::pair<std::string, std::int64_t>> counts_;
};

/// One listing after enrich. Optional fields are empty when the cell is empty (unknown model,
/// missing spec); text fields are copied as they are.
struct EnrichedGPUListing {
  std::string title;
  std::string canonical_model;
  bool is_valid_gpu = true;     ///< `is_valid_gpu`; true when the column is absent
  std::int64_t gpu_count = 1;   ///< cards in the listing (bundles); 1 when absent or empty
  std::optional<double> price;  ///< listing total in `currency`
  std::string currency;
  std::string vendor;
  std::optional<double> vram_gb;  ///< per card
  std::optional<std::int64_t> tdp_watts;
  std::optional<std::int64_t> mig_support;  ///< MIG instances; 0: no MIG
  std::optional<bool> nvlink;
  std::string generation;
  std::optional<double> memory_bandwidth_gbps;
  std::optional<double> fp16_tflops;
  std::string form_factor;
  std::optional<std::int64_t> slots;
  std::optional<std::int64_t> pcie_gen;
  std::optional<std::int64_t> launch_year;
  /// `memory_total_mib`: memory of one GPU as measured by `glyphsieve probe` (nvidia-smi); empty for listings.
  std::optional<double> memory_total_mib;
  /// Set by the quantization_capacity heuristic, or read from `quantization_capacity.<key>` columns.
  std::optional<QuantizationCapacitySpec> quantization_capacity;
};

/// Binds the listing columns of a header once, then turns rows into EnrichedGPUListing.
class ListingColumns {
 public:
  /// Finds every known column in `header` (all optional; see require()). With `read_capacity`,
  /// `quantization_capacity.<key>` columns fill EnrichedGPUListing::quantization_capacity.
  explicit ListingColumns(const Header& header, bool read_capacity = true);

  /// Throws Error naming the first of `names` that the header lacks, with `hint` appended
  /// ("run 'glyphsieve enrich' first"). `who` names the caller in the message.
  void require(const std::vector<std::string>& names, std::string_view who, std::string_view hint) const;

  /// Fills `out` from `row`. Returns the problem ("column 'vram_gb': cannot parse \"abc\" as a number")
  /// when a present cell does not hold a valid value; `out` is then unspecified.
  std::optional<std::string> parse(const Row& row, EnrichedGPUListing& out) const;

 private:
  std::vector<std::optional<std::size_t>> index_;              // by field, see listing.cpp
  std::vector<std::pair<std::string, std::size_t>> capacity_;  // quantization_capacity.<key> columns
  std::vector<std::string> header_;
};

}  // namespace glyphsieve
