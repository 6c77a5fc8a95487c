// The nvidia-smi CSV parser and the listing row of a probed GPU (see capacity/probe.hpp).
// nvidia-smi does not quote its CSV: it joins the values with ", ", and marks a value it cannot read
// with a bracketed word ("[N/A]", "[Not Supported]"), so a plain split is the faithful reading.
#include "glyphsieve/capacity/probe.hpp"

#include <array>
#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "glyphsieve/core/error.hpp"

namespace glyphsieve {
namespace {

constexpr std::string_view kNoDevices = "No devices were found";

// The columns the parser reads, by their nvidia-smi names.
enum Column : std::size_t { kIndex, kName, kUuid, kBusId, kMemory, kDriver, kMig, kColumnCount };
constexpr std::array<std::string_view, kColumnCount> kColumnNames = {
    "index", "name", "uuid", "pci.bus_id", "memory.total", "driver_version", "mig.mode.current"};
constexpr std::array<Column, 3> kRequired = {kIndex, kName, kMemory};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> out;
  for (;;) {
    const std::size_t comma = line.find(',');
    out.push_back(trim(line.substr(0, comma)));
    if (comma == std::string_view::npos) return out;
    line.remove_prefix(comma + 1);
  }
}

// "memory.total [MiB]" -> "memory.total": the header carries the unit, with or without `nounits`.
std::string column_key(std::string_view header_field) {
  if (const std::size_t bracket = header_field.find(" ["); bracket != std::string_view::npos) {
    header_field = trim(header_field.substr(0, bracket));
  }
  std::string key(header_field);
  for (char& c : key) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return key;
}

// nvidia-smi's markers for a value it cannot read: "[N/A]", "[Not Supported]", "[Unknown Error]",
// "[Insufficient Permissions]", "[GPU is lost]", ...; older drivers print a bare "N/A".
bool is_absent(std::string_view value) {
  return value.empty() || value == "N/A" || (value.size() >= 2 && value.front() == '[' && value.back() == ']');
}

std::string expected_header() {
  return "index, name, uuid, pci.bus_id, memory.total [MiB], driver_version, mig.mode.current";
}

std::int64_t parse_index(std::string_view value, const Location& where) {
  std::int64_t index = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), index);
  if (value.empty() || ec != std::errc() || end != value.data() + value.size() || index < 0) {
    throw_data_error(fmt::format("\"{}\" is not a GPU index (a whole number)", value), where);
  }
  return index;
}

std::optional<double> parse_memory(std::string_view value, const Location& where) {
  if (is_absent(value)) return std::nullopt;
  const std::size_t space = value.find(' ');
  const std::string_view number = value.substr(0, space);
  const std::string_view unit = space == std::string_view::npos ? std::string_view() : trim(value.substr(space));
  double mib = 0;
  const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), mib);
  if (number.empty() || ec != std::errc() || end != number.data() + number.size() || !std::isfinite(mib) || mib < 0 ||
      !(unit.empty() || unit == "MiB")) {
    throw_data_error(fmt::format("cannot read \"{}\" as a memory size in MiB", value), where);
  }
  return mib;
}

}  // namespace

std::vector<std::string> nvidia_smi_arguments() {
  return {fmt::format("--query-gpu={}", kNvidiaSmiQueryFields), "--format=csv"};
}

bool nvidia_smi_found_no_devices(std::string_view text) { return text.find(kNoDevices) != std::string_view::npos; }

std::vector<ProbedGpu> parse_nvidia_smi(std::string_view text, const std::string& source) {
  std::vector<ProbedGpu> gpus;
  std::array<std::optional<std::size_t>, kColumnCount> at{};  // column -> field position in a line
  std::size_t width = 0;                                      // fields per line, from the header
  bool have_header = false;
  std::int64_t line_no = 0;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    const std::string_view raw = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ++line_no;
    const std::string_view line = trim(raw);
    if (line.empty()) continue;
    const Location where{source, line_no};
    if (!have_header) {
      if (line.starts_with(kNoDevices)) return gpus;
      const std::vector<std::string_view> fields = split_fields(line);
      bool known = false;
      for (std::size_t i = 0; i < fields.size(); ++i) {
        const std::string key = column_key(fields[i]);
        for (std::size_t c = 0; c < kColumnCount; ++c) {
          if (key == kColumnNames[c] && !at[c]) {
            at[c] = i;
            known = true;
          }
        }
      }
      if (!known) {
        throw_data_error(fmt::format("expected the header line \"{}\", got \"{}\" (was the output asked for "
                                     "with --format=csv,noheader?)",
                                     expected_header(), line),
                         where);
      }
      for (const Column c : kRequired) {
        if (!at[c]) {
          throw_data_error(fmt::format("the header has no '{}' column: \"{}\"", kColumnNames[c], line), where);
        }
      }
      width = fields.size();
      have_header = true;
      continue;
    }
    const std::vector<std::string_view> fields = split_fields(line);
    if (fields.size() != width) {
      throw_data_error(fmt::format("expected {} fields like the header, found {}: \"{}\"", width, fields.size(), line),
                       where);
    }
    auto cell = [&](Column c) -> std::string_view {
      if (!at[c]) return {};
      const std::string_view v = fields[*at[c]];
      return is_absent(v) ? std::string_view() : v;
    };
    ProbedGpu gpu;
    gpu.index = parse_index(fields[*at[kIndex]], Location{source, line_no, 0, "index"});
    gpu.name = cell(kName);
    gpu.uuid = cell(kUuid);
    gpu.pci_bus_id = cell(kBusId);
    gpu.driver_version = cell(kDriver);
    gpu.mig_mode = cell(kMig);
    gpu.memory_total_mib = parse_memory(fields[*at[kMemory]], Location{source, line_no, 0, "memory.total"});
    gpus.push_back(std::move(gpu));
  }
  if (!have_header) {
    throw_data_error(fmt::format("empty output: no header line (expected \"{}\")", expected_header()),
                     Location{source});
  }
  return gpus;
}

const std::vector<std::string>& probe_listing_columns() {
  static const std::vector<std::string> kColumns = {"title",          "gpu_count", "price",      "currency",
                                                    "gpu_index",      "gpu_uuid",  "pci_bus_id", "memory_total_mib",
                                                    "driver_version", "mig_mode"};
  return kColumns;
}

std::vector<std::string> probe_listing_row(const ProbedGpu& gpu) {
  return {gpu.name,
          "1",
          "",
          "",
          std::to_string(gpu.index),
          gpu.uuid,
          gpu.pci_bus_id,
          gpu.memory_total_mib ? fmt::format("{}", *gpu.memory_total_mib) : std::string(),
          gpu.driver_version,
          gpu.mig_mode};
}

}  // namespace glyphsieve
