// What `glyphsieve probe` knows about the local GPUs: the parser of nvidia-smi's CSV query output and
// the listing row each GPU becomes. Pure: running nvidia-smi is the CLI's job (src/cli/commands/probe.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace glyphsieve {

/// The fields `probe` asks nvidia-smi for, in the order asked.
inline constexpr std::string_view kNvidiaSmiQueryFields =
    "index,name,uuid,pci.bus_id,memory.total,driver_version,mig.mode.current";

/// The arguments after the program name: `--query-gpu=<kNvidiaSmiQueryFields>`, `--format=csv`.
std::vector<std::string> nvidia_smi_arguments();

/// One GPU as nvidia-smi reports it. A field nvidia-smi cannot give (`[N/A]`, `[Not Supported]`,
/// `[Unknown Error]`, any other bracketed marker, or a bare `N/A`) is empty / nullopt, as is a column
/// the output does not have.
struct ProbedGpu {
  std::int64_t index = 0;                  ///< `index`: the driver's enumeration order (0-based)
  std::string name;                        ///< `name`: "NVIDIA H100 80GB HBM3", "Tesla T4", ...
  std::string uuid;                        ///< `uuid`: "GPU-5b1a...", stable across reboots
  std::string pci_bus_id;                  ///< `pci.bus_id`: "00000000:18:00.0"
  std::string driver_version;              ///< `driver_version`: "550.54.15"
  std::string mig_mode;                    ///< `mig.mode.current`: "Enabled", "Disabled", or empty
  std::optional<double> memory_total_mib;  ///< `memory.total`: whole device memory, MiB (2^20 bytes)
};

/// Parses the output of `nvidia-smi --query-gpu=... --format=csv` (nvidia_smi_arguments()): a header
/// line (`index, name, ..., memory.total [MiB], ...`), then one line per GPU, fields separated by
/// ", ". Columns are found by their header names (any order; a `[unit]` suffix is ignored; unknown
/// columns are skipped); `index`, `name` and `memory.total` are required, the others may be absent.
/// Memory may carry its unit (`81559 MiB`) or not (`nounits`). CRLF line ends and blank lines are
/// tolerated. Returns the GPUs in output order: empty for a header with no rows, and for nvidia-smi's
/// "No devices were found".
/// Throws Error(kDataError) located at `source`:line for malformed output: no header line, a header
/// without a required column, a line whose field count differs from the header's, an index that is
/// not a whole number, or a memory that is not a number of MiB.
std::vector<ProbedGpu> parse_nvidia_smi(std::string_view text, const std::string& source);

/// True when nvidia-smi's output says it found no GPU ("No devices were found"), whatever its exit status.
bool nvidia_smi_found_no_devices(std::string_view text);

/// The columns of the listing CSV `probe` builds before normalize and enrich: `title`, `gpu_count`,
/// `price`, `currency`, `gpu_index`, `gpu_uuid`, `pci_bus_id`, `memory_total_mib`, `driver_version`,
/// `mig_mode`.
const std::vector<std::string>& probe_listing_columns();

/// The listing row of one GPU, in probe_listing_columns() order: title = the nvidia-smi name,
/// gpu_count 1, no price, memory as a plain number ("81559") or empty.
std::vector<std::string> probe_listing_row(const ProbedGpu& gpu);

}  // namespace glyphsieve
