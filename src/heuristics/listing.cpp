// Row -> EnrichedGPUListing: one table of fields, each with its column name and how its cell parses.
#include "glyphsieve/heuristics/listing.hpp"

#include <charconv>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "glyphsieve/core/error.hpp"
#include "glyphsieve/core/text.hpp"

namespace glyphsieve {

QuantizationCapacitySpec::QuantizationCapacitySpec(std::vector<std::pair<std::string, std::int64_t>> counts)
    : counts_(std::move(counts)) {
  for (const auto& [key, n] : counts_) {
    if (n < 0) throw std::invalid_argument(fmt::format("quantization capacity '{}' is negative ({})", key, n));
  }
}

std::optional<std::int64_t> QuantizationCapacitySpec::get(std::string_view key) const {
  for (const auto& [k, n] : counts_) {
    if (k == key) return n;
  }
  return std::nullopt;
}

std::string QuantizationCapacitySpec::to_json() const {
  // Keys are restricted to [A-Za-z0-9_.-] by the resource loader, so they need no escaping.
  std::string out = "{";
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    if (i) out.push_back(',');
    fmt::format_to(std::back_inserter(out), "\"{}\":{}", counts_[i].first, counts_[i].second);
  }
  out.push_back('}');
  return out;
}

namespace {

enum Field : std::size_t {
  kTitle,
  kModel,
  kValid,
  kCount,
  kPrice,
  kCurrency,
  kVendor,
  kVram,
  kTdp,
  kMig,
  kNvlink,
  kGeneration,
  kBandwidth,
  kFp16,
  kFormFactor,
  kSlots,
  kPcieGen,
  kLaunchYear,
  kMemoryTotalMib,
  kFieldCount
};

// Column names, indexed by Field.
constexpr const char* kNames[kFieldCount] = {"title",
                                             "canonical_model",
                                             "is_valid_gpu",
                                             "gpu_count",
                                             "price",
                                             "currency",
                                             "vendor",
                                             "vram_gb",
                                             "tdp_watts",
                                             "mig_support",
                                             "nvlink",
                                             "generation",
                                             "memory_bandwidth_gbps",
                                             "fp16_tflops",
                                             "form_factor",
                                             "slots",
                                             "pcie_gen",
                                             "launch_year",
                                             "memory_total_mib"};

constexpr std::string_view kCapacityPrefix = "quantization_capacity.";

std::string bad(std::string_view column, std::string_view cell, std::string_view what) {
  return fmt::format("column '{}': cannot parse \"{}\" as {}", column, cell, what);
}

// Each parser returns false when the cell is not valid; an empty (or blank) cell is never parsed.
bool parse_number(std::string_view s, double min, double max, double& out) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size() && std::isfinite(out) && out >= min && out <= max;
}

bool parse_integer(std::string_view s, std::int64_t min, std::int64_t max, std::int64_t& out) {
  double d = 0;
  // "4", and "4.0" as spreadsheets write it; not "4.5".
  if (!parse_number(s, static_cast<double>(min), static_cast<double>(max), d) || d != std::floor(d)) return false;
  out = static_cast<std::int64_t>(d);
  return true;
}

bool parse_bool(std::string_view s, bool& out) {
  std::string f(s);
  for (char& c : f) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  if (f == "true" || f == "yes" || f == "y" || f == "1") {
    out = true;
    return true;
  }
  if (f == "false" || f == "no" || f == "n" || f == "0") {
    out = false;
    return true;
  }
  return false;
}

}  // namespace

ListingColumns::ListingColumns(const Header& header, bool read_capacity)
    : index_(kFieldCount), header_(header.names()) {
  for (std::size_t f = 0; f < kFieldCount; ++f) index_[f] = header.find(kNames[f]);
  if (!read_capacity) return;
  for (std::size_t i = 0; i < header.size(); ++i) {
    const std::string& n = header.names()[i];
    if (n.size() > kCapacityPrefix.size() && n.starts_with(kCapacityPrefix)) {
      capacity_.emplace_back(n.substr(kCapacityPrefix.size()), i);
    }
  }
}

void ListingColumns::require(const std::vector<std::string>& names, std::string_view who, std::string_view hint) const {
  for (const auto& n : names) {
    bool found = false;
    for (const auto& h : header_) found = found || h == n;
    if (!found) {
      throw_data_error(fmt::format("{} needs a '{}' column{}{}", who, n, hint.empty() ? "" : " ", hint));
    }
  }
}

