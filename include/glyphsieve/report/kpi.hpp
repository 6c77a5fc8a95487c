// Data-quality KPIs of a run and the --fail-if gates that test them, and the provenance of an artifact:
// what every report and --summary-json file carries so that CI can judge a batch and two runs can be compared.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace glyphsieve::report {

/// Time and rows of one stage of the run.
struct StageTime {
  std::string name;
  std::int64_t rows_in = 0;
  double seconds = 0;
};

/// The KPIs. Rates are fractions in [0, 1] of `listings` (rows that reached the report: written or
/// filtered), except rejected_rate (of rows_read); with no listings a rate is 0.
struct Kpis {
  std::int64_t rows_read = 0;  ///< data rows read = written + rejected + filtered
  std::int64_t written = 0;
  std::int64_t rejected = 0;  ///< malformed rows, never reaching a stage's output
  std::int64_t filtered = 0;
  std::int64_t listings = 0;      ///< written + filtered
  double match_rate = 0;          ///< valid GPU listings (is_valid_gpu and a known canonical_model)
  double unknown_rate = 0;        ///< canonical_model UNKNOWN or empty, and not a non-GPU item
  double non_gpu_rate = 0;        ///< is_valid_gpu false with a "non-GPU item" reason
  double duplicate_rate = 0;      ///< duplicate_flag DUPLICATE (0 when dedup did not run)
  double missing_price_rate = 0;  ///< no usable unit_price_usd
  double rejected_rate = 0;       ///< rejected / rows_read
  std::optional<double> seconds;  ///< wall time of the stages (empty: not timed, e.g. a bare report)
  std::vector<StageTime> stages;  ///< per stage, in pipeline order
};

/// One KPI a gate can test.
struct KpiInfo {
  std::string_view name;
  std::string_view meaning;
};
/// Every gateable KPI, in the order reports list them.
inline constexpr std::array<KpiInfo, 11> kKpis = {{
    {"rows_read", "data rows read"},
    {"written", "rows written"},
    {"filtered", "rows dropped by --filter-invalid or --drop-duplicates"},
    {"rejected", "malformed rows rejected"},
    {"rejected_rate", "rejected / rows read"},
    {"match_rate", "listings identified as a known GPU model"},
    {"unknown_rate", "listings whose GPU model is UNKNOWN (and not a non-GPU item)"},
    {"non_gpu_rate", "listings that are not GPUs (bridges, cables, servers, ...)"},
    {"duplicate_rate", "listings flagged DUPLICATE"},
    {"missing_price_rate", "listings without a usable unit price"},
    {"seconds", "wall time of the stages"},
}};

/// The value of KPI `name` (one of kKpis); empty when unknown (seconds of an untimed run) or no such KPI.
std::optional<double> kpi_value(const Kpis& kpis, std::string_view name);

/// A --fail-if condition: the run fails (exit 3) when `kpi op threshold` holds.
struct Gate {
  enum class Op { kGreater, kGreaterEqual, kLess, kLessEqual };
  std::string text;  ///< as given, e.g. "unknown_rate>0.05"
  std::string kpi;
  Op op = Op::kGreater;
  double threshold = 0;
};

/// ">", ">=", "<" or "<=".
std::string_view to_string(Gate::Op op);

/// Parses "NAME OP NUMBER" (spaces allowed; OP one of > >= < <=; NUMBER may end in % for a rate:
/// "5%" = 0.05). Throws glyphsieve::Error (ExitCode::kUsage) naming the problem and, for an unknown KPI,
/// the nearest name and the list.
Gate parse_gate(std::string_view text);

struct GateResult {
  Gate gate;
  std::optional<double> value;  ///< the KPI's value; empty: unknown, and the gate fails (nothing to vouch for)
  bool failed = false;
};

/// Every gate against `kpis`, in the order given.
std::vector<GateResult> evaluate_gates(const std::vector<Gate>& gates, const Kpis& kpis);

/// "unknown_rate = 0.0833 (8.33%), fails unknown_rate>0.05" style text for stderr and reports.
std::string describe(const GateResult& result);

/// One resource in effect for a run.
struct ResourceStamp {
  std::string name;    ///< e.g. "gpu_registry.yaml"
  std::string origin;  ///< "embedded" or the override file's path
  std::string sha256;  ///< of the text used
};

/// How an artifact was made: enough to tell whether two runs read the same things the same way.
struct Provenance {
  std::string version;                 ///< glyphsieve's version ("0.1.0")
  std::string git_describe;            ///< of the build's source tree; "" when unknown
  std::string command;                 ///< "pipeline", "report", ...
  std::vector<std::string> arguments;  ///< the command line after "glyphsieve", as given
  std::vector<ResourceStamp> resources;
  std::string input;         ///< as given ("<stdin>" for -)
  std::string input_sha256;  ///< of the bytes read
  std::int64_t input_bytes = 0;
};

/// `args` quoted for a POSIX shell where needed ("--fail-if 'unknown_rate>0.05'").
std::string shell_join(const std::vector<std::string>& args);

}  // namespace glyphsieve::report