std::optional<std::string> ListingColumns::parse(const Row& row, EnrichedGPUListing& out) const {
  const auto cell = [&](Field f) -> std::string_view { return index_[f] ? trim(row[*index_[f]]) : std::string_view(); };
  const auto text = [&](Field f, std::string& dst) {
    if (index_[f]) {
      dst.assign(row[*index_[f]]);
    } else {
      dst.clear();
    }
  };
  const auto number = [&](Field f, double min, double max, std::optional<double>& dst) -> std::optional<std::string> {
    dst.reset();
    const std::string_view s = cell(f);
    if (s.empty()) return std::nullopt;
    double v = 0;
    if (!parse_number(s, min, max, v)) return bad(kNames[f], s, fmt::format("a number from {} to {}", min, max));
    dst = v;
    return std::nullopt;
  };
  const auto integer = [&](Field f, std::int64_t min, std::int64_t max,
                           std::optional<std::int64_t>& dst) -> std::optional<std::string> {
    dst.reset();
    const std::string_view s = cell(f);
    if (s.empty()) return std::nullopt;
    std::int64_t v = 0;
    if (!parse_integer(s, min, max, v)) return bad(kNames[f], s, fmt::format("a whole number from {} to {}", min, max));
    dst = v;
    return std::nullopt;
  };

  text(kTitle, out.title);
  text(kModel, out.canonical_model);
  text(kCurrency, out.currency);
  text(kVendor, out.vendor);
  text(kGeneration, out.generation);
  text(kFormFactor, out.form_factor);

  out.is_valid_gpu = true;
  if (const auto s = cell(kValid); !s.empty() && !parse_bool(s, out.is_valid_gpu)) {
    return bad(kNames[kValid], s, "true or false");
  }
  out.nvlink.reset();
  if (const auto s = cell(kNvlink); !s.empty()) {
    bool b = false;
    if (!parse_bool(s, b)) return bad(kNames[kNvlink], s, "true or false");
    out.nvlink = b;
  }
  std::optional<std::int64_t> count;
  if (auto e = integer(kCount, 1, 1'000'000, count)) return e;
  out.gpu_count = count.value_or(1);
  if (auto e = number(kPrice, 0, 1e12, out.price)) return e;
  if (auto e = number(kVram, 0, 4096, out.vram_gb)) return e;
  if (auto e = integer(kTdp, 0, 100'000, out.tdp_watts)) return e;
  out.mig_support.reset();
  if (const auto s = cell(kMig); !s.empty()) {
    // MIG is an instance count (0-7); "true"/"false" from other tools mean 1/0.
    std::int64_t n = 0;
    bool b = false;
    if (parse_integer(s, 0, 64, n)) {
      out.mig_support = n;
    } else if (parse_bool(s, b)) {
      out.mig_support = b ? 1 : 0;
    } else {
      return bad(kNames[kMig], s, "a MIG instance count (0-64) or true/false");
    }
  }
  if (auto e = number(kBandwidth, 0, 1e7, out.memory_bandwidth_gbps)) return e;
  if (auto e = number(kFp16, 0, 1e7, out.fp16_tflops)) return e;
  if (auto e = integer(kSlots, 0, 16, out.slots)) return e;
  if (auto e = integer(kPcieGen, 0, 16, out.pcie_gen)) return e;
  if (auto e = integer(kLaunchYear, 1900, 2200, out.launch_year)) return e;
  if (auto e = number(kMemoryTotalMib, 1, 1e8, out.memory_total_mib)) return e;

  out.quantization_capacity.reset();
  if (!capacity_.empty()) {
    std::vector<std::pair<std::string, std::int64_t>> counts;
    for (const auto& [key, i] : capacity_) {
      const std::string_view s = trim(row[i]);
      if (s.empty()) {
        counts.clear();
        break;  // capacity unknown for this row
      }
      std::int64_t n = 0;
      if (!parse_integer(s, 0, 1'000'000'000, n)) return bad(header_[i], s, "a whole number >= 0");
      counts.emplace_back(key, n);
    }
    if (!counts.empty()) out.quantization_capacity = QuantizationCapacitySpec(std::move(counts));
  }
  return std::nullopt;
}

}  // namespace glyphsieve
